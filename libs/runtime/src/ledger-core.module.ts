import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  ApplicationModule,
  CLOCK,
  ID_GENERATOR,
  PERSON_REGISTRY,
  READ_MODELS,
  REQUEST_FINGERPRINTER,
  type Clock,
  type IdGenerator,
  type ReadModelsPort,
} from '@ihl/application';
import { EVENT_STORE, createEventStore, type CheckpointSettings, type EventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, UnconfiguredPersonRegistry } from './person-registry.adapter';
import { ReadModels, type ReadModelsMode } from './read-models';

export interface LedgerCoreOptions {
  readonly dataDir: string;
  readonly eventStoreConnectionString?: string | undefined;
  /** Tests may hand in a store or a clock; the module closes only a store it created. */
  readonly eventStore?: EventStore;
  readonly clock?: Clock;
  /**
   * Serve queries: `run` (or true) feeds the projections in this process; `follow` reads the file
   * the worker feeds; false (the CLI) neither.
   */
  readonly readModels?: boolean | ReadModelsMode;
  /** Without them the ledger runs but refuses to record service recipients. */
  readonly privacy?: {
    readonly pseudonymKeyring: string;
    readonly profileMasterKey: string;
    readonly erasureJournal?: string | undefined;
    readonly sharedPersonKeys?: string | undefined;
  };
  /** Signed checkpoints of the hash chain, taken by the store this module creates (the api's). */
  readonly checkpoints?: CheckpointSettings | null | undefined;
}

const OWNS_STORE = Symbol('OWNS_STORE');
const START_READ_MODELS = Symbol('START_READ_MODELS');

/** The composition root shared by the api, the worker and the CLI: store, clock, ids, CQRS handlers. */
@Module({})
export class LedgerCoreModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OWNS_STORE) private readonly ownsStore: boolean,
    @Inject(PERSON_REGISTRY) private readonly persons: { close?: () => void },
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(START_READ_MODELS) private readonly startReadModels: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.startReadModels) await this.readModels.start();
  }

  static forRoot(options: LedgerCoreOptions): DynamicModule {
    const store =
      options.eventStore ??
      createEventStore({
        dataDir: options.dataDir,
        eventStoreConnectionString: options.eventStoreConnectionString,
        checkpoints: options.checkpoints,
      });
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
        { provide: REQUEST_FINGERPRINTER, useValue: persons },
        {
          provide: READ_MODELS,
          useValue: new ReadModels(
            // Shared person keys: each page's keys fetched together before it is projected.
            persons instanceof PrivacyPersonRegistry ? persons.feedFor(store) : store,
            options.dataDir,
            // Without the keys (e.g. `ledger init`) profiles stay unknown; they never fail a read model.
            (pseudonym, sealed) => (options.privacy ? persons.open(pseudonym, sealed) : null),
            options.readModels === 'follow' ? 'follow' : 'run',
          ) satisfies ReadModelsPort,
        },
        { provide: START_READ_MODELS, useValue: !!options.readModels },
      ],
      exports: [EVENT_STORE, CLOCK, ID_GENERATOR, PERSON_REGISTRY, REQUEST_FINGERPRINTER, READ_MODELS, CqrsModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readModels.stop();
    this.persons.close?.();
    if (this.ownsStore) await this.store.close();
  }
}
