export * from './token-verifier';
export * from './tokens';
export * from './secret-keyring';
