import { dirname } from 'node:path';
import { ownerOnlyFolder } from './db/index.js';
import { loadDemoAppOptions } from './env.js';
import { createDemoApp } from './index.js';

const options = loadDemoAppOptions();
ownerOnlyFolder(dirname(options.databaseFile));
const app = await createDemoApp(options);
const { url } = await app.listen(options.port, options.host);
const lines = [
  '',
  `  Demo app (GoToMeeting side) is running: ${url}/admin`,
  `  Admin: ${options.adminEmail}${app.initialPassword ? ` / password: ${app.initialPassword} (made up on first start; shown until you change it)` : ''}`,
  `  Account key: ${app.accountKey}   SCIM endpoint: ${app.scimBaseUrl()}`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = () => void app.close().finally(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
