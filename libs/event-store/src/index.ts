export * from './event-store.port';
export * from './event-store.errors';
export * from './append-validation';
export * from './sqlite/sqlite-event-store';
export * from './sqlite/sqlite-version';
export * from './esdb/esdb-event-store';
export * from './event-store.factory';
export * from './serialization/upcaster-registry';
