export * from './personal-code';
export * from './pseudonymizer';
export * from './person-key-store';
export * from './request-fingerprinter';
export * from './personal-code-in-text';
export * from './erasure-journal';
export * from './shared-person-key-store';
