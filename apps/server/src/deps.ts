import type { Logger } from 'pino';
import type { AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { ProvisioningScheduler } from '@autoprov/engine';
import type { SecretBox } from '@autoprov/secrets';
import type { GoogleEndpoints } from './directory-source/google-source.js';
import type { SessionStore } from './auth/sessions.js';
import type { SetupToken } from './auth/setup-token.js';
import type { AlertCenter } from './alerts/alert-center.js';
import type { AppsSettings } from './provisioning/catalog.js';

/** What the routes are built from; tests assemble their own. */
export interface ServerDeps {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  sessions: SessionStore;
  setupToken: SetupToken;
  publicUrl: string;
  /** Seals app tokens and service account keys before they are stored (S-2). */
  secrets: SecretBox;
  apps: AppsSettings;
  /** The engine's scheduler, as far as the console may drive it (L-4, E-14). */
  provisioning: ProvisioningControl;
  /** Where Google's APIs answer (tests point them at a local stand-in). */
  google: GoogleEndpoints;
  /** Reads Google Workspace when it is the directory (issue 6). */
  googleSync: { sync(full?: boolean): Promise<void> };
  /** L-7: alert episodes, their delivery and the notifications list. */
  alerts: AlertCenter;
  /** Proxies whose X-Forwarded-For gives the client's address (AUTOPROV_TRUSTED_PROXIES). */
  trustedProxies: readonly string[];
}

export type { AppsSettings };

export type ProvisioningControl = Pick<ProvisioningScheduler, 'requestRun' | 'requestUserRun' | 'allowHeldRun' | 'cancelHeldRun' | 'probe' | 'retryUser'>;
