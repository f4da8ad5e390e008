export * from './admins.js';
export * from './directory.js';
