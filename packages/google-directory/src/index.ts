export * from './backoff.js';
export * from './changes.js';
export * from './client.js';
export * from './connection-test.js';
export * from './errors.js';
export * from './key.js';
export * from './read.js';
export * from './scopes.js';
