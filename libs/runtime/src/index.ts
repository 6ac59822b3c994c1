export * from './ledger-core.module';
export * from './person-registry.adapter';
export * from './read-models';
