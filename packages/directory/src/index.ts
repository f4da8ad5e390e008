export * from './actor.js';
export * from './changes.js';
export * from './organisation.js';
export * from './users.js';
export * from './groups.js';
export * from './demo-seed.js';
export * from './snapshot.js';
export * from './google-mirror.js';
