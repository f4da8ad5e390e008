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
  photoUrl: string | null;
}

export interface GoogleGroupMember {
  kind: 'user' | 'group' | 'external';
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
    photoUrl: u.thumbnailPhotoUrl ?? null,
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
  const liveEmails = new Set(live.map((u) => u.primaryEmail));
  return [...live, ...deleted.filter((u) => !liveEmails.has(u.primaryEmail))];
}

export async function readUser(clients: GoogleClients, email: string, backoff?: BackoffOptions): Promise<GoogleUser | null> {
  try {
    const { data } = await withBackoff(() => clients.directory.users.get({ userKey: email, projection: 'full' }), backoff);
    return toGoogleUser(data);
  } catch (err) {
    if ((err as { response?: { status?: number } }).response?.status === 404) return null;
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
  return (data.organizationUnits ?? []).map((o) => ({ id: o.orgUnitId!, path: o.orgUnitPath!, name: o.name!, description: o.description || null }));
}

export async function readGroupMembers(clients: GoogleClients, groupEmail: string, domains: ReadonlySet<string>, backoff?: BackoffOptions): Promise<GoogleGroupMember[]> {
  const members = await allPages(async (pageToken) => {
    const { data } = await withBackoff(() => clients.directory.members.list({ groupKey: groupEmail, maxResults: 200, ...(pageToken ? { pageToken } : {}) }), backoff);
    return { items: data.members ?? [], next: data.nextPageToken };
  });
  const out: GoogleGroupMember[] = [];
  for (const m of members) {
    const email = m.email?.toLowerCase();
    // A CUSTOMER member ("everyone in the organisation") has no address: it is not a person to provision.
    if (!email || m.type === 'CUSTOMER') continue;
    if (m.type === 'GROUP') out.push({ kind: 'group', email });
    else out.push({ kind: domains.has(email.slice(email.lastIndexOf('@') + 1)) ? 'user' : 'external', email });
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
    out.push({ id: g.id!, email: g.email!.toLowerCase(), name: g.name ?? g.email!, description: g.description || null, members: await readGroupMembers(clients, g.email!, domains, backoff) });
  }
  return out;
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
