export * from './private-redis';
export * from './redis-endpoint';
export * from './job-registry';
export * from './job-producer';
export * from './job-worker';
export * from './pseudonymous-payload';
export * from './rebuild-read-models.job';
