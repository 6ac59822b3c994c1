export * from './private-redis';
export * from './redis-endpoint';
