export * from './ledger-config';
export * from './redis-config';
