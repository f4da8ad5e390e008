import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppChannel } from './channel.js';
import { ScimClient, type ScimQuirks } from './client.js';
import { ScimError } from './errors.js';
import { startAwsIdentityCenterFake, startGitHubEmuFake, startMiroFake, startVendorFake, startZoomFake, virtualClock, type VendorFake } from './testing/index.js';
import { staticToken } from './tokens.js';
import { USER_AGENT } from './transport.js';

// Issue 15 item 3: each quirk of a real app, against a fake that refuses what the vendor
// refuses. The quirks are the catalog's (AWS IAM Identity Center's and Miro's entries).
const aws: ScimQuirks = { groupPatchMaxMembers: 100, pageSize: 50, filterOperators: ['eq', 'and'], singleValuedOnly: true, requiresUserAgent: true };

const clientOf = (fake: VendorFake, quirks?: ScimQuirks) =>
  new ScimClient({ baseUrl: fake.baseUrl, tokens: staticToken('t', fake.baseUrl), maxRetries: 0, requestsPerSecond: 100_000, burst: 100_000, quirks });

/** A request exactly as given: no header added by a client library. */
function raw(url: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

const person = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `user${i}@example.com`,
  name: { givenName: 'User', familyName: String(i) },
  displayName: `User ${i}`,
});

describe('AWS IAM Identity Center quirks', () => {
  let fake: VendorFake;
  beforeAll(async () => {
    fake = await startAwsIdentityCenterFake('t');
  });
  afterAll(() => fake.close());
  afterEach(() => {
    fake.users.clear();
    fake.groups.clear();
    fake.requests.length = 0;
    fake.refused.clear();
  });

  it('requiresUserAgent: the app refuses a request without one with 403; autoprov sends its own on every request', async () => {
    const bare = await raw(`${fake.baseUrl}/Users`, { authorization: 'Bearer t' });
    expect(bare.status).toBe(403);

    const client = clientOf(fake, aws);
    await client.createUser(person(1));
    await client.findUserByUserName('user1@example.com');
    expect(fake.requests.slice(1).map((r) => r.userAgent)).toEqual([USER_AGENT, USER_AGENT]);
    expect(USER_AGENT).toMatch(/^autoprov\/\d+\.\d+\.\d+$/);
  });

  it('pageSize: pages hold at most 50 whatever is asked; autoprov asks for 50 and reads every page', async () => {
    const client = clientOf(fake, aws);
    for (let i = 0; i < 120; i++) await client.createUser(person(i));
    const capped = await raw(`${fake.baseUrl}/Users?startIndex=1&count=500`, { authorization: 'Bearer t', 'user-agent': 'x' });
    expect(capped.body).toMatchObject({ totalResults: 120, itemsPerPage: 50, startIndex: 1 });

    fake.requests.length = 0;
    const seen: string[] = [];
    for await (const u of client.listUsers(500)) seen.push(String(u.userName));
    expect(new Set(seen).size).toBe(120);
    expect(fake.requests.map((r) => r.path)).toEqual([
      '/scim/v2/Users?startIndex=1&count=50',
      '/scim/v2/Users?startIndex=51&count=50',
      '/scim/v2/Users?startIndex=101&count=50',
    ]);
  });

  it('filterOperators: the app refuses any filter but eq and and; the lookups autoprov makes use only those', async () => {
    const co = await raw(`${fake.baseUrl}/Users?filter=${encodeURIComponent('userName co "user"')}`, { authorization: 'Bearer t', 'user-agent': 'x' });
    expect(co).toMatchObject({ status: 400, body: { status: '400' } });
    fake.refused.clear();

    const client = clientOf(fake, aws);
    await client.createUser({ ...person(1), userName: 'o"brien@example.com' });
    await client.createGroup('Builders');
    expect(await client.findUserByUserName('O"Brien@example.com')).toMatchObject({ userName: 'o"brien@example.com' });
    expect(await client.findGroupByDisplayName('Builders')).toMatchObject({ displayName: 'Builders' });
    expect(fake.refused.size).toBe(0);
  });

  it('singleValuedOnly: the app refuses a second e-mail; autoprov sends the primary value only', async () => {
    const twoEmails = {
      ...person(1),
      emails: [
        { type: 'home', value: 'home@example.net' },
        { type: 'work', value: 'user1@example.com', primary: true },
      ],
      phoneNumbers: [
        { type: 'work', value: '+1 555 0100' },
        { type: 'mobile', value: '+1 555 0101' },
      ],
    };
    await expect(clientOf(fake).createUser(twoEmails)).rejects.toMatchObject({ kind: 'bad_request', status: 400 });

    const client = clientOf(fake, aws);
    const created = await client.createUser(twoEmails);
    expect(fake.users.get(created.id)).toMatchObject({
      emails: [{ type: 'work', value: 'user1@example.com', primary: true }],
      phoneNumbers: [{ type: 'work', value: '+1 555 0100', primary: true }],
    });
    await client.replaceUser(created.id, twoEmails);
    await client.patchUser(created.id, [{ op: 'replace', value: { emails: twoEmails.emails } }]);
    expect(fake.users.get(created.id)!.emails).toEqual([{ type: 'work', value: 'user1@example.com', primary: true }]);
  });

  it('groupPatchMaxMembers: the app refuses 101 member changes in one request; autoprov splits them', async () => {
    const ids = Array.from({ length: 260 }, (_, i) => `u${i}`);
    const plain = clientOf(fake);
    const g = await plain.createGroup('Everyone');
    await expect(plain.patchGroupMembers(g.id, ids.slice(0, 101), [])).rejects.toMatchObject({ kind: 'bad_request', status: 400 });
    await expect(plain.createGroup('Too big', ids.slice(0, 101))).rejects.toBeInstanceOf(ScimError);
    fake.refused.clear();

    const client = clientOf(fake, aws);
    fake.requests.length = 0;
    const big = await client.createGroup('Big', ids.slice(0, 250));
    expect((fake.groups.get(big.id)!.members as unknown[]).length).toBe(250);
    // 10 added and 120 removed: 130 changes, in two requests of at most 100.
    await client.patchGroupMembers(big.id, ids.slice(250), ids.slice(0, 120));
    await client.patchGroupMembers(big.id, [], []);
    const members = (fake.groups.get(big.id)!.members as { value: string }[]).map((m) => m.value).sort();
    expect(members).toEqual(ids.slice(120).sort());
    expect(fake.refused.size).toBe(0);
    // The group made with 100 members, 150 added in two more; then 130 changes in two.
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH']);
  });

  it('no bulk: every write is one request per user, and /Bulk is never asked for', async () => {
    const client = clientOf(fake, aws);
    for (let i = 0; i < 5; i++) await client.createUser(person(i));
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(Array(5).fill('/scim/v2/Users'));
    expect(fake.requests.some((r) => r.path.includes('Bulk'))).toBe(false);
  });
});

describe('filter operators the client itself would need', () => {
  it('a filter with an operator the app does not parse is never sent: the lookup reads the list instead', async () => {
    // An app whose filters know only `pr`: autoprov's `userName eq` lookup cannot be asked.
    const fake = await startVendorFake({ token: 't', filterOperators: ['pr'] });
    try {
      await clientOf(fake).createUser(person(7));
      fake.requests.length = 0;
      expect(await clientOf(fake, { filterOperators: ['pr'] }).findUserByUserName('USER7@example.com')).toMatchObject({ userName: 'user7@example.com' });
      expect(fake.requests.map((r) => r.path)).toEqual(['/scim/v2/Users?startIndex=1&count=100']);
      expect(fake.refused).toEqual(new Map());
    } finally {
      await fake.close();
    }
  });
});

describe('Miro quirks', () => {
  it('groupPatchMaxMembers: a group PATCH of more than 8,000 members is answered 413; autoprov splits it', async () => {
    const fake = await startMiroFake('t');
    try {
      const ids = Array.from({ length: 8_001 }, (_, i) => `member-${i}`);
      const plain = clientOf(fake);
      const g = await plain.createGroup('All hands');
      await expect(plain.patchGroupMembers(g.id, ids, [])).rejects.toMatchObject({ status: 413 });

      await clientOf(fake, { groupPatchMaxMembers: 8000 }).patchGroupMembers(g.id, ids, []);
      expect((fake.groups.get(g.id)!.members as unknown[]).length).toBe(8_001);
    } finally {
      await fake.close();
    }
  });
});

describe('GitHub Enterprise Managed Users quirks', () => {
  /** A user as GitHub requires it: schemas, externalId, userName, active, displayName, emails. */
  const member = (i: number) => ({
    ...person(i),
    externalId: `ext-${i}`,
    active: true,
    emails: [{ type: 'work', value: `user${i}@example.com`, primary: true }],
  });

  it("requires a User-Agent and GitHub's user attributes; refusals come in GitHub's scim-error shape", async () => {
    const fake = await startGitHubEmuFake('t', () => 0);
    try {
      const bare = await raw(`${fake.baseUrl}/Users`, { authorization: 'Bearer t' });
      expect(bare).toMatchObject({ status: 403, body: { status: 403, documentation_url: expect.stringContaining('docs.github.com') } });

      const client = clientOf(fake, { requiresUserAgent: true });
      await expect(client.createUser(person(1))).rejects.toMatchObject({ kind: 'bad_request', status: 400, reason: 'Missing required attributes: externalId, active, emails.' });
      await client.createUser(member(1));
      expect(fake.users.size).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('past 1,000 creations in an hour GitHub answers 403 with Retry-After: the app pauses until then, and the account is created (not a refused token)', async () => {
    const clock = virtualClock();
    const fake = await startGitHubEmuFake('t', clock.now);
    // Limits far above GitHub's (a super-admin's mistake), and a pause as long as GitHub asks.
    const channel = createAppChannel(new URL(fake.baseUrl).origin, { ratePerSecond: 100, burst: 100, concurrency: 4 }, { clock, maxPauseMs: 2 * 3_600_000 });
    try {
      const client = new ScimClient({ baseUrl: fake.baseUrl, tokens: staticToken('t', fake.baseUrl), maxRetries: 0, channel });
      await Promise.all(Array.from({ length: 1000 }, (_, i) => client.createUser(member(i))));
      expect(fake.refused).toEqual(new Map());
      const before = clock.now();
      expect(before).toBeLessThan(60_000);

      await client.createUser(member(1000));
      expect(fake.refused.get('tooManyRequests')).toBe(1);
      expect(fake.users.size).toBe(1001);
      // It went once the first creation was an hour old, as Retry-After said.
      expect(clock.now()).toBeGreaterThanOrEqual(3_600_000);
    } finally {
      await channel.close();
      await fake.close();
    }
  });
});

describe('Zoom quirks', () => {
  it('past 60 requests in a second Zoom answers 429 with no Retry-After: the client backs off on its own and gets there', async () => {
    const clock = virtualClock();
    const fake = await startZoomFake('t', clock.now);
    const channel = createAppChannel(new URL(fake.baseUrl).origin, { ratePerSecond: 1000, burst: 100, concurrency: 8 }, { clock });
    try {
      const client = new ScimClient({ baseUrl: fake.baseUrl, tokens: staticToken('t', fake.baseUrl), maxRetries: 0, backoffMs: 100, maxBackoffMs: 2000, channel });
      await Promise.all(Array.from({ length: 150 }, (_, i) => client.createUser(person(i))));
      expect(fake.refused.get('tooManyRequests')).toBeGreaterThan(0);
      expect(fake.users.size).toBe(150);
      const refusal = await raw(`${fake.baseUrl}/Users/nobody`, { authorization: 'Bearer t' });
      expect(refusal.body).toEqual({ code: 404, message: 'User nobody not found.' });
    } finally {
      await channel.close();
      await fake.close();
    }
  });
});
