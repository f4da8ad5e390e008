export * from './channel.js';
export * from './client.js';
export * from './errors.js';
export * from './operation-limits.js';
export * from './pacer.js';
export * from './tokens.js';
export { AUTOPROV_VERSION, checkBaseUrl, createTransport, USER_AGENT, type TransportExchange, type TransportOptions } from './transport.js';
