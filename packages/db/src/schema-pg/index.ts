export * from './admins.js';
export * from './directory.js';
export * from './provisioning.js';
export * from './alerts.js';
export * from './escrow.js';
