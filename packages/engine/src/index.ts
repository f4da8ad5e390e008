export * from './model.js';
export * from './plan.js';
export * from './ports.js';
export * from './executor.js';
export * from './store.js';
export * from './availability.js';
export * from './scheduler.js';
export * from './scim-resource.js';
