/**
 * The engine's store: every table the engine reads and writes, behind named functions. Nothing
 * else in the engine touches the database.
 */
export * from './store/configurations.js';
export * from './store/accounts.js';
export * from './store/teams.js';
export * from './store/runs.js';
export * from './store/usage.js';
