import type { AppDatabase } from '@autoprov/db';
import type { DriftMode, UsageEventKind } from '@autoprov/contract';
import { detectDrift, type AccountDrift, type AppAccountSnapshot } from './drift.js';
import type { FieldChange } from './model.js';
import { AppCallError, type AppPort, type Clock } from './ports.js';
import { loadAccounts, relinkAccount, writeReportLine, writeReportLines, writeUsageEvent } from './store.js';

/** What a reconciliation pass needs of its run (E-19). */
export interface ReconcileContext {
  db: AppDatabase;
  clock: Clock;
  app: AppPort;
  runId: string;
  configurationId: string;
  appKey: string;
  mode: DriftMode;
  /** Adds to the run's counts (`drift_corrected`, `drift_found`, `not_managed`, `failed`). */
  count(key: string, by?: number): void;
}

/**
 * E-19: a full reconciliation, after the run's plan has brought the links in step with the
 * directory. Reads every account the app holds (paged, through the app's pacer), compares
 * each linked account with what autoprov set, and sets it back, or only reports it. Accounts
 * autoprov neither created nor adopted are listed and never written to.
 */
export async function reconcileAccounts(ctx: ReconcileContext): Promise<{ attempted: number }> {
  const { db, app } = ctx;
  const links = await loadAccounts(db, ctx.configurationId);
  const paths = new Set<string>();
  for (const link of links.values()) for (const path of Object.keys(link.lastSent)) paths.add(path);

  const accounts: AppAccountSnapshot[] = [];
  try {
    for await (const a of app.listUsers({ attributes: [...paths] })) {
      accounts.push({ id: a.id, userName: a.userName, externalId: a.externalId ?? null, active: a.active, attributes: a.attributes ?? {} });
    }
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    // Without the whole list nothing can be said about drift, and nothing is changed.
    const reason = `The app's accounts could not be read, so drift was not checked: ${err instanceof Error ? err.message : String(err)}`;
    await writeReportLine(db, ctx.runId, { directoryUserId: '', userEmail: '', action: 'drift_found', result: 'failed', reason });
    ctx.count('failed');
    return { attempted: 1 };
  }

  const { drifts, notManaged } = detectDrift(links.values(), accounts);
  for (const drift of drifts) {
    if (ctx.mode === 'report') {
      await writeReportLine(db, ctx.runId, { directoryUserId: drift.link.directoryUserId, userEmail: drift.link.userName, action: 'drift_found', result: 'reported', ...describe(drift) });
      ctx.count('drift_found');
    } else {
      await correct(ctx, drift);
    }
  }
  await writeReportLines(
    db,
    ctx.runId,
    notManaged.map((a) => ({
      directoryUserId: '',
      userEmail: a.userName,
      action: 'not_managed',
      result: 'reported',
      reason: 'Not managed by autoprov: it neither created nor adopted this account, so it never changes it.',
    })),
  );
  if (notManaged.length > 0) ctx.count('not_managed', notManaged.length);
  return { attempted: ctx.mode === 'correct' ? drifts.length : 0 };
}

/** The report's before → after of a drift, and what it was. */
function describe(drift: AccountDrift): { changes: Record<string, FieldChange>; reason: string } {
  const changes = { ...drift.changes, ...(drift.active ? { active: drift.active } : {}) };
  if (!drift.found) return { changes, reason: 'The account was gone from the app.' };
  const what: string[] = [];
  if (drift.relinked) what.push(`the account was made again in the app (now ${drift.found.id}, adopted)`);
  if (drift.active?.after === 'false') what.push('the account was re-activated in the app while the directory says suspended');
  if (drift.active?.after === 'true') what.push('the account was suspended in the app while the directory says active');
  if (Object.keys(drift.changes).length > 0) what.push('attributes were changed in the app');
  const text = what.join('; ');
  return { changes, reason: text.charAt(0).toUpperCase() + text.slice(1) + '.' };
}

async function correct(ctx: ReconcileContext, drift: AccountDrift) {
  const { db, app, clock } = ctx;
  const link = drift.link;
  const key = { configurationId: ctx.configurationId, directoryUserId: link.directoryUserId };
  const { changes, reason } = describe(drift);
  const record = async (result: 'succeeded' | 'failed', why: string, event: UsageEventKind) => {
    await writeReportLine(db, ctx.runId, { directoryUserId: link.directoryUserId, userEmail: link.userName, action: 'drift_corrected', result, changes, reason: why });
    await writeUsageEvent(db, { appKey: ctx.appKey, kind: event, directoryUserId: link.directoryUserId, userEmail: link.userName, runId: ctx.runId, detail: why, at: clock.now() });
  };
  try {
    let event: UsageEventKind = 'user_updated';
    if (!drift.found) {
      // Gone from the app: made again, and autoprov's own (it created it).
      const made = await app.createUser(link.lastSent);
      await relinkAccount(db, key, made.id, clock.now(), 'created');
      event = 'user_created';
    } else if (drift.relinked) {
      // Made again by hand: autoprov did not create this account, it adopts it (E-19 ownership),
      // and as E-3 adopts: it is made to hold exactly what autoprov set. A PATCH of single paths
      // would miss what a hand-made account lacks (a replace of `emails[type eq "work"].value`
      // with no such e-mail is refused by strict servers, RFC 7644 §3.5.2.3 noTarget).
      const remoteId = drift.found.id;
      await relinkAccount(db, key, remoteId, clock.now(), 'adopted');
      await app.overwriteUser(remoteId, link.lastSent);
      if (link.state === 'suspended') await app.setActive(remoteId, false, link.lastSent);
      if (drift.active) event = drift.active.after === 'true' ? 'user_unsuspended' : 'user_suspended';
    } else {
      const remoteId = drift.found.id;
      // `before` is what the account holds: a value it lacks is added, not replaced (E-4).
      if (Object.keys(drift.changes).length > 0) await app.updateUser(remoteId, drift.changes, link.lastSent);
      if (drift.active) {
        const active = drift.active.after === 'true';
        await app.setActive(remoteId, active, link.lastSent);
        event = active ? 'user_unsuspended' : 'user_suspended';
      }
    }
    await record('succeeded', `Drift corrected: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, event);
    ctx.count('drift_corrected');
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    const why = err instanceof AppCallError ? err.reason : (err as Error).message;
    await record('failed', why, 'failure');
    ctx.count('failed');
  }
}
