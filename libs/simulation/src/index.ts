export * from './build-plan';
export * from './seeded-random';
export * from './simulation-plan';
export * from './simulation-runner';
