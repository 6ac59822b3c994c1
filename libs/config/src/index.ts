export * from './ledger-config';
export * from './redis-config';
export * from './checks-config';
