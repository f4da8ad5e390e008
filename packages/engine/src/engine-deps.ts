import type { AppDatabase } from '@autoprov/db';
import type { DeletionGuard } from './plan.js';
import type { AlertPort, AppForOptions, AppPort, Clock, DirectoryPort } from './ports.js';

/** What the engine works with: the database, the directory, the apps, the time, and its limits. */
export interface EngineDeps {
  db: AppDatabase;
  directory: DirectoryPort;
  /** The app of one configuration, with its credentials and limits. */
  appFor(configurationId: string, options?: AppForOptions): Promise<AppPort>;
  clock: Clock;
  deletionGuard?: DeletionGuard;
  /** How many users are worked on at once; the app client applies its own request limits too. */
  concurrency?: number;
  /** From this many new accounts in one run, the app's accounts are read in one go (E-3). */
  bulkMatchThreshold?: number;
  /** Full runs read and plan this many users at a time, and keep up to `keepAtMost` planned operations from the first pass. */
  paging?: { pageSize: number; keepAtMost: number };
  /** L-7: told when an alert condition starts or ends. */
  alerts?: AlertPort;
}
