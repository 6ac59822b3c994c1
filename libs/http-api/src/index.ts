export * from './create-api-app';
export * from './api.module';
export * from './api.settings';
export * from './imports/import-row-validator';
export * from './observability';
