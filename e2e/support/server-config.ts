import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3917);
const demoAppPort = port + 1;

/** Where the e2e suite runs autoprov: its own port and a fresh data folder. */
export const e2eServer = {
  port,
  url: `http://127.0.0.1:${port}`,
  dataDir: join(tmpdir(), `autoprov-e2e-${port}`),
  /** The first-run link the server printed, handed from global setup to the tests. */
  setupLinkFile: join(tmpdir(), `autoprov-e2e-${port}`, 'setup-link.txt'),
  superAdmin: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery staple' },
  readOnlyAdmin: { name: 'Rita Reader', email: 'rita@example.com', password: 'read only but long enough' },
  superAdminState: join(tmpdir(), `autoprov-e2e-${port}`, 'super-admin.json'),
  /** A local stand-in for Google's APIs (token, Directory, Reports), started by the Google journey. */
  googleFake: { port: port + 2, rootUrl: `http://127.0.0.1:${port + 2}/`, tokenUrl: `http://127.0.0.1:${port + 2}/token` },
  /** The built-in demo app (SPEC §6) the journeys provision into, as GoToMeeting. */
  demoApp: {
    port: demoAppPort,
    url: `http://127.0.0.1:${demoAppPort}`,
    dataDir: join(tmpdir(), `autoprov-e2e-${port}`, 'demo-app'),
    accountKey: '4821937',
    adminEmail: 'admin@example.com',
    adminPassword: 'demo admin password',
    /** What the provisioning journey changes it to, to revoke autoprov's authorization (M-5). */
    changedAdminPassword: 'a brand new password',
  },
};
