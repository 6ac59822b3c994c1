export * from './ledger-core.module';
