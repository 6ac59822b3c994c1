export * from './ledger-core.module';
export * from './person-registry.adapter';
export * from './read-models';
export * from './read-model-files';
export * from './read-model-follower';
export * from './rebuild-read-models';
export * from './legacy-request-hash.migration';
export * from './backup';
