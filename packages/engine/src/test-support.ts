import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { catalogEntry } from '@autoprov/contract';
import { appConfigurations, openDatabase, scopeGroups } from '@autoprov/db';
import { openTestDatabase } from '@autoprov/db/testing';
import { builtInDirectory, seedDemoOrganisation, systemClock } from '@autoprov/directory';
import { ScimClient, staticToken, type ScimClientOptions } from '@autoprov/scim-client';
import type { EngineDeps } from './engine-deps.js';
import type { DeprovisionRules } from './model.js';
import { scimAppPort } from './scim-app.js';

/** A clock the test moves by hand, so that timers of days fire in milliseconds. */
export function manualClock(start = new Date('2026-11-24T09:00:00Z')) {
  let now = start.getTime();
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

export const day = 24 * 60 * 60 * 1000;

/**
 * A freshly migrated database with the demo organisation and one app configuration pointing
 * at `baseUrl` with `token`, plus what a run needs (EngineDeps).
 */
export async function engineFixture(options: {
  baseUrl: string;
  token: string;
  appKey?: string;
  rules?: Partial<DeprovisionRules>;
  file?: string;
  /** Options of the app's SCIM client (a channel with a fake clock, for instance). */
  client?: Partial<ScimClientOptions>;
}) {
  // A file is a SQLite install on disk (the crash tests); otherwise the suite's database of the run.
  const store = options.file ? { ...openDatabase(options.file), location: options.file } : await openTestDatabase();
  await seedDemoOrganisation(store.db, systemClock);
  const clock = manualClock();
  const appKey = options.appKey ?? 'gotomeeting';
  const entry = catalogEntry(appKey)!;
  const mapping = Object.fromEntries(
    entry.attributes.filter((a) => a.defaultSource && !a.path.startsWith('urn:')).map((a) => [a.path, a.defaultSource!]),
  );
  const configurationId = randomUUID();
  await store.db
    .insert(appConfigurations)
    .values({
      id: configurationId,
      appKey,
      state: 'active',
      endpointUrl: options.baseUrl,
      mapping,
      deprovisioning: {
        app_off: { delay: 'next_sync', action: 'suspend' },
        suspended: { delay: 'next_sync', action: 'suspend' },
        deleted: { delay: 'next_sync', action: 'delete' },
        ...options.rules,
      },
    });
  let token = options.token;
  const deps: EngineDeps = {
    db: store.db,
    clock,
    directory: builtInDirectory(store.db),
    appFor: async () => scimAppPort(
        new ScimClient({ baseUrl: options.baseUrl, tokens: staticToken(token, options.baseUrl), backoffMs: 2, maxBackoffMs: 20, requestsPerSecond: 100_000, quirks: entry.quirks, ...options.client }),
      ),
  };
  return {
    ...store,
    deps,
    clock,
    configurationId,
    useToken: (next: string) => void (token = next),
    setScope: async (groups: { groupId: string; accessLevel: string }[]) => {
      await store.db.delete(scopeGroups).where(eq(scopeGroups.configurationId, configurationId));
      for (const g of groups) await store.db.insert(scopeGroups).values({ configurationId, ...g });
    },
    configuration: async () => (await store.db.select().from(appConfigurations).where(eq(appConfigurations.id, configurationId)).limit(1))[0]!,
  };
}
