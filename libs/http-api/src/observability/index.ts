export * from './ledger-log';
export * from './nest-log.adapter';
export * from './request-log.middleware';
export * from './ledger-metrics';
export * from './metrics.middleware';
