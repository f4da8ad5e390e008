import type { admin_directory_v1 } from '@googleapis/admin';
import { withBackoff, type BackoffOptions } from './backoff.js';
import type { GoogleClients } from './client.js';

/** A Google Workspace user as autoprov's directory knows users (SPEC §1). */
export interface GoogleUser {
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  status: 'active' | 'suspended' | 'archived' | 'deleted';
  orgUnitPath: string;
  jobTitle: string | null;
  department: string | null;
  phone: string | null;
  employeeId: string | null;
}

export interface GoogleGroupMember {
  kind: 'user' | 'group' | 'external';
  /** Google's id of the user or group (G-1); absent for addresses outside the organisation. */
  id: string | null;
  email: string;
}

export interface GoogleGroup {
  id: string;
  email: string;
  name: string;
  description: string | null;
  members: GoogleGroupMember[];
}

export interface GoogleOrgUnit {
  id: string;
  path: string;
  name: string;
  description: string | null;
  /** Null for units directly under the root (Google does not list the root itself). */
  parentId: string | null;
}

export interface GoogleDirectoryRead {
  primaryDomain: string;
  secondaryDomains: string[];
  orgUnits: GoogleOrgUnit[];
  users: GoogleUser[];
  groups: GoogleGroup[];
}

const customer = 'my_customer';

export function toGoogleUser(u: admin_directory_v1.Schema$User, deleted = false): GoogleUser {
  const organization = (u.organizations as { title?: string; department?: string; primary?: boolean }[] | undefined)?.find((o) => o.primary) ??
    (u.organizations as { title?: string; department?: string }[] | undefined)?.[0];
  const phone = (u.phones as { value?: string; type?: string; primary?: boolean }[] | undefined)?.find((p) => p.primary || p.type === 'work');
  const employeeId = (u.externalIds as { value?: string; type?: string }[] | undefined)?.find((e) => e.type === 'organization');
  return {
    id: u.id!,
    primaryEmail: u.primaryEmail!.toLowerCase(),
    givenName: u.name?.givenName ?? '',
    familyName: u.name?.familyName ?? '',
    status: deleted ? 'deleted' : u.archived ? 'archived' : u.suspended ? 'suspended' : 'active',
    orgUnitPath: u.orgUnitPath ?? '/',
    jobTitle: organization?.title || null,
    department: organization?.department || null,
    phone: phone?.value || null,
    employeeId: employeeId?.value || null,
    // thumbnailPhotoUrl is not read: Google documents it as possibly temporary or private, so an
    // app given it would show a broken or unreachable picture (the mapping says so).
  };
}

/** Every page of a list call, following nextPageToken. */
async function allPages<T>(fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; next: string | null | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...page.items);
    token = page.next ?? undefined;
  } while (token);
  return out;
}

export async function readUsers(clients: GoogleClients, backoff?: BackoffOptions): Promise<GoogleUser[]> {
  const list = (showDeleted: boolean) =>
    allPages(async (pageToken) => {
      const { data } = await withBackoff(
        () => clients.directory.users.list({ customer, maxResults: 500, projection: 'full', showDeleted: String(showDeleted), orderBy: 'email', ...(pageToken ? { pageToken } : {}) }),
        backoff,
      );
      return { items: (data.users ?? []).map((u) => toGoogleUser(u, showDeleted)), next: data.nextPageToken };
    });
  // Deleted users (kept by Google for 20 days) are listed apart; the engine deprovisions them.
  const [live, deleted] = [await list(false), await list(true)];
  // A user renamed between two pages can be listed twice: once is enough.
  const unique = [...new Map(live.map((u) => [u.id, u])).values()];
  const liveIds = new Set(unique.map((u) => u.id));
  return [...unique, ...deleted.filter((u) => !liveIds.has(u.id))];
}

const notFound = (err: unknown) => (err as { response?: { status?: number } }).response?.status === 404;

/** One user by address or id; a former address (an alias after a rename) answers with the user as now. */
export async function readUser(clients: GoogleClients, email: string, backoff?: BackoffOptions): Promise<GoogleUser | null> {
  try {
    const { data } = await withBackoff(() => clients.directory.users.get({ userKey: email, projection: 'full' }), backoff);
    return toGoogleUser(data);
  } catch (err) {
    if (notFound(err)) return null;
    throw err;
  }
}

export async function readDomains(clients: GoogleClients, backoff?: BackoffOptions) {
  const { data } = await withBackoff(() => clients.directory.domains.list({ customer }), backoff);
  const domains = data.domains ?? [];
  const primary = domains.find((d) => d.isPrimary)?.domainName;
  if (!primary) throw new Error('Google listed no primary domain for this organisation.');
  return { primaryDomain: primary.toLowerCase(), secondaryDomains: domains.filter((d) => !d.isPrimary && d.domainName).map((d) => d.domainName!.toLowerCase()) };
}

export async function readOrgUnits(clients: GoogleClients, backoff?: BackoffOptions): Promise<GoogleOrgUnit[]> {
  const { data } = await withBackoff(() => clients.directory.orgunits.list({ customerId: customer, type: 'all' }), backoff);
  const units = data.organizationUnits ?? [];
  const listed = new Set(units.map((o) => o.orgUnitId));
  return units.map((o) => ({
    id: o.orgUnitId!,
    path: o.orgUnitPath!,
    name: o.name!,
    description: o.description || null,
    parentId: o.parentOrgUnitId && listed.has(o.parentOrgUnitId) ? o.parentOrgUnitId : null,
  }));
}

/** The group's direct members; null when the group no longer exists (deleted while reading). */
export async function readGroupMembers(clients: GoogleClients, groupKey: string, domains: ReadonlySet<string>, backoff?: BackoffOptions): Promise<GoogleGroupMember[] | null> {
  let members: admin_directory_v1.Schema$Member[];
  try {
    members = await allPages(async (pageToken) => {
      const { data } = await withBackoff(() => clients.directory.members.list({ groupKey, maxResults: 200, ...(pageToken ? { pageToken } : {}) }), backoff);
      return { items: data.members ?? [], next: data.nextPageToken };
    });
  } catch (err) {
    if (notFound(err)) return null;
    throw err;
  }
  const out: GoogleGroupMember[] = [];
  for (const m of members) {
    const email = m.email?.toLowerCase();
    // A CUSTOMER member ("everyone in the organisation") has no address: it is not a person to provision.
    if (!email || m.type === 'CUSTOMER') continue;
    const id = m.id ?? null;
    if (m.type === 'GROUP') out.push({ kind: 'group', id, email });
    else if (domains.has(email.slice(email.lastIndexOf('@') + 1))) out.push({ kind: 'user', id, email });
    else out.push({ kind: 'external', id: null, email });
  }
  return out;
}

export async function readGroups(clients: GoogleClients, domains: ReadonlySet<string>, backoff?: BackoffOptions): Promise<GoogleGroup[]> {
  const groups = await allPages(async (pageToken) => {
    const { data } = await withBackoff(() => clients.directory.groups.list({ customer, maxResults: 200, ...(pageToken ? { pageToken } : {}) }), backoff);
    return { items: data.groups ?? [], next: data.nextPageToken };
  });
  const out: GoogleGroup[] = [];
  for (const g of groups) {
    // By id: an address changed while reading still names the same group.
    const members = await readGroupMembers(clients, g.id!, domains, backoff);
    // G-2: a group deleted after it was listed is left out, as the next list would.
    if (members) out.push(toGoogleGroup(g, members));
  }
  return out;
}

export function toGoogleGroup(g: admin_directory_v1.Schema$Group, members: GoogleGroupMember[]): GoogleGroup {
  return { id: g.id!, email: g.email!.toLowerCase(), name: g.name ?? g.email!, description: g.description || null, members };
}

/**
 * G-2: what a listing can miss. Users and groups are listed by address, page by page, so one
 * renamed while the pages are read can fall between two pages. Those autoprov knows (by id) and
 * the listing left out are asked for one by one; those still there are added to the read, so a
 * rename during a full read is never taken for a deletion.
 */
export async function addMissed(clients: GoogleClients, read: GoogleDirectoryRead, known: { users: string[]; groups: string[] }, backoff?: BackoffOptions): Promise<GoogleDirectoryRead> {
  const listedUsers = new Set(read.users.map((u) => u.id));
  const listedGroups = new Set(read.groups.map((g) => g.id));
  const users = [...read.users];
  const groups = [...read.groups];
  for (const id of known.users) {
    if (listedUsers.has(id)) continue;
    const user = await readUser(clients, id, backoff);
    if (user && user.id === id) users.push(user);
  }
  const domains = new Set([read.primaryDomain, ...read.secondaryDomains]);
  for (const id of known.groups) {
    if (listedGroups.has(id)) continue;
    try {
      const { data } = await withBackoff(() => clients.directory.groups.get({ groupKey: id }), backoff);
      const members = await readGroupMembers(clients, id, domains, backoff);
      if (members && data.id === id) groups.push(toGoogleGroup(data, members));
    } catch (err) {
      if (!notFound(err)) throw err;
    }
  }
  return { ...read, users, groups };
}

/** A full read: the safety net, on a schedule and on demand (issue 6 item 3). */
export async function readGoogleDirectory(clients: GoogleClients, backoff?: BackoffOptions): Promise<GoogleDirectoryRead> {
  const { primaryDomain, secondaryDomains } = await readDomains(clients, backoff);
  const domains = new Set([primaryDomain, ...secondaryDomains]);
  const orgUnits = await readOrgUnits(clients, backoff);
  const users = await readUsers(clients, backoff);
  const groups = await readGroups(clients, domains, backoff);
  return { primaryDomain, secondaryDomains, orgUnits, users, groups };
}
