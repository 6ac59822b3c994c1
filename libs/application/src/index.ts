export * from './shared/ports';
export * from './shared/request-context';
export * from './shared/write-result';
export * from './shared/stream-command';
export * from './shared/event-mapping';
export * from './project/register-project.command';
export * from './project/get-project.query';
export * from './application.module';
