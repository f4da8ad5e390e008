import type { AppAttributes, FieldChange, ProvisionedAccount } from './model.js';

/** An account as a reconciliation reads it from the app (E-19). */
export interface AppAccountSnapshot {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  /** What the account holds for the attributes autoprov sets. */
  attributes: AppAttributes;
}

/** One linked account whose app side differs from what the directory says (E-19). */
export interface AccountDrift {
  link: ProvisionedAccount;
  /**
   * The account in the app: under the linked id, or found by externalId or userName after it was
   * made again by hand (`relinked`); null when it is gone from the app.
   */
  found: AppAccountSnapshot | null;
  relinked: boolean;
  /** Attributes to set back: `before` what the app holds, `after` what autoprov set. */
  changes: Record<string, FieldChange>;
  /** The account's active flag to set back, as `'true'`/`'false'`. */
  active: FieldChange | null;
}

export interface Reconciliation {
  drifts: AccountDrift[];
  /** Accounts in the app that autoprov neither created nor adopted: never touched, only listed. */
  notManaged: AppAccountSnapshot[];
}

/** Attributes an app may change the case of without changing them (RFC 7643: caseExact false). */
const caseless = (path: string) => path === 'userName' || path.startsWith('emails');

function same(path: string, a: string | null, b: string | null): boolean {
  const x = a ?? '';
  const y = b ?? '';
  return caseless(path) ? x.toLowerCase() === y.toLowerCase() : x === y;
}

/** The attributes whose value in the app differs from what autoprov last set (only those in `kept`, when given). */
export function attributeDrift(lastSent: AppAttributes, holds: AppAttributes, kept?: ReadonlySet<string>): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  for (const [path, after] of Object.entries(lastSent)) {
    if (kept && !kept.has(path)) continue;
    const before = holds[path] ?? null;
    if (!same(path, before, after ?? null)) changes[path] = { before, after: after ?? null };
  }
  return changes;
}

/**
 * E-19, pure: the links (what autoprov set, kept in step with the directory by the run's plan)
 * against what the app holds. A link is matched by its account id, then (made again by hand)
 * by externalId, then by userName; every account no link reaches is not autoprov's.
 */
export function detectDrift(links: Iterable<ProvisionedAccount>, accounts: readonly AppAccountSnapshot[]): Reconciliation {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const claimed = new Set<string>();
  const pending: ProvisionedAccount[] = [];
  const matched: { link: ProvisionedAccount; found: AppAccountSnapshot | null; relinked: boolean }[] = [];
  for (const link of links) {
    const found = byId.get(link.remoteId);
    if (found) {
      claimed.add(found.id);
      matched.push({ link, found, relinked: false });
    } else pending.push(link);
  }
  // Only accounts no link holds by id can be relinked, so two links never share an account.
  const free = accounts.filter((a) => !claimed.has(a.id));
  const byExternalId = new Map(free.filter((a) => a.externalId).map((a) => [a.externalId!, a]));
  const byUserName = new Map(free.map((a) => [a.userName.toLowerCase(), a]));
  for (const link of pending) {
    const externalId = link.lastSent.externalId;
    const candidate = (externalId ? byExternalId.get(externalId) : undefined) ?? byUserName.get(link.userName.toLowerCase());
    const found = candidate && !claimed.has(candidate.id) ? candidate : null;
    if (found) claimed.add(found.id);
    matched.push({ link, found, relinked: found !== null });
  }

  // An attribute that no account in the app holds is one the app does not keep (it accepts and
  // drops it): comparing it would "correct" every account on every reconciliation.
  const kept = new Set<string>();
  for (const a of accounts) for (const [path, value] of Object.entries(a.attributes)) if (value != null && value !== '') kept.add(path);

  const drifts: AccountDrift[] = [];
  for (const { link, found, relinked } of matched) {
    if (!found) {
      // A suspended account that is gone has nothing left to suspend.
      if (link.state === 'active') drifts.push({ link, found, relinked, changes: attributeDrift(link.lastSent, {}), active: null });
      continue;
    }
    const changes = attributeDrift(link.lastSent, found.attributes, kept);
    const shouldBeActive = link.state === 'active';
    const active = found.active === shouldBeActive ? null : { before: String(found.active), after: String(shouldBeActive) };
    if (relinked || active || Object.keys(changes).length > 0) drifts.push({ link, found, relinked, changes, active });
  }
  return { drifts, notManaged: accounts.filter((a) => !claimed.has(a.id)) };
}
