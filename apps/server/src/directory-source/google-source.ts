import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { AppError, type DirectorySource, type GoogleConnectInput, type GoogleSwitchPreview } from '@autoprov/contract';
import { appConfigurations, directorySource, directoryUsers, domains as domainsTable, type AppDatabase } from '@autoprov/db';
import { applyGoogleChanges, applyGoogleRead, mirroredGoogleIds, type Actor, type Clock } from '@autoprov/directory';
import {
  addMissed,
  cursorAt,
  describeGoogleError,
  googleClients,
  parseServiceAccountKey,
  readChangesSince,
  readGoogleDirectory,
  testGoogleConnection,
  googleProblemField,
  type GoogleConnectionSettings,
  type ServiceAccountKey,
} from '@autoprov/google-directory';
import type { SecretBox } from '@autoprov/secrets';
import { pauseAllActive } from '../provisioning/lifecycle.js';

/** Where Google answers: Google itself, or a local stand-in in tests. */
export interface GoogleEndpoints {
  rootUrl?: string | undefined;
  tokenUrl?: string | undefined;
}

interface Deps {
  db: AppDatabase;
  clock: Clock;
  secrets: SecretBox;
  google: GoogleEndpoints;
}

const SOURCE_ID = 1;
const sealContext = 'google-service-account-key';

async function sourceRow(db: AppDatabase) {
  await db.insert(directorySource).values({ id: SOURCE_ID, kind: 'built_in' }).onConflictDoNothing();
  return (await db.select().from(directorySource).where(eq(directorySource.id, SOURCE_ID)).limit(1))[0]!;
}

export async function directorySourceView(db: AppDatabase): Promise<DirectorySource> {
  const row = await sourceRow(db);
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    kind: row.kind,
    google:
      row.kind === 'google'
        ? {
            clientEmail: row.clientEmail ?? '',
            clientId: row.clientId ?? '',
            adminEmail: row.adminEmail ?? '',
            primaryDomain: row.primaryDomain ?? '',
            connectedAt: iso(row.connectedAt) ?? '',
            lastFullReadAt: iso(row.lastFullReadAt),
            lastChangeReadAt: iso(row.lastChangeReadAt),
            lastError: row.lastError,
            lastErrorAt: iso(row.lastErrorAt),
            lastErrorField: row.lastError ? row.lastErrorField : null,
          }
        : null,
    previousGoogleDomain: row.kind === 'built_in' ? row.primaryDomain : null,
  };
}

export const directoryIsGoogle = async (db: AppDatabase) => (await sourceRow(db)).kind === 'google';


function settingsFrom(deps: Deps, key: ServiceAccountKey, adminEmail: string): GoogleConnectionSettings {
  return { key, adminEmail, ...(deps.google.rootUrl ? { rootUrl: deps.google.rootUrl } : {}), ...(deps.google.tokenUrl ? { tokenUrl: deps.google.tokenUrl } : {}) };
}

/** Parses the key and asks Google; refuses with the problem next to the field it concerns. */
export async function checkGoogle(deps: Deps, input: GoogleConnectInput): Promise<{ settings: GoogleConnectionSettings; message: string }> {
  const parsed = parseServiceAccountKey(input.serviceAccountKey);
  if (!parsed.ok) throw new AppError('validation_failed', parsed.message, { serviceAccountKey: parsed.message });
  const settings = settingsFrom(deps, parsed.key, input.adminEmail);
  const result = await testGoogleConnection(settings);
  if (!result.ok) {
    const field = googleProblemField[result.problem];
    throw new AppError('validation_failed', result.message, field ? { [field]: result.message } : undefined);
  }
  return { settings, message: result.message };
}

async function fullRead(settings: GoogleConnectionSettings) {
  try {
    return await readGoogleDirectory(await googleClients(settings));
  } catch (err) {
    const problem = describeGoogleError(err, { adminEmail: settings.adminEmail, clientId: settings.key.client_id });
    const field = googleProblemField[problem.problem];
    throw new AppError('validation_failed', problem.message, field ? { [field]: problem.message } : undefined);
  }
}

/** Seed 003: what a switch to this organisation would do, before anything is changed. */
export async function previewGoogle(deps: Deps, input: GoogleConnectInput): Promise<GoogleSwitchPreview> {
  const { settings } = await checkGoogle(deps, input);
  const read = await fullRead(settings);
  const local = new Set(
    (await deps.db
      .select({ email: sql<string>`lower(${directoryUsers.primaryEmail})` })
      .from(directoryUsers)
      .where(sql`${directoryUsers.status} <> 'deleted'`))
      .map((r) => r.email),
  );
  const live = read.users.filter((u) => u.status !== 'deleted');
  const inGoogle = new Set(live.map((u) => u.primaryEmail));
  const matched = live.filter((u) => local.has(u.primaryEmail)).length;
  return {
    primaryDomain: read.primaryDomain,
    secondaryDomains: read.secondaryDomains,
    usersInGoogle: live.length,
    matched,
    newUsers: live.length - matched,
    notInGoogle: [...local].filter((e) => !inGoogle.has(e)).length,
    groups: read.groups.length,
    orgUnits: read.orgUnits.length,
    appsPaused: await activeApps(deps.db),
  };
}

const activeApps = async (db: AppDatabase) =>
  (await db
    .select({ appKey: appConfigurations.appKey })
    .from(appConfigurations)
    .where(eq(appConfigurations.state, 'active')))
    .map((r) => r.appKey);

/**
 * The switch: Google becomes the directory. Provisioning is paused for every active app first,
 * so the switch itself never suspends or deletes an account in an app; an admin turns each app
 * on again after checking it (a dry run shows what would change).
 */
export async function connectGoogle(deps: Deps, input: GoogleConnectInput, actor: Actor): Promise<DirectorySource> {
  const { settings } = await checkGoogle(deps, input);
  const read = await fullRead(settings);
  if (!read.users.some((u) => u.status !== 'deleted')) {
    throw new AppError('validation_failed', `Google returned no users for ${read.primaryDomain}: the switch was not made.`);
  }
  const now = deps.clock.now();
  await pauseAllActive(deps, actor, `The directory was switched to Google Workspace (${read.primaryDomain}). Check the scope, run a dry run, then turn provisioning on again.`);
  await applyGoogleRead(deps.db, deps.clock, read, { connecting: true });
  await sourceRow(deps.db);
  await deps.db
    .update(directorySource)
    .set({
      kind: 'google',
      sealedKey: deps.secrets.seal(JSON.stringify(settings.key), sealContext),
      clientEmail: settings.key.client_email,
      clientId: settings.key.client_id,
      adminEmail: settings.adminEmail,
      primaryDomain: read.primaryDomain,
      // The audit log is read from the moment of this full read on.
      changeCursor: cursorAt(now),
      connectedAt: now,
      lastFullReadAt: now,
      lastChangeReadAt: null,
      lastError: null,
      lastErrorAt: null,
    })
    .where(eq(directorySource.id, SOURCE_ID));
  return await directorySourceView(deps.db);
}

/** Back to the built-in directory, keeping every user and group read from Google. */
export async function disconnectGoogle(deps: Deps): Promise<DirectorySource> {
  await deps.db.update(directorySource).set({ kind: 'built_in', sealedKey: null, changeCursor: null }).where(eq(directorySource.id, SOURCE_ID));
  return await directorySourceView(deps.db);
}

/**
 * Keeps the directory in step with Google (issue 6 item 3): the admin audit log every minute,
 * only the users and groups it names are read again; a full read daily and on demand.
 */
export class GoogleDirectorySync {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  /** After a failed full read, the next one is tried no sooner than this (G-2: changes keep flowing meanwhile). */
  private fullRetryAt = 0;

  constructor(
    private readonly deps: Deps & { logger: Logger },
    private readonly options: { pollMs?: number; fullEveryMs?: number; fullRetryMs?: number } = {},
  ) {}

  private async settings(): Promise<GoogleConnectionSettings | null> {
    const row = await sourceRow(this.deps.db);
    if (row.kind !== 'google' || !row.sealedKey || !row.adminEmail) return null;
    const key = JSON.parse(this.deps.secrets.open(row.sealedKey, sealContext)) as ServiceAccountKey;
    return settingsFrom(this.deps, key, row.adminEmail);
  }

  private async record(values: Partial<typeof directorySource.$inferInsert>) {
    await this.deps.db.update(directorySource).set(values).where(eq(directorySource.id, SOURCE_ID));
  }

  /** One look: a full read when due (or asked), else the changes since the cursor. */
  sync(full = false): Promise<void> {
    this.busy ??= this.syncOnce(full).finally(() => (this.busy = null));
    return this.busy;
  }

  private async syncOnce(forceFull: boolean) {
    const settings = await this.settings();
    if (!settings) return;
    const row = await sourceRow(this.deps.db);
    const now = this.deps.clock.now();
    const fullDue =
      forceFull || ((!row.lastFullReadAt || now.getTime() - row.lastFullReadAt.getTime() >= (this.options.fullEveryMs ?? 24 * 3600_000)) && now.getTime() >= this.fullRetryAt);
    let fullFailed = false;
    if (fullDue) {
      try {
        const clients = await googleClients(settings);
        const read = await addMissed(clients, await readGoogleDirectory(clients), await mirroredGoogleIds(this.deps.db));
        // The connection may have been switched off while reading.
        if ((await sourceRow(this.deps.db)).kind !== 'google') return;
        const summary = await applyGoogleRead(this.deps.db, this.deps.clock, read);
        // The changes since are read from before this read began; events already applied stay skipped.
        await this.record({ lastFullReadAt: now, changeCursor: { ...cursorAt(now), seen: row.changeCursor?.seen ?? [] }, lastError: null, lastErrorAt: null });
        this.fullRetryAt = 0;
        this.deps.logger.info({ ...summary }, 'Google Workspace read in full');
        return;
      } catch (err) {
        await this.failed(settings, now, err);
        this.fullRetryAt = now.getTime() + (this.options.fullRetryMs ?? 15 * 60_000);
        fullFailed = true;
      }
    }
    // G-2: a full read that keeps failing (one broken group, a quota) never holds up the changes.
    try {
      const domains = new Set((await this.deps.db.select().from(domainsTable)).map((d) => d.name));
      const changes = await readChangesSince(await googleClients(settings), row.changeCursor ?? cursorAt(now), domains, undefined, now);
      if ((await sourceRow(this.deps.db)).kind !== 'google') return;
      const summary = await applyGoogleChanges(this.deps.db, this.deps.clock, changes);
      // The full read's failure stays shown until a full read succeeds.
      await this.record({ lastChangeReadAt: now, changeCursor: changes.cursor, ...(fullFailed || this.fullRetryAt ? {} : { lastError: null, lastErrorAt: null }) });
      if (changes.users.size || changes.groups.size || changes.orgUnits) this.deps.logger.info({ ...summary, events: changes.events }, 'Google Workspace changes read');
    } catch (err) {
      if (!fullFailed) await this.failed(settings, now, err);
    }
  }

  /** A failed read changes nothing in the directory, so nobody is deprovisioned by it (E-14). */
  private async failed(settings: GoogleConnectionSettings, now: Date, err: unknown) {
    const problem = describeGoogleError(err, { adminEmail: settings.adminEmail, clientId: settings.key.client_id });
    await this.record({ lastError: problem.message, lastErrorAt: now, lastErrorField: googleProblemField[problem.problem] ?? null });
    this.deps.logger.warn({ problem: problem.problem }, problem.message);
  }

  start() {
    this.timer = setInterval(() => void this.sync(), this.options.pollMs ?? 60_000);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    await this.busy;
  }
}
