import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoApp, type DemoApp } from './index.js';
import { authorizeLikeABrowser } from './testing/authorize.js';

// The demo app is autoprov's reference app: it answers as RFC 7643/7644 say (issue 15, item 5).

const redirectUri = 'http://127.0.0.1:3000/api/oauth/callback';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
let app: DemoApp;
let token: string;

beforeAll(async () => {
  app = await createDemoApp({
    databaseFile: ':memory:',
    accountKey: '4821937',
    verifiedDomains: ['example.com'],
    adminEmail: 'admin@example.com',
    adminPassword: 'demo-admin-password',
    clientId: 'autoprov',
    clientSecret: 'test-secret',
    redirectUris: [redirectUri],
  });
  await app.listen(0);
  token = (
    await authorizeLikeABrowser({ appUrl: app.url, clientId: 'autoprov', clientSecret: 'test-secret', redirectUri, adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' })
  ).tokens.access_token;
});
afterAll(() => app.close());

const scim = (path: string, init: RequestInit = {}) =>
  fetch(`${app.scimBaseUrl()}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...(init.headers ?? {}) } });
const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>) => (await (await res).json()) as T;
type List = { totalResults: number; Resources: Record<string, unknown>[] };
const search = (resource: 'Users' | 'Groups', filter: string, extra = '') => json<List>(scim(`/${resource}?filter=${encodeURIComponent(filter)}${extra}`));

async function createUser(userName: string, more: Record<string, unknown> = {}) {
  const res = await scim('/Users', {
    method: 'POST',
    body: JSON.stringify({
      schemas: [USER, ENTERPRISE],
      userName,
      displayName: `Display ${userName}`,
      name: { givenName: 'Zoé', familyName: 'Martin' },
      emails: [{ type: 'work', value: userName, primary: true }],
      [ENTERPRISE]: { department: 'Sales', employeeNumber: 'E-42' },
      ...more,
    }),
  });
  expect(res.status).toBe(201);
  return json<{ id: string }>(res);
}

let ada: { id: string };
let bob: { id: string };
beforeAll(async () => {
  ada = await createUser('Ada.Lovelace@Example.com');
  bob = await createUser('bob@example.com', { displayName: 'Bob Builder', title: 'Engineer' });
});

describe('filters compare without case where caseExact is false (RFC 7643 §2.2, RFC 7644 §3.4.2.2)', () => {
  it('userName, displayName and emails match whatever the case, with every operator', async () => {
    for (const filter of [
      'userName eq "ada.lovelace@example.COM"',
      'USERNAME sw "ADA."',
      'userName co "LOVELACE"',
      'displayName ew "@EXAMPLE.COM" and displayName sw "display ada"',
      'emails.value eq "ADA.LOVELACE@example.com"',
      'emails co "lovelace@"',
      'emails[type eq "WORK" and value ew "@example.com"] and userName sw "ada"',
      `${ENTERPRISE}:department eq "sales" and userName sw "a"`,
      'name.givenName eq "ZOÉ" and not (userName eq "bob@example.com")',
    ]) {
      const found = await search('Users', filter);
      expect({ filter, ids: found.Resources.map((r) => r.id) }).toEqual({ filter, ids: [ada.id] });
    }
  });

  it('id stays case-exact, and a filter that finds nothing finds nothing', async () => {
    expect((await search('Users', `id eq "${ada.id}"`)).totalResults).toBe(1);
    expect((await search('Users', `id eq "${ada.id.toUpperCase()}"`)).totalResults).toBe(0);
    expect((await search('Users', 'userName eq "nobody@example.com"')).totalResults).toBe(0);
  });

  it('compares dates as dates, and refuses a filter it cannot parse with invalidFilter', async () => {
    expect((await search('Users', 'meta.created gt "2000-01-01T00:00:00Z"')).totalResults).toBe(2);
    expect((await search('Users', 'meta.created lt "2000-01-01T00:00:00+01:00"')).totalResults).toBe(0);
    const bad = await scim(`/Users?filter=${encodeURIComponent('userName eq')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ schemas: [ERROR], status: '400', scimType: 'invalidFilter', detail: expect.any(String) });
  });

  it('group displayName is case-insensitive too', async () => {
    const made = await json<{ id: string }>(scim('/Groups', { method: 'POST', body: JSON.stringify({ schemas: [GROUP], displayName: 'Sales Team' }) }));
    expect((await search('Groups', 'displayName eq "SALES team"')).Resources.map((g) => g.id)).toEqual([made.id]);
  });
});

describe('attributes and excludedAttributes (RFC 7644 §3.4.2.5, §3.9)', () => {
  it('attributes returns only what is asked, plus id and schemas', async () => {
    const user = await json(scim(`/Users/${ada.id}?attributes=userName,name.givenName,${ENTERPRISE}:department`));
    expect(user).toEqual({ schemas: [USER, ENTERPRISE], id: ada.id, userName: 'Ada.Lovelace@Example.com', name: { givenName: 'Zoé' }, [ENTERPRISE]: { department: 'Sales' } });
    const list = await search('Users', 'userName eq "bob@example.com"', '&attributes=emails.value');
    expect(list.Resources).toEqual([{ schemas: [USER, ENTERPRISE], id: bob.id, emails: [{ value: 'bob@example.com' }] }]);
  });

  it('excludedAttributes drops what is named, but never id or schemas', async () => {
    const user = await json(scim(`/Users/${bob.id}?excludedAttributes=id,schemas,emails,meta,name.familyName,title,${ENTERPRISE}`));
    expect(user).toMatchObject({ id: bob.id, schemas: [USER, ENTERPRISE], userName: 'bob@example.com', name: { givenName: 'Zoé' } });
    for (const gone of ['emails', 'meta', 'title']) expect(user).not.toHaveProperty(gone);
    expect(user.name).not.toHaveProperty('familyName');
    // The extension as a whole is not an attribute: it stays unless its attributes are named.
    const noDepartment = await json(scim(`/Users/${bob.id}?excludedAttributes=${ENTERPRISE}:department`));
    expect(noDepartment[ENTERPRISE]).toEqual({ employeeNumber: 'E-42' });
  });

  it('applies to what a POST, PUT or PATCH answers; a PATCH asked for attributes answers 200', async () => {
    const res = await scim('/Users?attributes=userName', { method: 'POST', body: JSON.stringify({ schemas: [USER], userName: 'carol@example.com' }) });
    expect(await res.json()).toEqual({ schemas: [USER], id: expect.any(String), userName: 'carol@example.com' });
    const patch = await scim(`/Users/${bob.id}?attributes=title`, {
      method: 'PATCH',
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'title', value: 'Architect' }] }),
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toEqual({ schemas: [USER, ENTERPRISE], id: bob.id, title: 'Architect' });
  });
});

describe('PUT /Groups/{id} (RFC 7644 §3.5.1)', () => {
  it('replaces the name and the members, and answers the group', async () => {
    const group = await json<{ id: string }>(scim('/Groups', { method: 'POST', body: JSON.stringify({ schemas: [GROUP], displayName: 'Ops', members: [{ value: ada.id }] }) }));
    const put = await scim(`/Groups/${group.id}`, { method: 'PUT', body: JSON.stringify({ schemas: [GROUP], displayName: 'Operations', members: [{ value: bob.id }] }) });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ id: group.id, displayName: 'Operations', members: [{ value: bob.id }] });
    expect(await json(scim(`/Groups/${group.id}`))).toMatchObject({ displayName: 'Operations', members: [{ value: bob.id }] });
    // Without members, the group is emptied; without a name, it is refused.
    expect(await json(scim(`/Groups/${group.id}`, { method: 'PUT', body: JSON.stringify({ schemas: [GROUP], displayName: 'Operations' }) }))).toMatchObject({ members: [] });
    const nameless = await scim(`/Groups/${group.id}`, { method: 'PUT', body: JSON.stringify({ schemas: [GROUP], members: [] }) });
    expect(await nameless.json()).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidValue' });
    const missing = await scim('/Groups/no-such-group', { method: 'PUT', body: JSON.stringify({ schemas: [GROUP], displayName: 'X' }) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ schemas: [ERROR], status: '404' });
  });
});

describe('a SCIM error body on every failure (RFC 7644 §3.12)', () => {
  const cases: [string, RequestInit, number][] = [
    ['/Nothing', {}, 404],
    ['/Users/some/thing/else', {}, 404],
    ['/Users/no-such-user', {}, 404],
    ['/Users', { method: 'DELETE' }, 405],
    ['/Users/x', { method: 'POST', body: '{}' }, 405],
    ['/Schemas', { method: 'POST', body: '{}' }, 405],
    ['/Bulk', { method: 'POST', body: '{}' }, 501],
    ['/Me', {}, 501],
    ['/Users', { method: 'POST', body: 'not json' }, 400],
    ['/Users', { method: 'POST', body: JSON.stringify({ userName: 'x@example.com', active: 'yes' }) }, 400],
    ['/Users', { method: 'POST', body: JSON.stringify({ userName: 'ada.lovelace@example.com' }) }, 409],
  ];
  it.each(cases)('%s (%o) answers %i with an Error message', async (path, init, status) => {
    const res = await scim(path, init);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/scim+json');
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: String(status), detail: expect.any(String) });
  });

  it('answers 401 and a wrong account 404 in the same shape', async () => {
    const unauthorized = await fetch(`${app.scimBaseUrl()}/Nothing`);
    expect(await unauthorized.json()).toMatchObject({ schemas: [ERROR], status: '401' });
    const outside = await fetch(`${app.url}/scim/v2/accounts/`, { headers: { authorization: `Bearer ${token}` } });
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ schemas: [ERROR], status: '404' });
  });
});

describe('/Schemas describes every attribute the service accepts (RFC 7643 §7)', () => {
  type Attribute = { name: string; caseExact: boolean; returned: string; mutability: string; subAttributes?: Attribute[] };
  type Schema = { id: string; attributes: Attribute[] };

  it('lists User, EnterpriseUser and Group, each also at /Schemas/{id}', async () => {
    const list = await json<{ Resources: Schema[] }>(scim('/Schemas'));
    expect(list.Resources.map((s) => s.id)).toEqual([USER, ENTERPRISE, GROUP]);
    const user = await json<Schema>(scim(`/Schemas/${USER}`));
    const userName = user.attributes.find((a) => a.name === 'userName')!;
    expect(userName).toMatchObject({ type: 'string', required: true, caseExact: false, uniqueness: 'server', returned: 'default', mutability: 'readWrite' });
    expect(user.attributes.find((a) => a.name === 'emails')!.subAttributes!.map((a) => a.name)).toEqual(['value', 'display', 'type', 'primary']);
    expect((await json<{ schemaExtensions: unknown[] }>(scim('/ResourceTypes/User'))).schemaExtensions).toEqual([{ schema: ENTERPRISE, required: false }]);
  });

  it('keeps what the schemas describe and nothing else: every attribute autoprov maps is among them', async () => {
    const schemas = await json<{ Resources: Schema[] }>(scim('/Schemas'));
    const described = new Set<string>();
    for (const s of schemas.Resources) {
      const prefix = s.id === USER || s.id === GROUP ? '' : `${s.id}:`;
      for (const a of s.attributes) {
        described.add(`${prefix}${a.name}`);
        for (const sub of a.subAttributes ?? []) described.add(`${prefix}${a.name}.${sub.name}`);
      }
    }
    // Every attribute the catalog can map, as the engine writes it.
    for (const path of ['userName', 'name.givenName', 'name.familyName', 'emails.value', 'emails.type', 'emails.primary', 'displayName', 'title', 'phoneNumbers.value', 'roles.value', 'active', `${ENTERPRISE}:employeeNumber`, `${ENTERPRISE}:department`]) {
      expect({ path, described: described.has(path) }).toEqual({ path, described: true });
    }
    // An attribute no schema describes is not kept (RFC 7644 §3.3 lets a service ignore it), nor is a client-set id.
    const made = await json<{ id: string }>(
      scim('/Users', { method: 'POST', body: JSON.stringify({ schemas: [USER], userName: 'dan@example.com', favouriteColour: 'blue', id: 'mine', UserType: 'Employee' }) }),
    );
    const read = await json(scim(`/Users/${made.id}`));
    expect(made.id).not.toBe('mine');
    expect(read).not.toHaveProperty('favouriteColour');
    // Attribute names are case-insensitive: stored under the schema's own spelling.
    expect(read).toMatchObject({ userType: 'Employee' });
  });
});

describe('versions, as ServiceProviderConfig says etag is supported (RFC 7644 §3.14)', () => {
  it('answers a user with its ETag, and refuses a write on a version the client did not see with 412', async () => {
    const user = await createUser('erin@example.com');
    const read = await scim(`/Users/${user.id}`);
    const etag = read.headers.get('etag')!;
    expect(etag).toBe((await json<{ meta: { version: string } }>(read)).meta.version);
    const replace = (ifMatch: string) =>
      scim(`/Users/${user.id}`, { method: 'PUT', headers: { 'if-match': ifMatch }, body: JSON.stringify({ schemas: [USER], userName: 'erin@example.com', title: ifMatch }) });
    const first = await replace(etag);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    const stale = await replace(etag);
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ schemas: [ERROR], status: '412' });
    expect((await scim(`/Users/${user.id}`, { method: 'DELETE', headers: { 'if-match': etag } })).status).toBe(412);
    expect((await scim(`/Users/${user.id}`, { method: 'DELETE', headers: { 'if-match': '*' } })).status).toBe(204);
  });
});
