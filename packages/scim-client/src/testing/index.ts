export { startScimmyServer } from './scimmy-server.js';
export { startFiveHundredGateway } from './five-hundred-gateway.js';
export { startAwsIdentityCenterFake, startGitHubEmuFake, startMiroFake, startSlackFake, startVendorFake, startZoomFake, type VendorFake, type VendorFakeRules } from './vendor-fake.js';
export { virtualClock } from './virtual-clock.js';
export { FakeClock } from './fake-clock.js';
