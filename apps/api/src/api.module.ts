import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { ApplicationModule, CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '@ihl/application';
import { EVENT_STORE, createEventStore, type EventStore } from '@ihl/event-store';
import { API_CONFIG, type ApiSettings } from './api.settings';
import { AuthGuard } from './auth/auth.guard';
import { HealthController } from './health/health.controller';
import { ProjectsController } from './projects/projects.controller';

export interface ApiModuleOptions {
  readonly config: ApiSettings;
  /** Tests may hand in a store or a clock; the app closes only a store it created. */
  readonly eventStore?: EventStore;
  readonly clock?: Clock;
}

@Module({})
export class ApiModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject('OWNS_STORE') private readonly ownsStore: boolean) {}

  static forRoot(options: ApiModuleOptions): DynamicModule {
    const store =
      options.eventStore ??
      createEventStore({ dataDir: options.config.dataDir, eventStoreConnectionString: options.config.eventStoreConnectionString });
    const clock: Clock = options.clock ?? { now: () => new Date() };
    const ids: IdGenerator = { newId: () => randomUUID() };
    return {
      module: ApiModule,
      global: true,
      imports: [CqrsModule.forRoot(), ApplicationModule],
      controllers: [HealthController, ProjectsController],
      providers: [
        { provide: API_CONFIG, useValue: options.config },
        { provide: EVENT_STORE, useValue: store },
        { provide: 'OWNS_STORE', useValue: options.eventStore === undefined },
        { provide: CLOCK, useValue: clock },
        { provide: ID_GENERATOR, useValue: ids },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [EVENT_STORE, CLOCK, ID_GENERATOR, API_CONFIG],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsStore) await this.store.close();
  }
}
