import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  ApplicationModule,
  CLOCK,
  ID_GENERATOR,
  PERSON_REGISTRY,
  type Clock,
  type IdGenerator,
} from '@ihl/application';
import { EVENT_STORE, createEventStore, type EventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, UnconfiguredPersonRegistry } from './person-registry.adapter';

export interface LedgerCoreOptions {
  readonly dataDir: string;
  readonly eventStoreConnectionString?: string | undefined;
  /** Tests may hand in a store or a clock; the module closes only a store it created. */
  readonly eventStore?: EventStore;
  readonly clock?: Clock;
  /** Without them the ledger runs but refuses to record service recipients. */
  readonly privacy?: { readonly pseudonymKeyring: string; readonly profileMasterKey: string };
}

const OWNS_STORE = Symbol('OWNS_STORE');

/** The composition root shared by the api, the worker and the CLI: store, clock, ids, CQRS handlers. */
@Module({})
export class LedgerCoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OWNS_STORE) private readonly ownsStore: boolean,
    @Inject(PERSON_REGISTRY) private readonly persons: { close?: () => void },
  ) {}

  static forRoot(options: LedgerCoreOptions): DynamicModule {
    const store =
      options.eventStore ??
      createEventStore({ dataDir: options.dataDir, eventStoreConnectionString: options.eventStoreConnectionString });
    const clock: Clock = options.clock ?? { now: () => new Date() };
    const ids: IdGenerator = { newId: () => randomUUID() };
    const persons = options.privacy
      ? new PrivacyPersonRegistry({ dataDir: options.dataDir, ...options.privacy })
      : new UnconfiguredPersonRegistry();
    return {
      module: LedgerCoreModule,
      global: true,
      imports: [CqrsModule.forRoot(), ApplicationModule],
      providers: [
        { provide: EVENT_STORE, useValue: store },
        { provide: OWNS_STORE, useValue: options.eventStore === undefined },
        { provide: CLOCK, useValue: clock },
        { provide: ID_GENERATOR, useValue: ids },
        { provide: PERSON_REGISTRY, useValue: persons },
      ],
      exports: [EVENT_STORE, CLOCK, ID_GENERATOR, PERSON_REGISTRY, CqrsModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.persons.close?.();
    if (this.ownsStore) await this.store.close();
  }
}
