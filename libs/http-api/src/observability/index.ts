export * from './ledger-log';
export * from './nest-log.adapter';
export * from './request-log.middleware';
