export * from './ledger-config';
export * from './redis-config';
export * from './checks-config';
export * from './checkpoint-config';
export * from './worker-metrics-config';
