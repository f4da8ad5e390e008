import { availabilityResolver } from './availability.js';
import type { DeprovisionTimer, DirectoryUserView, Operation, PlanConfiguration, ProvisionedAccount } from './model.js';
import { plan } from './plan.js';
import type { DirectoryPort, DirectoryPortUser } from './ports.js';
import { countAccounts, loadAccounts, loadAccountsInRange, loadTimers, loadTimersInRange, type UserIdRange } from './store.js';
import type { EngineDeps } from './engine-deps.js';

/** Users read and planned at once by a paged run. */
const pageSize = 2_000;

/** The operations planned for some users, with the e-mails the report names them by. */
export interface PlannedChunk {
  operations: Operation[];
  emailOf: Map<string, string>;
  withheld: boolean;
}

/** Where a run's plan comes from: read and planned in one piece, or a page at a time. */
export interface PlanSource {
  chunks(): AsyncIterable<PlannedChunk> | Iterable<PlannedChunk>;
  accountCount(): Promise<number>;
  /** A plan made in one piece is kept whatever its size: reading it again would cost the same. */
  keepAll?: boolean;
  /** The directory users, when teams follow groups (E-13). */
  users?: DirectoryUserView[];
}

/** What a plan source needs to know of the run and its configuration. */
export interface PlanSourceRequest {
  configurationId: string;
  planConfiguration: Omit<PlanConfiguration, 'primaryDomain'>;
  availability: ReadonlyMap<string, boolean>;
  now: Date;
  /** A change-driven or on-demand run looks at these users only (E-11, E-20). */
  only: string[] | undefined;
  /** E-13: teams follow groups, so the plan needs every user at once. */
  teamsFollowGroups: boolean;
  /** M-6: every pending deprovisioning is carried out now. */
  carryOutTimers: boolean;
}

/**
 * The plan source of a run: a full run over a directory that reads in pages is planned a page at
 * a time; a run for some users only, or whose teams follow groups (teams need everyone at once),
 * is planned in one piece.
 */
export async function planSourceFor(deps: Pick<EngineDeps, 'db' | 'directory' | 'paging'>, request: PlanSourceRequest): Promise<PlanSource> {
  const paged = !request.only && !request.teamsFollowGroups && deps.directory.readPages !== undefined;
  if (!paged) return wholePlan(deps, request);
  return { chunks: () => pagedPlan(deps, request), accountCount: async () => await countAccounts(deps.db, request.configurationId) };
}

/**
 * One plan for the users read in one go: a change-driven run, or a run whose teams follow
 * groups. The snapshot stays in this frame: past planning only the users' e-mails are kept (and
 * the users themselves when teams follow groups, E-13).
 */
async function wholePlan(deps: Pick<EngineDeps, 'db' | 'directory'>, request: PlanSourceRequest): Promise<PlanSource> {
  const { configurationId, only } = request;
  const snapshot = only ? await readUsersOf(deps.directory, only) : await deps.directory.read();
  const users = viewsOf(snapshot.users, availabilityResolver(request.availability));
  const emailOf = new Map(users.map((u) => [u.id, u.primaryEmail]));
  const accounts = await loadAccounts(deps.db, configurationId, only);
  for (const a of accounts.values()) if (!emailOf.has(a.directoryUserId)) emailOf.set(a.directoryUserId, a.userName);
  const thePlan = plan({
    now: request.now,
    configuration: { ...request.planConfiguration, primaryDomain: snapshot.primaryDomain },
    users,
    accounts,
    timers: await loadTimers(deps.db, configurationId, only),
    carryOutTimers: request.carryOutTimers,
  });
  const chunk: PlannedChunk = { operations: thePlan.operations, emailOf, withheld: thePlan.deprovisioningWithheld !== null };
  return {
    chunks: () => [chunk],
    accountCount: async () => (only ? await countAccounts(deps.db, configurationId) : accounts.size),
    keepAll: true,
    users: request.teamsFollowGroups ? users : [],
  };
}

/** Just these users, from a directory that can read them alone or from the whole of it. */
export async function readUsersOf(directory: DirectoryPort, ids: string[]) {
  if (directory.readUsers) return await directory.readUsers(ids);
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
export async function* directoryPages(deps: Pick<EngineDeps, 'db' | 'directory' | 'paging'>, configurationId: string): AsyncGenerator<DirectoryPage> {
  let primaryDomain = '';
  let after = '';
  let anyone = false;
  const linksIn = async (range: UserIdRange) => ({
    accounts: await loadAccountsInRange(deps.db, configurationId, range),
    timers: await loadTimersInRange(deps.db, configurationId, range),
  });
  for await (const page of deps.directory.readPages!(deps.paging?.pageSize ?? pageSize)) {
    if (page.users.length === 0) continue;
    primaryDomain = page.primaryDomain;
    anyone = true;
    const upTo = page.users.at(-1)!.id;
    yield { primaryDomain, users: page.users, ...await linksIn({ after, upTo }), directoryEmpty: false };
    after = upTo;
  }
  yield { primaryDomain, users: [], ...await linksIn({ after, upTo: null }), directoryEmpty: !anyone };
}

/** A full run planned a page of users at a time (see directoryPages). */
async function* pagedPlan(deps: Pick<EngineDeps, 'db' | 'directory' | 'paging'>, request: PlanSourceRequest): AsyncGenerator<PlannedChunk> {
  const appOn = availabilityResolver(request.availability);
  for await (const page of directoryPages(deps, request.configurationId)) {
    const users = viewsOf(page.users, appOn);
    const p = plan({
      now: request.now,
      configuration: { ...request.planConfiguration, primaryDomain: page.primaryDomain },
      users,
      accounts: page.accounts,
      timers: page.timers,
      directoryEmpty: page.directoryEmpty,
      carryOutTimers: request.carryOutTimers,
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
