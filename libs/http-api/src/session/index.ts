export * from './auth-session.controller';
export * from './session-auth';
export * from './session-store';
export * from './demo-users';
