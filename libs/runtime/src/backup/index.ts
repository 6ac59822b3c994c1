export * from './backup-manifest';
export * from './event-log-digest';
export * from './take-backup';
export * from './restore-backup';
