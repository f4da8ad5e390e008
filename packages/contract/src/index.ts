export * from './enums.js';
export * from './errors.js';
export * from './common.js';
export * from './auth.js';
export * from './admins.js';
export * from './directory.js';
export * from './catalog.js';
export * from './apps.js';
