import type { Tx } from '@autoprov/db';
import { deprovisionReasons, type UsageEventKind } from '@autoprov/contract';
import type { AppAttributes, FieldChange, Operation } from './model.js';
import { AppCallError, type AppPort, type RemoteAccount } from './ports.js';
import type { EngineDeps } from './engine-deps.js';
import {
  linkAccount,
  markAccountActive,
  markAccountSuspended,
  relinkAccount,
  removeTimer,
  saveTimer,
  unlinkAccount,
  writeReportLine,
  writeUsageEvent,
  type ReportLine,
} from './store.js';
import type { WriteBatcher } from './store/write-batcher.js';
import type { RunEscrow } from './escrow.js';

/** What applying operations to one app needs: the app, the run it belongs to, where it records. */
export interface ApplyContext {
  deps: EngineDeps;
  app: AppPort;
  runId: string;
  configurationId: string;
  appKey: string;
  /** The e-mails of the users being worked on (one page of them in a paged run). */
  emailOf: Map<string, string>;
  /** The app's accounts by lower-cased userName, when the run read them all up front. */
  existing: Map<string, RemoteAccount> | null;
  writes: WriteBatcher;
  /** E-16: the run's escrow: refusals that wait for a change, attempts recorded, work done settled. */
  escrow: RunEscrow | null;
}

/** E-16: the outcome of an operation the app refused before and that would be sent unchanged. */
export const waitingForChange = 'waiting_for_change';

const eventOf: Partial<Record<Operation['kind'], UsageEventKind>> = {
  create: 'user_created',
  update: 'user_updated',
  unsuspend: 'user_unsuspended',
  suspend: 'user_suspended',
  delete: 'user_deleted',
};

/** Whether an operation is a call to the app (timers are autoprov's own bookkeeping). */
export const callsApp = (op: Operation) => op.kind !== 'start_timer' && op.kind !== 'cancel_timer';

/**
 * Applies some users' operations to the app, `concurrency` users at a time; a user's own
 * operations go in order. `applied` hears each outcome (`created`, `failed`, …, or null).
 */
export async function applyOperations(ctx: ApplyContext, operations: Operation[], concurrency: number, applied: (op: Operation, outcome: string | null) => Promise<void> | void) {
  const byUser = new Map<string, Operation[]>();
  for (const op of operations) {
    const list = byUser.get(op.userId);
    if (list) list.push(op);
    else byUser.set(op.userId, [op]);
  }
  await forEachConcurrently([...byUser.values()], concurrency, async (ops) => {
    for (const op of ops) {
      if (ctx.escrow?.waits(op)) {
        await applied(op, waitingForChange);
        continue;
      }
      const outcome = await applyOperation(ctx, op);
      // The user's escrowed work went through: out of escrow.
      const settled = outcome && outcome !== 'failed' ? ctx.escrow?.succeeded(op.userId) : null;
      if (settled) await ctx.writes.write(settled);
      await applied(op, outcome);
    }
  });
}

/** Applies one operation; returns the count it adds to (`created`, `failed`, …). */
export async function applyOperation(ctx: ApplyContext, op: Operation): Promise<string | null> {
  const { deps, app, runId, configurationId } = ctx;
  const { db, clock } = deps;
  const userEmail = ctx.emailOf.get(op.userId) ?? '';
  const key = { configurationId, directoryUserId: op.userId };
  const record = async (tx: Tx, line: Omit<ReportLine, 'directoryUserId' | 'userEmail'>, event: UsageEventKind | null, detail?: string) => {
    await writeReportLine(tx, runId, { directoryUserId: op.userId, userEmail, ...line });
    if (event) await writeUsageEvent(tx, { appKey: ctx.appKey, kind: event, directoryUserId: op.userId, userEmail, runId, detail: detail ?? null, at: clock.now() });
  };

  try {
    switch (op.kind) {
      case 'start_timer':
        await saveTimer(db, key, op.timer);
        return null;
      case 'cancel_timer':
        await removeTimer(db, key);
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
        await ctx.writes.write(async (tx) => {
          await linkAccount(tx, key, { userName: op.userName, remoteId: remote.id, lastSent: op.attributes, origin: adopted ? 'adopted' : 'created' }, now);
          // An account found in the app is adopted, not created: the summary, the report and the usage log agree.
          await record(tx, { action, result: 'succeeded', ...sentBy(op) }, adopted ? 'user_adopted' : 'user_created');
        });
        return adopted ? 'adopted' : 'created';
      }
      case 'update':
      case 'unsuspend': {
        const relinked = await withRelink(ctx, op, async (remoteId) => {
          if (Object.keys(op.changes).length > 0) await app.updateUser(remoteId, op.changes, op.attributes);
          if (op.kind === 'unsuspend') await app.setActive(remoteId, true, op.attributes);
        });
        await ctx.writes.write(async (tx) => {
          // The user's e-mail, as a create links it: a rename in the directory is recorded on the link.
          await markAccountActive(tx, key, { lastSent: op.attributes, userName: userEmail }, clock.now());
          if (op.kind === 'unsuspend') await removeTimer(tx, key);
          // The account was gone from the app and was made again: that is a creation, counted as one.
          if (relinked === 'recreated') await record(tx, { action: 'create', result: 'succeeded', changes: fieldsOf(op.attributes), reason: 'The account was no longer in the app: created again.' }, 'user_created');
          else if (relinked === 'relinked') await record(tx, { action: op.kind, result: 'succeeded', changes: sentBy(op).changes, reason: relinkedReason }, eventOf[op.kind]!);
          else await record(tx, { action: op.kind, result: 'succeeded', ...sentBy(op) }, eventOf[op.kind]!);
        });
        if (relinked === 'recreated') return 'created';
        return op.kind === 'update' ? 'updated' : 'unsuspended';
      }
      case 'suspend': {
        await withRelink(ctx, op, (remoteId) => app.setActive(remoteId, false, op.lastSent));
        await ctx.writes.write(async (tx) => {
          await markAccountSuspended(tx, key, clock.now());
          await removeTimer(tx, key);
          await record(tx, { action: 'suspend', result: 'succeeded', ...sentBy(op) }, 'user_suspended');
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
        await ctx.writes.write(async (tx) => {
          await unlinkAccount(tx, key);
          await removeTimer(tx, key);
          await record(tx, { action: 'delete', result: 'succeeded', ...sentBy(op) }, 'user_deleted');
        });
        return 'deleted';
      }
    }
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    const reason = err instanceof AppCallError ? err.reason : (err as Error).message;
    const failure = err instanceof AppCallError ? err.kind : 'unknown';
    await ctx.writes.write(async (tx) => {
      // E-16: one attempt, one Failure event; the report line says which attempt and when the next is.
      const attempt = await ctx.escrow?.failed({ op, userEmail, failure, reason, at: clock.now() }, tx);
      await record(tx, { action: op.kind, result: 'failed', changes: sentBy(op).changes, reason, attempt: attempt?.attempt ?? null, nextAttemptAt: attempt?.nextAttemptAt ?? null }, 'failure', reason);
    });
    return 'failed';
  }
}

/**
 * A create failed. Apps say "this userName is taken" in many ways (409, 400, or 500 with words,
 * issue 15 item 2), so the app is read to decide: if it now holds an account with this userName,
 * that was a clash, and the account is adopted as E-3 does. Otherwise the failure stands.
 */
async function clashingAccount(ctx: ApplyContext, userName: string, failure: unknown): Promise<RemoteAccount> {
  if (!(failure instanceof AppCallError) || failure.kind === 'unauthorized') throw failure;
  let found: RemoteAccount | null = null;
  try {
    // A declared conflict is worth a full read on a server whose filter compares case-exactly.
    found = await ctx.app.findUserByUserName(userName, { thorough: failure.kind === 'conflict' });
  } catch (err) {
    // The read could not say whether the account is there: the outcome is unknown, so the user
    // is retried on the transient schedule, not left waiting for a change as a refusal would be.
    if (err instanceof AppCallError && (err.kind === 'unauthorized' || err.kind === 'transient')) throw err;
  }
  if (!found) throw failure;
  return found;
}

/** What the report line of an operation says when the account was found under another id. */
const relinkedReason = 'The account had been made again in the app under another id: autoprov adopted it (E-3) and set it to what the directory says.';

/**
 * A call on a linked account failed. Whatever the status (a gone account comes back as 404 from
 * most apps, 500 or 400 from some), the app is read before deciding: by id, then by userName.
 * The account is there: the failure stands, unless it was a rename onto a userName another
 * account holds (then a conflict, see `renameClash`). Found under another id (made again by
 * hand): relinked, and adopted as E-3 adopts (it is set to hold exactly what autoprov sends).
 * Gone (the app said 404 to the read by id, and no account has the userName): made again. Says
 * which happened, so that a recreated account is counted as created.
 */
async function withRelink(
  ctx: ApplyContext,
  op: Extract<Operation, { remoteId: string }>,
  call: (remoteId: string) => Promise<void>,
): Promise<'relinked' | 'recreated' | null> {
  try {
    await call(op.remoteId);
    return null;
  } catch (failure) {
    if (!(failure instanceof AppCallError) || failure.kind === 'unauthorized') throw failure;
    const where = await whereIsAccount(ctx, op, failure);
    if (where === 'there') throw (await renameClash(ctx, op, failure)) ?? failure;
    const key = { configurationId: ctx.configurationId, directoryUserId: op.userId };
    if (where === 'gone') {
      if (op.kind === 'suspend') return null; // nothing left to suspend
      const made = await ctx.app.createUser('attributes' in op ? op.attributes : op.lastSent);
      await relinkAccount(ctx.deps.db, key, made.id, ctx.deps.clock.now(), 'created');
      await call(made.id);
      return 'recreated';
    }
    // E-19 ownership: autoprov did not make this account, so it is adopted, not created.
    await relinkAccount(ctx.deps.db, key, where.id, ctx.deps.clock.now(), 'adopted');
    // An update or unsuspension of an adopted account: it holds exactly what autoprov sends, active.
    if (op.kind === 'update' || op.kind === 'unsuspend') await ctx.app.overwriteUser(where.id, op.attributes);
    else await call(where.id);
    return 'relinked';
  }
}

/**
 * An update that renames the account failed, and the account is still there. Apps say "this
 * userName is taken" in many ways (409, or 500 with words, issue 15 item 2), so the app is read:
 * when another account holds the new userName, the failure is a conflict, whatever the status.
 * A conflict is a refusal, not the app being down: E-16 escrows it as permanent, and it is tried
 * again when the user's data changes what autoprov sends (or a super-admin asks).
 */
async function renameClash(ctx: ApplyContext, op: Extract<Operation, { remoteId: string }>, failure: AppCallError): Promise<AppCallError | null> {
  if (op.kind !== 'update' && op.kind !== 'unsuspend') return null;
  const userName = op.changes.userName?.after;
  if (!userName) return null;
  let holder: RemoteAccount | null = null;
  try {
    // A declared conflict is worth a full read on a server whose filter compares case-exactly.
    holder = await ctx.app.findUserByUserName(userName, { thorough: failure.kind === 'conflict' });
  } catch (err) {
    if (err instanceof AppCallError && err.kind === 'unauthorized') throw err;
    return null; // the app cannot be read: the first failure is the one to report
  }
  if (!holder || holder.id === op.remoteId) return null;
  return new AppCallError(
    'conflict',
    `The userName ${userName} is already held by another account in the app (id ${holder.id}), so this account cannot be renamed to it; it is tried again when the user's data changes. The app said: ${failure.reason}`,
  );
}

/** Reads the app about a linked account after a failure: still there, found elsewhere, or gone. */
async function whereIsAccount(ctx: ApplyContext, op: Extract<Operation, { remoteId: string }>, failure: AppCallError): Promise<'there' | 'gone' | RemoteAccount> {
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

function fieldsOf(attributes: AppAttributes) {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { before: null, after: v }]));
}

/**
 * What a report line says an operation sends to the app (L-3), the same whether it was sent or
 * only planned (E-15): every attribute and the access level of a new account, the changed
 * fields of an update, the account's state, and why a user is deprovisioned.
 */
export function sentBy(op: Operation): { changes: Record<string, FieldChange> | null; reason: string | null } {
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
