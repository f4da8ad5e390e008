export { startScimmyServer } from './scimmy-server.js';
export { startFiveHundredGateway } from './five-hundred-gateway.js';
