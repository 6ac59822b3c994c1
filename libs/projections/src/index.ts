export * from './projection';
export * from './projection-runner';
export * from './persons-reached.projection';
export * from './budget.projection';
export * from './activity-volumes.projection';
