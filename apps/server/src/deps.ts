import type { Logger } from 'pino';
import type { AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { SecretBox } from '@autoprov/secrets';
import type { SessionStore } from './auth/sessions.js';
import type { SetupToken } from './auth/setup-token.js';

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
}
