export * from './projection';
export * from './projection-runner';
export * from './ledger-record';
export * from './record-index';
export * from './persons-reached.projection';
export * from './budget.projection';
export * from './activity-volumes.projection';
export * from './audit-trail.projection';
