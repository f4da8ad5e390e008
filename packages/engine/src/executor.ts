import { and, eq, sql } from 'drizzle-orm';
import { appConfigurations, deprovisionTimers, provisionedAccounts, provisionedTeams, teamMappings, type AppDatabase } from '@autoprov/db';
import { deprovisionReasons, type SyncTrigger, type UsageEventKind } from '@autoprov/contract';
import { availabilityResolver } from './availability.js';
import type { AppAttributes, DeprovisionTimer, DirectoryUserView, FieldChange, Operation, PlanConfiguration, ProvisionedAccount } from './model.js';
import { exceedsDeletionGuard, plan, type DeletionGuard } from './plan.js';
import { planTeams } from './teams.js';
import { WriteBatcher } from './write-batcher.js';
import { AppCallError, type AlertPort, type AlertSignal, type AppForOptions, type AppPort, type Clock, type DirectoryPort, type DirectoryPortUser, type RemoteAccount } from './ports.js';
import {
  countAccounts,
  createRun,
  loadAccountsInRange,
  loadTimersInRange,
  type UserIdRange,
  loadAccounts,
  loadConfiguration,
  loadTimers,
  recordRunFailure,
  updateRun,
  writeReportLine,
  writeUsageEvent,
  type ReportLine,
} from './store.js';
import { exchangeRecorder } from './exchanges.js';
import { reconcileAccounts } from './reconcile.js';

export interface ExecutorDeps {
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

/** L-7: alerts go out beside the run; a failing alert sink never breaks it. */
export function signalAlert(deps: Pick<ExecutorDeps, 'alerts'>, signal: AlertSignal | { ended: AlertSignal['kind']; configurationId: string }) {
  try {
    if ('ended' in signal) deps.alerts?.ended(signal.ended, signal.configurationId);
    else deps.alerts?.started(signal);
  } catch {
    // The sink records its own failures; the run carries on.
  }
}

export interface RunRequest {
  configurationId: string;
  trigger: SyncTrigger;
  dryRun?: boolean;
  /** E-14: a super-admin allowed the run the guard held. */
  allowMassDeprovisioning?: boolean;
  /** An existing pending run to carry out (one queued earlier), instead of a new one. */
  runId?: string;
  /** A change-driven run looks at these users only (E-11). */
  onlyUserIds?: string[];
  /** M-6: every pending deprovisioning is carried out now (before a configuration is deleted). */
  carryOutTimers?: boolean;
  /** E-20: every SCIM request and answer of this run is kept with it, secrets masked. */
  captureExchanges?: boolean;
}

type Counts = Record<string, number>;

const eventOf: Partial<Record<Operation['kind'], UsageEventKind>> = {
  create: 'user_created',
  update: 'user_updated',
  unsuspend: 'user_unsuspended',
  suspend: 'user_suspended',
  delete: 'user_deleted',
};

/** Stops the whole run: the app refuses our authorization (E-9). */
class RunAborted extends Error {}

/** Carries out one sync run of one app: read, plan, guard, execute, record (SPEC §4). */
export async function executeRun(deps: ExecutorDeps, request: RunRequest): Promise<string> {
  const { db, clock } = deps;
  const runId = request.runId ?? createRun(db, request.configurationId, request.trigger, request.dryRun ?? false, clock.now());
  updateRun(db, runId, { state: 'running', startedAt: clock.now() });
  const counts: Counts = {};
  const count = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  let batcher: WriteBatcher | null = null;

  try {
    const loaded = loadConfiguration(db, request.configurationId);
    if (!loaded) throw new Error('The configuration no longer exists.');
    const { row, planConfiguration, availability } = loaded;

    // A change-driven run without readUsers reads everyone; one user on demand is that user only (E-20).
    const only = request.onlyUserIds && (deps.directory.readUsers || request.trigger === 'on_demand') ? request.onlyUserIds : undefined;
    const appOptions: AppForOptions = request.captureExchanges ? { onExchange: exchangeRecorder(db, runId, clock) } : {};
    const now = clock.now();
    const fireAll = request.carryOutTimers ?? false;
    const teamsFollowGroups = db.select({ n: sql<number>`count(*)` }).from(teamMappings).where(eq(teamMappings.configurationId, row.id)).get()!.n > 0;
    // A full run over a large directory is planned a page at a time (teams need everyone at once).
    const paged = !only && !teamsFollowGroups && deps.directory.readPages !== undefined;
    const source: PlanSource = paged
      ? { chunks: () => pagedPlan(deps, row.id, planConfiguration, availability, now, fireAll), accountCount: () => countAccounts(db, row.id) }
      : await wholePlan(deps, row.id, only, planConfiguration, availability, now, teamsFollowGroups, fireAll);

    // Pass 1: what the run would do, before anything is written (E-14). Small plans are kept.
    const totals = { appCalls: 0, deprovisions: 0, creates: 0, operations: 0, withheld: false };
    let kept: PlannedChunk[] | null = [];
    for await (const chunk of source.chunks()) {
      if (chunk.withheld) totals.withheld = true;
      for (const op of chunk.operations) {
        totals.operations++;
        if (op.kind === 'suspend' || op.kind === 'delete') totals.deprovisions++;
        if (op.kind === 'create') totals.creates++;
        if (op.kind !== 'start_timer' && op.kind !== 'cancel_timer') {
          totals.appCalls++;
          if (request.dryRun) {
            writeReportLine(db, runId, { directoryUserId: op.userId, userEmail: chunk.emailOf.get(op.userId) ?? '', action: op.kind, result: 'planned', ...sentBy(op) });
            count(op.kind);
          }
        }
      }
      if (kept && (source.keepAll || totals.operations <= (deps.paging?.keepAtMost ?? keepAtMost))) kept.push(chunk);
      else kept = null;
    }

    const guard = exceedsDeletionGuard({ deprovisions: totals.deprovisions }, source.accountCount(), deps.deletionGuard);
    if (guard.held && !request.allowMassDeprovisioning && !request.dryRun) {
      db.update(appConfigurations).set({ heldRunId: runId, updatedAt: now }).where(eq(appConfigurations.id, row.id)).run();
      updateRun(db, runId, {
        state: 'held',
        endedAt: clock.now(),
        counts: { planned_deprovisions: guard.deprovisions },
        error: `Held: this run would suspend or delete ${guard.deprovisions} of ${guard.accountCount} accounts. A super-admin must allow or cancel it.`,
      });
      signalAlert(deps, {
        kind: 'run_held',
        configurationId: row.id,
        runId,
        message: `The deletion guard held a run that would suspend or delete ${guard.deprovisions} of ${guard.accountCount} accounts. A super-admin must allow or cancel it.`,
      });
      return runId;
    }
    updateRun(db, runId, { planned: totals.appCalls });
    if (request.dryRun) {
      updateRun(db, runId, { state: 'succeeded', endedAt: clock.now(), counts, done: totals.appCalls });
      return runId;
    }

    let done = 0;
    if (totals.operations > 0) {
      const app = await deps.appFor(row.id, appOptions);
      // E-3 at scale: one paged read of the app's accounts replaces a search per new user.
      let existing: Map<string, RemoteAccount> | null = null;
      if (totals.creates >= (deps.bulkMatchThreshold ?? 50)) {
        existing = new Map();
        try {
          for await (const account of app.listUsers()) existing.set(account.userName.toLowerCase(), account);
        } catch (err) {
          // A failed bulk read costs speed, not correctness: fall back to a search per user.
          if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
          existing = null;
        }
      }
      const ctx: RunContext = { deps, app, runId, configurationId: row.id, appKey: row.appKey, emailOf: new Map(), existing, writes: new WriteBatcher(db) };
      batcher = ctx.writes;
      let lastProgress = Date.now();
      // Pass 2: the kept plan, or the directory read and planned again, a page at a time.
      for await (const chunk of kept ?? source.chunks()) {
        ctx.emailOf = chunk.emailOf;
        const byUser = new Map<string, Operation[]>();
        for (const op of chunk.operations) {
          const list = byUser.get(op.userId);
          if (list) list.push(op);
          else byUser.set(op.userId, [op]);
        }
        await forEachConcurrently([...byUser.values()], deps.concurrency ?? 8, async (ops) => {
          for (const op of ops) {
            const outcome = await carryOut(ctx, op);
            if (outcome) count(outcome);
            if (op.kind !== 'start_timer' && op.kind !== 'cancel_timer') done++;
          }
          if (Date.now() - lastProgress > 250) {
            lastProgress = Date.now();
            updateRun(db, runId, { done, counts });
          }
        });
        ctx.writes.flush();
      }
      await syncTeams({ ...ctx, users: source.users ?? [], only }, count);
    } else if (teamsFollowGroups) {
      const app = await deps.appFor(row.id, appOptions);
      const ctx: RunContext = { deps, app, runId, configurationId: row.id, appKey: row.appKey, emailOf: new Map(), existing: null, writes: new WriteBatcher(db) };
      await syncTeams({ ...ctx, users: source.users ?? [], only }, count);
    }

    // E-19: a reconciliation then reads what the app holds and sets drifted accounts back.
    if (request.trigger === 'reconcile' && !only) {
      batcher?.flush();
      const app = await deps.appFor(row.id, appOptions);
      const add = (key: string, by = 1) => (counts[key] = (counts[key] ?? 0) + by);
      const { attempted } = await reconcileAccounts({ db, clock, app, runId, configurationId: row.id, appKey: row.appKey, mode: row.driftMode, count: add });
      totals.appCalls += attempted;
    }
    if (totals.withheld) counts.deprovisioning_withheld = 1;
    if (batcher && batcher.errors.length > 0) counts.unrecorded = batcher.errors.length;
    const failed = counts.failed ?? 0;
    const state = failed === 0 ? 'succeeded' : failed === totals.appCalls ? 'failed' : 'partly_failed';
    updateRun(db, runId, { state, endedAt: clock.now(), counts, done });
    // L-7: a partly failed run opens an episode that lasts until a run succeeds. A run that got
    // this far ran on an active configuration (none starts while it needs re-authorization), so
    // a lost-authorization episode is over (M-5).
    if (state === 'partly_failed') {
      signalAlert(deps, { kind: 'run_partly_failed', configurationId: row.id, runId, message: `A run partly failed: ${failed} of ${totals.appCalls} operations failed.` });
    } else if (state === 'succeeded') {
      signalAlert(deps, { ended: 'run_partly_failed', configurationId: row.id });
    }
    if (state !== 'failed') signalAlert(deps, { ended: 'needs_reauthorization', configurationId: row.id });
    if (request.trigger !== 'change' && request.trigger !== 'on_demand') {
      db.update(appConfigurations).set({ lastFullSyncAt: now }).where(eq(appConfigurations.id, row.id)).run();
    }
  } catch (err) {
    // Keep the records of what was done before the run stopped.
    batcher?.flush();
    const message = err instanceof AppCallError || err instanceof RunAborted ? err.message : `The run stopped: ${(err as Error).message}`;
    if (err instanceof AppCallError && err.kind === 'unauthorized') {
      db.update(appConfigurations)
        .set({ state: 'needs_reauthorization', updatedAt: clock.now() })
        .where(eq(appConfigurations.id, request.configurationId))
        .run();
      signalAlert(deps, {
        kind: 'needs_reauthorization',
        configurationId: request.configurationId,
        runId,
        message: `The app refused autoprov's authorization (${err.reason}). A super-admin must re-authorize it; nothing is sent until then.`,
      });
    }
    updateRun(db, runId, { state: 'failed', endedAt: clock.now(), counts, error: message });
    // A run that stopped is a failure of its own (E-8, L-5), whoever it had reached.
    if (!request.dryRun) recordRunFailure(db, request.configurationId, runId, message, clock.now());
  }
  return runId;
}

/** Up to this many planned operations are kept from pass 1 instead of planned again. */
const keepAtMost = 20_000;
/** Users read and planned at once by a paged run. */
const pageSize = 2_000;

interface PlannedChunk {
  operations: Operation[];
  emailOf: Map<string, string>;
  withheld: boolean;
}

interface PlanSource {
  chunks(): AsyncIterable<PlannedChunk> | Iterable<PlannedChunk>;
  accountCount(): number;
  /** A plan made in one piece is kept whatever its size: reading it again would cost the same. */
  keepAll?: boolean;
  /** The directory users, when teams follow groups (E-13). */
  users?: DirectoryUserView[];
}

/**
 * One plan for the users read in one go: a change-driven run, or a run whose teams follow
 * groups. The snapshot stays in this frame: past planning only the users' e-mails are kept (and
 * the users themselves when teams follow groups, E-13).
 */
async function wholePlan(
  deps: ExecutorDeps,
  configurationId: string,
  only: string[] | undefined,
  planConfiguration: Omit<PlanConfiguration, 'primaryDomain'>,
  availability: ReadonlyMap<string, boolean>,
  now: Date,
  keepUsers: boolean,
  carryOutTimers: boolean,
): Promise<PlanSource> {
  const snapshot = only ? await readUsersOf(deps.directory, only) : await deps.directory.read();
  const users = viewsOf(snapshot.users, availabilityResolver(availability));
  const emailOf = new Map(users.map((u) => [u.id, u.primaryEmail]));
  const accounts = loadAccounts(deps.db, configurationId, only);
  for (const a of accounts.values()) if (!emailOf.has(a.directoryUserId)) emailOf.set(a.directoryUserId, a.userName);
  const thePlan = plan({
    now,
    configuration: { ...planConfiguration, primaryDomain: snapshot.primaryDomain },
    users,
    accounts,
    timers: loadTimers(deps.db, configurationId, only),
    carryOutTimers,
  });
  const chunk: PlannedChunk = { operations: thePlan.operations, emailOf, withheld: thePlan.deprovisioningWithheld !== null };
  return {
    chunks: () => [chunk],
    accountCount: () => (only ? countAccounts(deps.db, configurationId) : accounts.size),
    keepAll: true,
    users: keepUsers ? users : [],
  };
}

/** Just these users, from a directory that can read them alone or from the whole of it. */
export async function readUsersOf(directory: DirectoryPort, ids: string[]) {
  if (directory.readUsers) return directory.readUsers(ids);
  const snapshot = await directory.read();
  const wanted = new Set(ids);
  return { primaryDomain: snapshot.primaryDomain, users: snapshot.users.filter((u) => wanted.has(u.id)) };
}

/** One page of the directory with the links and timers of its users' id range. */
export interface DirectoryPage {
  primaryDomain: string;
  users: DirectoryPortUser[];
  accounts: Map<string, ProvisionedAccount>;
  timers: Map<string, DeprovisionTimer>;
  /** Set on the last page (the links whose user is gone) when the whole read returned nobody (E-14). */
  directoryEmpty: boolean;
}

/**
 * The directory a page at a time: only one page of it, its links and its timers are in memory at
 * once. Pages come in id order; each takes the links and timers of its id range, so a link whose
 * user the directory no longer has comes with the page around it, or with the last page (no users).
 */
export async function* directoryPages(deps: Pick<ExecutorDeps, 'db' | 'directory' | 'paging'>, configurationId: string): AsyncGenerator<DirectoryPage> {
  let primaryDomain = '';
  let after = '';
  let anyone = false;
  const linksIn = (range: UserIdRange) => ({
    accounts: loadAccountsInRange(deps.db, configurationId, range),
    timers: loadTimersInRange(deps.db, configurationId, range),
  });
  for await (const page of deps.directory.readPages!(deps.paging?.pageSize ?? pageSize)) {
    if (page.users.length === 0) continue;
    primaryDomain = page.primaryDomain;
    anyone = true;
    const upTo = page.users.at(-1)!.id;
    yield { primaryDomain, users: page.users, ...linksIn({ after, upTo }), directoryEmpty: false };
    after = upTo;
  }
  yield { primaryDomain, users: [], ...linksIn({ after, upTo: null }), directoryEmpty: !anyone };
}

/** A full run planned a page of users at a time (see directoryPages). */
async function* pagedPlan(
  deps: ExecutorDeps,
  configurationId: string,
  planConfiguration: Omit<PlanConfiguration, 'primaryDomain'>,
  availability: ReadonlyMap<string, boolean>,
  now: Date,
  carryOutTimers: boolean,
): AsyncGenerator<PlannedChunk> {
  const appOn = availabilityResolver(availability);
  for await (const page of directoryPages(deps, configurationId)) {
    const users = viewsOf(page.users, appOn);
    const p = plan({
      now,
      configuration: { ...planConfiguration, primaryDomain: page.primaryDomain },
      users,
      accounts: page.accounts,
      timers: page.timers,
      directoryEmpty: page.directoryEmpty,
      carryOutTimers,
    });
    const emailOf = new Map(users.map((u) => [u.id, u.primaryEmail]));
    for (const a of page.accounts.values()) if (!emailOf.has(a.directoryUserId)) emailOf.set(a.directoryUserId, a.userName);
    const chunk: PlannedChunk = { operations: p.operations, emailOf, withheld: p.deprovisioningWithheld !== null };
    // The last page (links only) counts only if it does something.
    if (users.length > 0 || chunk.operations.length > 0 || chunk.withheld) yield chunk;
  }
}

/** Directory users as a plan sees them: with whether the app is ON for their org unit. */
export function viewsOf(users: DirectoryPortUser[], appOn: (orgUnitPath: string) => boolean): DirectoryUserView[] {
  return users.map((u) => ({ id: u.id, primaryEmail: u.primaryEmail, status: u.status, attributes: u.attributes, groupIds: u.groupIds, appOn: appOn(u.orgUnitPath) }));
}

interface RunContext {
  deps: ExecutorDeps;
  app: AppPort;
  runId: string;
  configurationId: string;
  appKey: string;
  /** The e-mails of the users being worked on (one page of them in a paged run). */
  emailOf: Map<string, string>;
  /** The app's accounts by lower-cased userName, when the run read them all up front. */
  existing: Map<string, RemoteAccount> | null;
  writes: WriteBatcher;
}

/** Carries out one operation; returns the count it adds to (`created`, `failed`, …). */
async function carryOut(ctx: RunContext, op: Operation): Promise<string | null> {
  const { deps, app, runId, configurationId } = ctx;
  const { db, clock } = deps;
  const userEmail = ctx.emailOf.get(op.userId) ?? '';
  const whereLink = and(eq(provisionedAccounts.configurationId, configurationId), eq(provisionedAccounts.directoryUserId, op.userId));
  const whereTimer = and(eq(deprovisionTimers.configurationId, configurationId), eq(deprovisionTimers.directoryUserId, op.userId));
  const record = (line: Omit<ReportLine, 'directoryUserId' | 'userEmail'>, event: UsageEventKind | null, detail?: string) => {
    writeReportLine(db, runId, { directoryUserId: op.userId, userEmail, ...line });
    if (event) writeUsageEvent(db, { appKey: ctx.appKey, kind: event, directoryUserId: op.userId, userEmail, runId, detail: detail ?? null, at: clock.now() });
  };

  try {
    switch (op.kind) {
      case 'start_timer': {
        const t = op.timer;
        db.insert(deprovisionTimers)
          .values({ configurationId, directoryUserId: op.userId, trigger: t.trigger, action: t.action, dueAt: t.dueAt, createdAt: t.startedAt })
          .onConflictDoUpdate({
            target: [deprovisionTimers.configurationId, deprovisionTimers.directoryUserId],
            set: { trigger: t.trigger, action: t.action, dueAt: t.dueAt, createdAt: t.startedAt },
          })
          .run();
        return null;
      }
      case 'cancel_timer':
        db.delete(deprovisionTimers).where(whereTimer).run();
        return null;
      case 'create': {
        // E-3 and E-10: look before creating, so a crash or a retry never makes a second account.
        let remote = ctx.existing ? (ctx.existing.get(op.userName.toLowerCase()) ?? null) : await app.findUserByUserName(op.userName);
        let action = 'adopt';
        if (remote) {
          await app.overwriteUser(remote.id, op.attributes);
        } else {
          try {
            remote = await app.createUser(op.attributes);
            action = 'create';
          } catch (err) {
            remote = await clashingAccount(ctx, op.userName, err);
            await app.overwriteUser(remote.id, op.attributes);
          }
        }
        const now = clock.now();
        const adopted = action === 'adopt';
        // E-19 ownership: what autoprov created or adopted is its own to keep right.
        const origin = adopted ? 'adopted' : 'created';
        ctx.writes.write(() => {
          db.insert(provisionedAccounts)
            .values({ configurationId, directoryUserId: op.userId, userName: op.userName, remoteId: remote.id, state: 'active', origin, lastSent: op.attributes, createdAt: now, updatedAt: now })
            .onConflictDoUpdate({
              target: [provisionedAccounts.configurationId, provisionedAccounts.directoryUserId],
              set: { userName: op.userName, remoteId: remote.id, state: 'active', origin, lastSent: op.attributes, updatedAt: now },
            })
            .run();
          // An account found in the app is adopted, not created: the summary, the report and the usage log agree.
          record({ action, result: 'succeeded', ...sentBy(op) }, adopted ? 'user_adopted' : 'user_created');
        });
        return adopted ? 'adopted' : 'created';
      }
      case 'update':
      case 'unsuspend': {
        const changed = Object.fromEntries(Object.entries(op.changes).map(([k, c]) => [k, c.after]));
        const relinked = await withRelink(ctx, op, async (remoteId) => {
          if (Object.keys(changed).length > 0) await app.updateUser(remoteId, changed, op.attributes);
          if (op.kind === 'unsuspend') await app.setActive(remoteId, true, op.attributes);
        });
        ctx.writes.write(() => {
          db.update(provisionedAccounts).set({ lastSent: op.attributes, state: 'active', updatedAt: clock.now() }).where(whereLink).run();
          if (op.kind === 'unsuspend') db.delete(deprovisionTimers).where(whereTimer).run();
          // The account was gone from the app and was made again: that is a creation, counted as one.
          if (relinked === 'recreated') record({ action: 'create', result: 'succeeded', changes: fieldsOf(op.attributes), reason: 'The account was no longer in the app: created again.' }, 'user_created');
          else record({ action: op.kind, result: 'succeeded', ...sentBy(op) }, eventOf[op.kind]!);
        });
        if (relinked === 'recreated') return 'created';
        return op.kind === 'update' ? 'updated' : 'unsuspended';
      }
      case 'suspend': {
        await withRelink(ctx, op, (remoteId) => app.setActive(remoteId, false, op.lastSent));
        ctx.writes.write(() => {
          db.update(provisionedAccounts).set({ state: 'suspended', updatedAt: clock.now() }).where(whereLink).run();
          db.delete(deprovisionTimers).where(whereTimer).run();
          record({ action: 'suspend', result: 'succeeded', ...sentBy(op) }, 'user_suspended');
        });
        return 'suspended';
      }
      case 'delete': {
        try {
          await app.deleteUser(op.remoteId);
        } catch (err) {
          // Already gone from the app: the goal is reached.
          if (!(err instanceof AppCallError && err.kind === 'not_found')) throw err;
        }
        ctx.writes.write(() => {
          db.delete(provisionedAccounts).where(whereLink).run();
          db.delete(deprovisionTimers).where(whereTimer).run();
          record({ action: 'delete', result: 'succeeded', ...sentBy(op) }, 'user_deleted');
        });
        return 'deleted';
      }
    }
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    const reason = err instanceof AppCallError ? err.reason : (err as Error).message;
    ctx.writes.write(() => record({ action: op.kind, result: 'failed', changes: sentBy(op).changes, reason }, 'failure', reason));
    return 'failed';
  }
}

/**
 * A create failed. Apps say "this userName is taken" in many ways (409, 400, or 500 with words,
 * issue 15 item 2), so the app is read to decide: if it now holds an account with this userName,
 * that was a clash, and the account is adopted as E-3 does. Otherwise the failure stands.
 */
async function clashingAccount(ctx: RunContext, userName: string, failure: unknown): Promise<RemoteAccount> {
  if (!(failure instanceof AppCallError) || failure.kind === 'unauthorized') throw failure;
  let found: RemoteAccount | null = null;
  try {
    // A declared conflict is worth a full read on a server whose filter compares case-exactly.
    found = await ctx.app.findUserByUserName(userName, { thorough: failure.kind === 'conflict' });
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
  }
  if (!found) throw failure;
  return found;
}

/**
 * A call on a linked account failed. Whatever the status (a gone account comes back as 404 from
 * most apps, 500 or 400 from some), the app is read before deciding: by id, then by userName.
 * The account is there: the failure stands. Found under another id: relinked. Gone (the app said
 * 404 to the read by id, and no account has the userName): made again. Says which happened, so
 * that a recreated account is counted as created.
 */
async function withRelink(
  ctx: RunContext,
  op: Extract<Operation, { remoteId: string }>,
  call: (remoteId: string) => Promise<void>,
): Promise<'relinked' | 'recreated' | null> {
  try {
    await call(op.remoteId);
    return null;
  } catch (failure) {
    if (!(failure instanceof AppCallError) || failure.kind === 'unauthorized') throw failure;
    const where = await whereIsAccount(ctx, op, failure);
    if (where === 'there') throw failure;
    let outcome: 'relinked' | 'recreated' = 'relinked';
    let remote = where === 'gone' ? null : where;
    if (!remote) {
      if (op.kind === 'suspend') return null; // nothing left to suspend
      remote = await ctx.app.createUser('attributes' in op ? op.attributes : op.lastSent);
      outcome = 'recreated';
    }
    ctx.deps.db
      .update(provisionedAccounts)
      .set({ remoteId: remote.id, ...(outcome === 'recreated' ? { origin: 'created' as const } : {}), updatedAt: ctx.deps.clock.now() })
      .where(and(eq(provisionedAccounts.configurationId, ctx.configurationId), eq(provisionedAccounts.directoryUserId, op.userId)))
      .run();
    await call(remote.id);
    return outcome;
  }
}

/** Reads the app about a linked account after a failure: still there, found elsewhere, or gone. */
async function whereIsAccount(ctx: RunContext, op: Extract<Operation, { remoteId: string }>, failure: AppCallError): Promise<'there' | 'gone' | RemoteAccount> {
  const read = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      // The app cannot be read either: the first failure is the one to report (and retry).
      if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
      throw failure;
    }
  };
  const byId = await read(() => ctx.app.getUser(op.remoteId));
  if (byId) return 'there';
  const userName = ctx.emailOf.get(op.userId) ?? '';
  const byName = userName ? await read(() => ctx.app.findUserByUserName(userName)) : null;
  if (byName) return byName.id === op.remoteId ? 'there' : byName;
  return 'gone';
}

/** E-13: after the accounts, the app's teams follow the mapped directory groups. */
async function syncTeams(ctx: RunContext & { users: DirectoryUserView[]; only: string[] | undefined }, count: (key: string) => void) {
  const { db, clock } = ctx.deps;
  const mappings = db.select().from(teamMappings).where(eq(teamMappings.configurationId, ctx.configurationId)).all();
  if (mappings.length === 0) return;
  const known = new Map(
    db.select().from(provisionedTeams).where(eq(provisionedTeams.configurationId, ctx.configurationId)).all().map((t) => [t.teamName, t]),
  );
  const accounts = loadAccounts(db, ctx.configurationId, ctx.only);
  const changes = planTeams(mappings, ctx.users, accounts, new Map([...known].map(([name, t]) => [name, t.members])), !ctx.only);
  for (const change of changes) {
    try {
      let remoteId = known.get(change.teamName)?.remoteId ?? (await ctx.app.ensureGroup(change.teamName));
      try {
        await ctx.app.changeGroupMembers(remoteId, change.add, change.remove);
      } catch (err) {
        // The team was removed in the app: make it again with every member it should have.
        if (!(err instanceof AppCallError && err.kind === 'not_found')) throw err;
        remoteId = await ctx.app.ensureGroup(change.teamName);
        await ctx.app.changeGroupMembers(remoteId, change.members, []);
      }
      const row = { configurationId: ctx.configurationId, teamName: change.teamName, remoteId, members: change.members, updatedAt: clock.now() };
      db.insert(provisionedTeams)
        .values(row)
        .onConflictDoUpdate({ target: [provisionedTeams.configurationId, provisionedTeams.teamName], set: row })
        .run();
      writeReportLine(db, ctx.runId, {
        directoryUserId: '',
        userEmail: `team ${change.teamName}`,
        action: 'team',
        result: 'succeeded',
        changes: { members: { before: String(change.members.length - change.add.length + change.remove.length), after: String(change.members.length) } },
      });
      count('teams_updated');
    } catch (err) {
      if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
      const reason = err instanceof AppCallError ? err.reason : (err as Error).message;
      writeReportLine(db, ctx.runId, { directoryUserId: '', userEmail: `team ${change.teamName}`, action: 'team', result: 'failed', reason });
      count('failed');
    }
  }
}

function fieldsOf(attributes: AppAttributes) {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { before: null, after: v }]));
}

/**
 * What a report line says an operation sends to the app (L-3), the same whether it was sent or
 * only planned (E-15): every attribute and the access level of a new account, the changed
 * fields of an update, the account's state, and why a user is deprovisioned.
 */
function sentBy(op: Operation): { changes: Record<string, FieldChange> | null; reason: string | null } {
  switch (op.kind) {
    case 'start_timer':
    case 'cancel_timer':
      return { changes: null, reason: null };
    case 'create':
      return { changes: fieldsOf(op.attributes), reason: null };
    case 'update':
      return { changes: op.changes, reason: null };
    case 'unsuspend':
      return { changes: { ...op.changes, active: { before: 'false', after: 'true' } }, reason: null };
    case 'suspend':
      return { changes: { active: { before: 'true', after: 'false' } }, reason: deprovisionReasons[op.trigger] };
    case 'delete':
      return { changes: null, reason: deprovisionReasons[op.trigger] };
  }
}

async function forEachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}
