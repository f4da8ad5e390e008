// A local stand-in for Google's OAuth token endpoint, the Admin SDK Directory API and the
// Reports API (admin activities), answering with their real response and error shapes, so the
// connector is tested through Google's own client library on 127.0.0.1.
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
}

export interface FakeGroup {
  id: string;
  email: string;
  name: string;
  description?: string;
  /** Member e-mails (users inside or outside the organisation) and group e-mails (nested). */
  members: { email: string; type: 'USER' | 'GROUP'; id?: string }[];
}

interface Activity {
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
  };
  let sequence = 0;
  const nextId = () => String(100000000000000000000n + BigInt(++sequence));

  const record = (type: string, name: string, parameters: Record<string, string>) => {
    activities.push({
      time: new Date(Date.now() + activities.length).toISOString(),
      uniqueQualifier: randomBytes(8).readBigInt64BE().toString(),
      type,
      name,
      parameters: Object.entries(parameters).map(([n, value]) => ({ name: n, value })),
    });
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
    emails: [{ address: u.primaryEmail, primary: true }],
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
    const publicKey = serviceAccounts.get(claims.iss);
    const signatureOk =
      publicKey !== undefined &&
      verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(publicKey), Buffer.from(parts[2]!, 'base64url'));
    if (!signatureOk) return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }, 400);
    if (claims.aud !== GOOGLE_TOKEN_AUDIENCE) return c.json({ error: 'invalid_grant', error_description: 'Invalid JWT: audience' }, 400);
    const scopes = claims.scope.split(' ');
    const subject = claims.sub;
    if (subject && !users.has(subject.toLowerCase()) && !state.superAdmins.has(subject.toLowerCase())) {
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
    return c.json({ kind: 'admin#directory#users', etag: `"users-${sequence}"`, users: slice.map(userResource), ...(next ? { nextPageToken: next } : {}) });
  });
  app.get(`${dir}/users/:userKey`, guard([`${S}admin.directory.user.readonly`, `${S}admin.directory.user`]), (c) => {
    state.requests.users++;
    const key = (c.req.param('userKey') ?? '').toLowerCase();
    const u = users.get(key) ?? [...users.values()].find((x) => x.id === key);
    if (!u || u.deleted) return googleError(c, 404, 'Resource Not Found: userKey', 'notFound');
    return c.json(userResource(u));
  });
  app.get(`${dir}/groups`, guard([`${S}admin.directory.group.readonly`, `${S}admin.directory.group`]), (c) => {
    state.requests.groups++;
    const all = [...groups.values()].sort((a, b) => a.email.localeCompare(b.email));
    const { slice, next } = page(all, c, 200, 200);
    return c.json({
      kind: 'admin#directory#groups',
      etag: `"groups-${sequence}"`,
      groups: slice.map((g) => ({ kind: 'admin#directory#group', id: g.id, etag: '"g"', email: g.email, name: g.name, directMembersCount: String(g.members.length), description: g.description ?? '', adminCreated: true })),
      ...(next ? { nextPageToken: next } : {}),
    });
  });
  app.get(`${dir}/groups/:groupKey`, guard([`${S}admin.directory.group.readonly`, `${S}admin.directory.group`]), (c) => {
    state.requests.groups++;
    const key = (c.req.param('groupKey') ?? '').toLowerCase();
    const g = groups.get(key) ?? [...groups.values()].find((x) => x.id === key);
    if (!g) return googleError(c, 404, 'Resource Not Found: groupKey', 'notFound');
    return c.json({ kind: 'admin#directory#group', id: g.id, etag: '"g"', email: g.email, name: g.name, directMembersCount: String(g.members.length), description: g.description ?? '', adminCreated: true });
  });
  app.get(`${dir}/groups/:groupKey/members`, guard([`${S}admin.directory.group.member.readonly`, `${S}admin.directory.group.readonly`]), (c) => {
    state.requests.members++;
    const key = (c.req.param('groupKey') ?? '').toLowerCase();
    const g = groups.get(key) ?? [...groups.values()].find((x) => x.id === key);
    if (!g) return googleError(c, 404, 'Resource Not Found: groupKey', 'notFound');
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
    const startTime = c.req.query('startTime');
    const chosen = activities.filter((a) => !startTime || a.time >= startTime).reverse(); // newest first, as Google lists them
    const { slice, next } = page(chosen, c, 1000, 1000);
    return c.json({
      kind: 'admin#reports#activities',
      etag: '"a"',
      items: slice.map((a) => ({
        kind: 'admin#reports#activity',
        id: { time: a.time, uniqueQualifier: a.uniqueQualifier, applicationName: 'admin', customerId },
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
    addUser(u: Omit<FakeUser, 'id'> & { id?: string }, audit = true) {
      const user = { ...u, id: u.id ?? nextId(), primaryEmail: u.primaryEmail.toLowerCase() };
      users.set(user.primaryEmail, user);
      if (audit) record('USER_SETTINGS', 'CREATE_USER', { USER_EMAIL: user.primaryEmail });
      return user;
    },
    renameUser(email: string, givenName: string, familyName: string) {
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  fake.addOrgUnit('/');
  return fake;
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
