// A local stand-in for Google's OAuth token endpoint, the Admin SDK Directory API and the
// Reports API (the admin and groups_enterprise logs), answering with their real response and
// error shapes, so the connector is tested through Google's own client library on 127.0.0.1.
// It behaves as Google does where it matters (G-1, G-2): a renamed user or group keeps its id
// and its old address as an alias, org unit renames and moves change every member's path with
// no event per user, audit events can show up late, and objects can vanish in the middle of a read.
import { createPublicKey, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';

export const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

export interface FakeUser {
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  orgUnitPath: string;
  suspended?: boolean;
  archived?: boolean;
  deleted?: boolean;
  isAdmin?: boolean;
  title?: string;
  department?: string;
  phone?: string;
  employeeId?: string;
  etag?: string;
  /** Former addresses: Google keeps them as aliases after a rename (users.get answers by them). */
  aliases?: string[];
}

export interface FakeGroup {
  id: string;
  email: string;
  name: string;
  description?: string;
  /** Member e-mails (users inside or outside the organisation) and group e-mails (nested). */
  members: { email: string; type: 'USER' | 'GROUP'; id?: string }[];
  aliases?: string[];
}

interface Activity {
  application: 'admin' | 'groups_enterprise';
  time: string;
  uniqueQualifier: string;
  type: string;
  name: string;
  parameters: { name: string; value: string }[];
}

export interface FakeGoogleOptions {
  customerId?: string;
  primaryDomain?: string;
  secondaryDomains?: string[];
  /** The e-mails of the organisation's super-admins. */
  superAdmins?: string[];
  /** The scopes domain-wide delegation grants to the service account (all of them by default). */
  grantedScopes?: string[] | 'all';
  /** 0 (default) picks a free port. */
  port?: number;
}

/** A service account key as the Google Cloud console downloads it (JSON). */
export function makeServiceAccountKey(clientEmail = 'autoprov-reader@example-project.iam.gserviceaccount.com') {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    type: 'service_account',
    project_id: 'example-project',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: clientEmail,
    client_id: String(100000000000000000000n + BigInt(Math.floor(Math.random() * 1e9))),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: GOOGLE_TOKEN_AUDIENCE,
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(clientEmail)}`,
    universe_domain: 'googleapis.com',
  };
}
export type ServiceAccountKeyJson = ReturnType<typeof makeServiceAccountKey>;

const googleError = (c: Context, code: number, message: string, reason: string, domain = 'global') =>
  c.json({ error: { code, message, errors: [{ message, domain, reason }] } }, code as 400);

export async function startFakeGoogle(options: FakeGoogleOptions = {}) {
  const customerId = options.customerId ?? 'C03az79cb';
  const primaryDomain = options.primaryDomain ?? 'example.com';
  const domains = [{ domainName: primaryDomain, isPrimary: true }, ...(options.secondaryDomains ?? ['example.org']).map((d) => ({ domainName: d, isPrimary: false }))];
  const users = new Map<string, FakeUser>();
  const groups = new Map<string, FakeGroup>();
  const orgUnits = new Map<string, { id: string; name: string; description: string }>();
  const activities: Activity[] = [];
  const serviceAccounts = new Map<string, string>(); // client_email → public key PEM
  const tokens = new Map<string, { sub: string; scopes: string[]; expires: number }>();
  const state = {
    superAdmins: new Set(options.superAdmins ?? [`admin@${primaryDomain}`]),
    grantedScopes: options.grantedScopes ?? ('all' as string[] | 'all'),
    /** Requests answered with a rate-limit error before the next one goes through (403 or 429 in turn). */
    rateLimitNext: 0,
    rateLimited: 0,
    requests: { token: 0, users: 0, groups: 0, members: 0, activities: 0, other: 0 },
    /** Events recorded from now on happened this long before Google shows them (late events). */
    eventLagMs: 0,
    /** Called once after the next groups.list page is served: a change in the middle of a full read. */
    afterGroupsListed: null as (() => void) | null,
    /** Called once after the next users.list page is served (a rename while the pages are read). */
    afterUsersPage: null as (() => void) | null,
    /** Subjects whose admin role lacks the Reports privilege: the Reports API answers 401 authError. */
    noReportsAccess: new Set<string>(),
    /** Reports API requests answered 503 (over quota, as the Reports API says it) before one goes through. */
    reportsOverQuotaNext: 0,
    /** Service accounts deleted or disabled in Google Cloud, by client_email. */
    deletedServiceAccounts: new Set<string>(),
    disabledServiceAccounts: new Set<string>(),
    /** How far the token endpoint's clock is from ours (a server clock that is off). */
    clockSkewMs: 0,
    /** Groups whose members.list fails with 400 Invalid Input (a full read that keeps failing). */
    brokenGroups: new Set<string>(),
  };
  let sequence = 0;
  // Google's ids are unique across organisations: each fake organisation draws from its own range.
  const idBase = 100000000000000000000n + BigInt(randomBytes(4).readUInt32BE()) * 10_000_000n;
  const nextId = () => String(idBase + BigInt(++sequence));

  const record = (type: string, name: string, parameters: Record<string, string>, application: Activity['application'] = 'admin') => {
    activities.push({
      application,
      time: new Date(Date.now() - state.eventLagMs + activities.length).toISOString(),
      uniqueQualifier: randomBytes(8).readBigInt64BE().toString(),
      type,
      name,
      parameters: Object.entries(parameters).map(([n, value]) => ({ name: n, value })),
    });
  };

  /** By primary address, former address (alias) or id, as Google's userKey and groupKey. */
  const findUser = (key: string) => {
    const k = key.toLowerCase();
    return users.get(k) ?? [...users.values()].find((u) => u.id === k || u.aliases?.includes(k));
  };
  const findGroup = (key: string) => {
    const k = key.toLowerCase();
    return groups.get(k) ?? [...groups.values()].find((g) => g.id === k || g.aliases?.includes(k));
  };

  const userResource = (u: FakeUser) => ({
    kind: 'admin#directory#user',
    id: u.id,
    etag: `"${u.etag ?? 'e0'}"`,
    primaryEmail: u.primaryEmail,
    name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
    isAdmin: u.isAdmin ?? state.superAdmins.has(u.primaryEmail),
    isDelegatedAdmin: false,
    lastLoginTime: '1970-01-01T00:00:00.000Z',
    creationTime: '2024-01-15T09:00:00.000Z',
    agreedToTerms: true,
    suspended: u.suspended ?? false,
    ...(u.suspended ? { suspensionReason: 'ADMIN' } : {}),
    archived: u.archived ?? false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: u.primaryEmail, primary: true }, ...(u.aliases ?? []).map((address) => ({ address }))],
    ...(u.aliases?.length ? { aliases: u.aliases } : {}),
    ...(u.title || u.department ? { organizations: [{ title: u.title ?? '', department: u.department ?? '', primary: true, customType: '' }] } : {}),
    ...(u.phone ? { phones: [{ value: u.phone, type: 'work' }] } : {}),
    ...(u.employeeId ? { externalIds: [{ value: u.employeeId, type: 'organization' }] } : {}),
    customerId,
    orgUnitPath: u.orgUnitPath,
    isMailboxSetup: true,
    isEnrolledIn2Sv: false,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
    ...(u.deleted ? { deletionTime: new Date().toISOString() } : {}),
  });

  const page = <T>(items: T[], c: Context, max: number, defaultMax: number) => {
    const size = Math.min(Number(c.req.query('maxResults') ?? defaultMax), max);
    const start = Number(c.req.query('pageToken') ? Buffer.from(c.req.query('pageToken')!, 'base64url').toString() : 0);
    const slice = items.slice(start, start + size);
    const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
    return { slice, next };
  };

  /** Moves an org unit (and what is below it) from one path to another, users included. */
  const movePaths = (from: string, to: string) => {
    for (const [path, unit] of [...orgUnits.entries()]) {
      if (path !== from && !path.startsWith(`${from}/`)) continue;
      orgUnits.delete(path);
      orgUnits.set(to + path.slice(from.length), unit);
    }
    for (const u of users.values()) if (u.orgUnitPath === from || u.orgUnitPath.startsWith(`${from}/`)) u.orgUnitPath = to + u.orgUnitPath.slice(from.length);
  };

  const app = new Hono();

  // OAuth 2.0 JWT bearer grant (RFC 7523), as oauth2.googleapis.com answers it.
  app.post('/token', async (c) => {
    state.requests.token++;
    const form = await c.req.parseBody();
    if (form.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return c.json({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + String(form.grant_type) }, 400);
    }
    const parts = String(form.assertion ?? '').split('.');
    if (parts.length !== 3) return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.' }, 400);
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString()) as { iss: string; sub?: string; scope: string; aud: string; exp: number; iat: number };
    const googleNow = (Date.now() + state.clockSkewMs) / 1000;
    if (claims.iat > googleNow + 300 || claims.exp < googleNow || claims.exp - claims.iat > 3600) {
      return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.' }, 400);
    }
    if (state.deletedServiceAccounts.has(claims.iss) || state.disabledServiceAccounts.has(claims.iss)) {
      return c.json({ error: 'invalid_grant', error_description: 'Invalid grant: account not found' }, 400);
    }
    const publicKey = serviceAccounts.get(claims.iss);
    const signatureOk =
      publicKey !== undefined &&
      verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(publicKey), Buffer.from(parts[2]!, 'base64url'));
    if (!signatureOk) return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, 400);
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT: audience' }, 400);
    const scopes = claims.scope.split(' ');
    const subject = claims.sub;
    const subjectUser = subject ? findUser(subject) : undefined;
    if (subjectUser?.deleted) return c.json({ error: 'invalid_grant', error_description: 'The account has been deleted' }, 400);
    if (subject && !subjectUser && !state.superAdmins.has(subject.toLowerCase())) {
      return c.json({ error: 'invalid_grant', error_description: 'Invalid email or User ID' }, 400);
    }
    const granted = state.grantedScopes;
    if (subject && granted !== 'all' && !scopes.every((s) => granted.includes(s))) {
      return c.json(
        { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' },
        401,
      );
    }
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    tokens.set(accessToken, { sub: subject ?? claims.iss, scopes, expires: Date.now() + 3600_000 });
    return c.json({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
  });

  /** Token, scope and admin checks, then the rate limit, as Google applies them. */
  const guard = (scopeNeeded: string[]) => async (c: Context, next: () => Promise<void>) => {
    const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const grant = token ? tokens.get(token) : undefined;
    if (!grant || grant.expires < Date.now()) {
      return c.json({ error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', errors: [{ message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }], status: 'UNAUTHENTICATED' } }, 401);
    }
    if (!scopeNeeded.some((s) => grant.scopes.includes(s))) {
      return c.json({ error: { code: 403, message: 'Request had insufficient authentication scopes.', errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }], status: 'PERMISSION_DENIED' } }, 403);
    }
    if (!state.superAdmins.has(grant.sub.toLowerCase())) return googleError(c, 403, 'Not Authorized to access this resource/api', 'forbidden');
    if (state.rateLimitNext > 0) {
      state.rateLimitNext--;
      state.rateLimited++;
      if (state.rateLimited % 2 === 0) {
        return c.json({ error: { code: 429, message: "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.", errors: [{ message: 'Quota exceeded', domain: 'global', reason: 'rateLimitExceeded' }], status: 'RESOURCE_EXHAUSTED' } }, 429);
      }
      return googleError(c, 403, 'Request rate higher than configured.', 'userRateLimitExceeded', 'usageLimits');
    }
    await next();
  };

  const S = 'https://www.googleapis.com/auth/';
  const dir = '/admin/directory/v1';
  app.get(`${dir}/users`, guard([`${S}admin.directory.user.readonly`, `${S}admin.directory.user`]), (c) => {
    state.requests.users++;
    const showDeleted = c.req.query('showDeleted') === 'true';
    const all = [...users.values()].filter((u) => Boolean(u.deleted) === showDeleted).sort((a, b) => a.primaryEmail.localeCompare(b.primaryEmail));
    const { slice, next } = page(all, c, 500, 100);
    const after = state.afterUsersPage;
    state.afterUsersPage = null;
    after?.();
    return c.json({ kind: 'admin#directory#users', etag: `"users-${sequence}"`, users: slice.map(userResource), ...(next ? { nextPageToken: next } : {}) });
  });
  app.get(`${dir}/users/:userKey`, guard([`${S}admin.directory.user.readonly`, `${S}admin.directory.user`]), (c) => {
    state.requests.users++;
    const u = findUser(c.req.param('userKey') ?? '');
    if (!u || u.deleted) return googleError(c, 404, 'Resource Not Found: userKey', 'notFound');
    return c.json(userResource(u));
  });
  app.get(`${dir}/groups`, guard([`${S}admin.directory.group.readonly`, `${S}admin.directory.group`]), (c) => {
    state.requests.groups++;
    const all = [...groups.values()].sort((a, b) => a.email.localeCompare(b.email));
    const { slice, next } = page(all, c, 200, 200);
    const after = state.afterGroupsListed;
    state.afterGroupsListed = null;
    after?.();
    return c.json({
      kind: 'admin#directory#groups',
      etag: `"groups-${sequence}"`,
      groups: slice.map((g) => ({ kind: 'admin#directory#group', id: g.id, etag: '"g"', email: g.email, name: g.name, directMembersCount: String(g.members.length), description: g.description ?? '', adminCreated: true })),
      ...(next ? { nextPageToken: next } : {}),
    });
  });
  app.get(`${dir}/groups/:groupKey`, guard([`${S}admin.directory.group.readonly`, `${S}admin.directory.group`]), (c) => {
    state.requests.groups++;
    const g = findGroup(c.req.param('groupKey') ?? '');
    if (!g) return googleError(c, 404, 'Resource Not Found: groupKey', 'notFound');
    return c.json({ kind: 'admin#directory#group', id: g.id, etag: '"g"', email: g.email, name: g.name, directMembersCount: String(g.members.length), description: g.description ?? '', adminCreated: true });
  });
  app.get(`${dir}/groups/:groupKey/members`, guard([`${S}admin.directory.group.member.readonly`, `${S}admin.directory.group.readonly`]), (c) => {
    state.requests.members++;
    const g = findGroup(c.req.param('groupKey') ?? '');
    if (!g) return googleError(c, 404, 'Resource Not Found: groupKey', 'notFound');
    if (state.brokenGroups.has(g.email)) return googleError(c, 400, 'Invalid Input: groupKey', 'invalid');
    const { slice, next } = page(g.members, c, 200, 200);
    return c.json({
      kind: 'admin#directory#members',
      etag: '"m"',
      members: slice.map((m) => ({ kind: 'admin#directory#member', etag: '"m"', id: m.id ?? users.get(m.email)?.id ?? groups.get(m.email)?.id, email: m.email, role: 'MEMBER', type: m.type, status: 'ACTIVE' })),
      ...(next ? { nextPageToken: next } : {}),
    });
  });
  app.get(`${dir}/customer/:customer/orgunits`, guard([`${S}admin.directory.orgunit.readonly`, `${S}admin.directory.orgunit`]), (c) => {
    state.requests.other++;
    // Google lists every unit below the root, not the root itself.
    const units = [...orgUnits.entries()].filter(([path]) => path !== '/').map(([path, u]) => {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      return { kind: 'admin#directory#orgUnit', etag: '"o"', name: u.name, description: u.description, orgUnitPath: path, orgUnitId: u.id, parentOrgUnitPath: parent, parentOrgUnitId: orgUnits.get(parent)?.id ?? 'id:root' };
    });
    return c.json({ kind: 'admin#directory#orgUnits', etag: '"ou"', organizationUnits: units });
  });
  app.get(`${dir}/customer/:customer/domains`, guard([`${S}admin.directory.domain.readonly`, `${S}admin.directory.domain`]), (c) => {
    state.requests.other++;
    return c.json({
      kind: 'admin#directory#domains',
      etag: '"d"',
      domains: domains.map((d) => ({ kind: 'admin#directory#domain', etag: '"d"', domainName: d.domainName, isPrimary: d.isPrimary, verified: true, creationTime: '1700000000000' })),
    });
  });
  app.get('/admin/reports/v1/activity/users/:userKey/applications/:application', guard([`${S}admin.reports.audit.readonly`]), (c) => {
    state.requests.activities++;
    const grant = tokens.get(/^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? '')!;
    if (state.noReportsAccess.has(grant.sub.toLowerCase())) {
      // What the Reports API answers an admin without the Reports privilege: 401, not 403.
      const message = 'Access denied. You are not authorized to read activity records.';
      return c.json({ error: { code: 401, message, errors: [{ message, domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' }] } }, 401);
    }
    if (state.reportsOverQuotaNext > 0) {
      state.reportsOverQuotaNext--;
      // The Reports API says "over quota" with 503 (its documented limits).
      const message = "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'.";
      return c.json({ error: { code: 503, message, errors: [{ message, domain: 'global', reason: 'quotaExceeded' }], status: 'UNAVAILABLE' } }, 503);
    }
    const application = c.req.param('application');
    const startTime = c.req.query('startTime');
    // Newest first, as Google lists them; an event late by eventLagMs shows with its own (earlier) time.
    const chosen = activities.filter((a) => a.application === application && (!startTime || a.time >= startTime)).sort((a, b) => b.time.localeCompare(a.time));
    const { slice, next } = page(chosen, c, 1000, 1000);
    return c.json({
      kind: 'admin#reports#activities',
      etag: '"a"',
      items: slice.map((a) => ({
        kind: 'admin#reports#activity',
        id: { time: a.time, uniqueQualifier: a.uniqueQualifier, applicationName: a.application, customerId },
        etag: '"a"',
        actor: { email: [...state.superAdmins][0], profileId: '1' },
        ipAddress: '192.0.2.1',
        events: [{ type: a.type, name: a.name, parameters: a.parameters }],
      })),
      ...(next ? { nextPageToken: next } : {}),
    });
  });
  app.all('*', (c) => googleError(c, 404, `Not Found: ${c.req.path}`, 'notFound'));

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake = {
    url,
    /** Where the connector sends the API calls (`rootUrl`) and the token requests. */
    rootUrl: `${url}/`,
    tokenUrl: `${url}/token`,
    customerId,
    state,
    /** Google knows this service account (its public key), as after creating the key. */
    registerKey(key: ServiceAccountKeyJson) {
      serviceAccounts.set(key.client_email, createPublicKey(key.private_key).export({ type: 'spki', format: 'pem' }).toString());
    },
    addOrgUnit(path: string, description = '') {
      orgUnits.set(path, { id: `id:${randomBytes(5).toString('hex')}`, name: path.slice(path.lastIndexOf('/') + 1), description });
    },
    orgUnitId: (path: string) => orgUnits.get(path)?.id,
    /** EDIT_ORG_UNIT_NAME: the unit and everything below it get new paths; no event per user. */
    renameOrgUnit(path: string, newName: string) {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      movePaths(path, `${parent === '/' ? '' : parent}/${newName}`);
      orgUnits.get(`${parent === '/' ? '' : parent}/${newName}`)!.name = newName;
      record('ORG_SETTINGS', 'EDIT_ORG_UNIT_NAME', { ORG_UNIT_NAME: path, NEW_VALUE: newName });
    },
    /** MOVE_ORG_UNIT: the unit goes under another parent, with everything below it. */
    moveOrgUnit(path: string, newParent: string) {
      movePaths(path, `${newParent === '/' ? '' : newParent}${path.slice(path.lastIndexOf('/'))}`);
      record('ORG_SETTINGS', 'MOVE_ORG_UNIT', { ORG_UNIT_NAME: path, NEW_VALUE: newParent });
    },
    addUser(u: Omit<FakeUser, 'id'> & { id?: string }, audit = true) {
      const user = { ...u, id: u.id ?? nextId(), primaryEmail: u.primaryEmail.toLowerCase() };
      users.set(user.primaryEmail, user);
      if (audit) record('USER_SETTINGS', 'CREATE_USER', { USER_EMAIL: user.primaryEmail });
      return user;
    },
    /** RENAME_USER: a new primary address, the old one kept as an alias; groups list the new one. */
    renameUser(email: string, newEmail: string) {
      const u = users.get(email)!;
      users.delete(email);
      u.primaryEmail = newEmail.toLowerCase();
      u.aliases = [...(u.aliases ?? []), email];
      u.etag = randomBytes(4).toString('hex');
      users.set(u.primaryEmail, u);
      for (const g of groups.values()) for (const m of g.members) if (m.email === email) m.email = u.primaryEmail;
      record('USER_SETTINGS', 'RENAME_USER', { USER_EMAIL: email, NEW_VALUE: u.primaryEmail });
    },
    /** CHANGE_GROUP_EMAIL: the group keeps its id, members and its old address as an alias. */
    changeGroupEmail(email: string, newEmail: string) {
      const g = groups.get(email)!;
      groups.delete(email);
      g.email = newEmail.toLowerCase();
      g.aliases = [...(g.aliases ?? []), email];
      groups.set(g.email, g);
      for (const outer of groups.values()) for (const m of outer.members) if (m.email === email) m.email = g.email;
      record('GROUP_SETTINGS', 'CHANGE_GROUP_EMAIL', { GROUP_EMAIL: email, NEW_VALUE: g.email });
    },
    changeName(email: string, givenName: string, familyName: string) {
      const u = users.get(email)!;
      u.givenName = givenName;
      u.familyName = familyName;
      u.etag = randomBytes(4).toString('hex');
      record('USER_SETTINGS', 'CHANGE_FIRST_NAME', { USER_EMAIL: email, NEW_VALUE: givenName });
      record('USER_SETTINGS', 'CHANGE_LAST_NAME', { USER_EMAIL: email, NEW_VALUE: familyName });
    },
    suspendUser(email: string) {
      users.get(email)!.suspended = true;
      record('USER_SETTINGS', 'SUSPEND_USER', { USER_EMAIL: email });
    },
    deleteUser(email: string) {
      users.get(email)!.deleted = true;
      for (const g of groups.values()) g.members = g.members.filter((m) => m.email !== email);
      record('USER_SETTINGS', 'DELETE_USER', { USER_EMAIL: email });
    },
    addGroup(g: Omit<FakeGroup, 'id'>, audit = true) {
      const group = { ...g, id: nextId(), email: g.email.toLowerCase() };
      groups.set(group.email, group);
      if (audit) record('GROUP_SETTINGS', 'CREATE_GROUP', { GROUP_EMAIL: group.email });
      return group;
    },
    addMember(groupEmail: string, email: string, type: 'USER' | 'GROUP' = 'USER') {
      groups.get(groupEmail)!.members.push({ email, type });
      record('GROUP_SETTINGS', 'ADD_GROUP_MEMBER', { GROUP_EMAIL: groupEmail, USER_EMAIL: email });
    },
    /**
     * A change made by a group owner or manager, by someone joining or leaving on their own, or by
     * a dynamic group's query: Google logs it in groups_enterprise only, never in the admin log.
     */
    changeMembershipAsOwner(groupEmail: string, email: string, change: 'add_member' | 'remove_member') {
      const g = groups.get(groupEmail)!;
      if (change === 'add_member') g.members.push({ email, type: 'USER' });
      else g.members = g.members.filter((m) => m.email !== email);
      record('moderator_action', change, { group_id: groupEmail, member_id: email, member_role: 'member', member_type: 'user', namespace: '' }, 'groups_enterprise');
    },
    /** Gone with no trace but a DELETE_GROUP event: what a full read meets when it happens mid-read. */
    deleteGroup(email: string) {
      groups.delete(email);
      for (const g of groups.values()) g.members = g.members.filter((m) => m.email !== email);
      record('GROUP_SETTINGS', 'DELETE_GROUP', { GROUP_EMAIL: email });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  fake.addOrgUnit('/');
  return fake;
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
