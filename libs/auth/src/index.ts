export * from './token-verifier';
export * from './tokens';
