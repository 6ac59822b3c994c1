export * from './projection';
export * from './projection-runner';
export * from './persons-reached.projection';
export * from './budget.projection';
export * from './activity-volumes.projection';
export * from './audit-trail.projection';
