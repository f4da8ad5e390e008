import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import type Provider from 'oidc-provider';
import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { filter as compileFilter, parse as parseFilter } from 'scim2-parse-filter';
import type { DemoDatabase } from './db/index.js';
import { groups, outbox, users, verifiedDomains } from './db/schema.js';
import { SCIM_SCOPE } from './oidc.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Product access the app knows, from the access level autoprov sends as a SCIM role. */
export const productAccessLabels: Record<string, string> = { organizer: 'GoToMeeting Organizer', admin: 'GoToMeeting Admin' };

class ScimFailure extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: string,
  ) {
    super(detail);
  }
}

const scimJson = (c: Context, status: number, body: unknown) =>
  c.body(JSON.stringify(body), status as 200, { 'content-type': 'application/scim+json' });

export interface ScimServiceOptions {
  db: DemoDatabase;
  provider: Provider;
  accountKey: string;
  scimResource: string;
  publicUrl: () => string;
}

/** The app's SCIM 2.0 service under /scim/v2/accounts/{AccountKey} (RFC 7644). */
export function scimService({ db, provider, accountKey, scimResource, publicUrl }: ScimServiceOptions) {
  const base = () => `${publicUrl()}/scim/v2/accounts/${accountKey}`;
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof ScimFailure) {
      return scimJson(c, err.status, { schemas: [ERROR], status: String(err.status), ...(err.scimType ? { scimType: err.scimType } : {}), detail: err.detail });
    }
    return scimJson(c, 500, { schemas: [ERROR], status: '500', detail: 'Internal error' });
  });

  app.use('/:accountKey/*', async (c, next) => {
    const token = /^Bearer (.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const accessToken = token ? await provider.AccessToken.find(token) : undefined;
    if (!accessToken || accessToken.isExpired || !accessToken.scopes.has(SCIM_SCOPE) || accessToken.aud !== scimResource) {
      throw new ScimFailure(401, 'The access token is missing, expired or revoked.');
    }
    if (c.req.param('accountKey') !== accountKey) throw new ScimFailure(404, `No account ${c.req.param('accountKey')}.`);
    await next();
  });

  const readBody = async (c: Context): Promise<Record<string, unknown>> => {
    try {
      const body = await c.req.json();
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
      return body as Record<string, unknown>;
    } catch {
      throw new ScimFailure(400, 'The request body is not a JSON object.', 'invalidSyntax');
    }
  };

  const domains = () => db.select().from(verifiedDomains).all().map((d) => d.name);

  /** Seed 002: only addresses in a verified domain can have an account; product access from the role. */
  function validateUser(resource: Record<string, unknown>, exceptId?: string) {
    const userName = resource.userName;
    if (typeof userName !== 'string' || !userName.trim()) throw new ScimFailure(400, 'userName is required.', 'invalidValue');
    const domain = userName.slice(userName.lastIndexOf('@') + 1).toLowerCase();
    const verified = domains();
    if (!userName.includes('@') || !verified.includes(domain)) {
      throw new ScimFailure(400, `The e-mail domain ${domain} is not a verified domain of this organisation (verified: ${verified.join(', ')}).`, 'invalidValue');
    }
    const roles = Array.isArray(resource.roles) ? (resource.roles as { value?: unknown }[]) : [];
    const role = roles[0]?.value ?? 'organizer';
    if (typeof role !== 'string' || !(role in productAccessLabels)) {
      throw new ScimFailure(400, `Unknown product access "${String(role)}" (known: ${Object.keys(productAccessLabels).join(', ')}).`, 'invalidValue');
    }
    const taken = db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.userName}) = ${userName.toLowerCase()} ${exceptId ? sql`and ${users.id} <> ${exceptId}` : sql``}`)
      .get();
    if (taken) throw new ScimFailure(409, `A user with userName ${userName} already exists.`, 'uniqueness');
    return { userName, productAccess: role };
  }

  const toScim = (row: typeof users.$inferSelect) => ({
    ...row.resource,
    schemas: [USER_SCHEMA],
    id: row.id,
    userName: row.userName,
    active: row.active,
    meta: {
      resourceType: 'User',
      created: row.createdAt.toISOString(),
      lastModified: row.updatedAt.toISOString(),
      location: `${base()}/Users/${row.id}`,
      version: `W/"${row.version}"`,
    },
  });

  const requireUser = (id: string) => {
    const row = db.select().from(users).where(eq(users.id, id)).get();
    if (!row) throw new ScimFailure(404, `No user ${id}.`);
    return row;
  };

  const strip = (resource: Record<string, unknown>) => {
    const { id: _id, meta: _meta, schemas: _schemas, ...rest } = resource;
    return rest;
  };

  function save(id: string, resource: Record<string, unknown>, existing?: typeof users.$inferSelect) {
    const { userName, productAccess } = validateUser(resource, id);
    const now = new Date();
    const row = {
      id,
      userName,
      resource: strip(resource),
      active: resource.active !== false,
      productAccess,
      version: (existing?.version ?? 0) + 1,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    db.insert(users).values(row).onConflictDoUpdate({ target: users.id, set: row }).run();
    return row;
  }

  app.get('/:accountKey/ServiceProviderConfig', (c) =>
    scimJson(c, 200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'OAuth 2.0 access token from this app', primary: true }],
    }),
  );

  app.get('/:accountKey/ResourceTypes', (c) =>
    scimJson(c, 200, {
      schemas: [LIST],
      totalResults: 2,
      Resources: [
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'User', name: 'User', endpoint: '/Users', schema: USER_SCHEMA },
        { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA },
      ],
    }),
  );

  app.get('/:accountKey/Schemas', (c) =>
    scimJson(c, 200, {
      schemas: [LIST],
      totalResults: 2,
      Resources: [
        { id: USER_SCHEMA, name: 'User', attributes: [{ name: 'userName', type: 'string', required: true, caseExact: false, uniqueness: 'server' }] },
        { id: GROUP_SCHEMA, name: 'Group', attributes: [{ name: 'displayName', type: 'string', required: true }] },
      ],
    }),
  );

  app.get('/:accountKey/Users', (c) => {
    const startIndex = Math.max(1, Number(c.req.query('startIndex') ?? 1) || 1);
    const count = Math.min(200, Math.max(0, Number(c.req.query('count') ?? 100) || 0));
    const filterText = c.req.query('filter');
    let rows = db.select().from(users).orderBy(users.createdAt, users.id).all();
    if (filterText) {
      let ast;
      try {
        ast = parseFilter(filterText);
      } catch {
        throw new ScimFailure(400, `The filter cannot be parsed: ${filterText}`, 'invalidFilter');
      }
      // userName is caseExact=false (RFC 7643 §4.1.1): compare it without case.
      if (ast.op === 'eq' && ast.attrPath === 'userName' && typeof ast.compValue === 'string') {
        const wanted = ast.compValue.toLowerCase();
        rows = rows.filter((r) => r.userName.toLowerCase() === wanted);
      } else {
        const matches = compileFilter(ast);
        rows = rows.filter((r) => matches(toScim(r)));
      }
    }
    const page = rows.slice(startIndex - 1, startIndex - 1 + count);
    return scimJson(c, 200, { schemas: [LIST], totalResults: rows.length, startIndex, itemsPerPage: page.length, Resources: page.map(toScim) });
  });

  app.post('/:accountKey/Users', async (c) => {
    const body = await readBody(c);
    const id = randomUUID();
    const row = save(id, body);
    // Seed 002: each new user gets a welcome e-mail with a link to choose a password.
    const token = randomBytes(24).toString('base64url');
    const name = (body.name as { givenName?: string } | undefined)?.givenName ?? row.userName;
    db.insert(outbox)
      .values({
        to: row.userName,
        subject: 'Welcome to GoToMeeting',
        body: `Hello ${name},\n\nAn account was created for you: ${row.userName}, with ${productAccessLabels[row.productAccess]}.\nChoose your password here: ${publicUrl()}/set-password?token=${token}\n`,
        setPasswordToken: token,
        userId: id,
        createdAt: new Date(),
      })
      .run();
    c.header('location', `${base()}/Users/${id}`);
    return scimJson(c, 201, toScim(requireUser(id)));
  });

  app.get('/:accountKey/Users/:id', (c) => scimJson(c, 200, toScim(requireUser(c.req.param('id')))));

  app.put('/:accountKey/Users/:id', async (c) => {
    const existing = requireUser(c.req.param('id'));
    const body = await readBody(c);
    save(existing.id, body, existing);
    return scimJson(c, 200, toScim(requireUser(existing.id)));
  });

  app.patch('/:accountKey/Users/:id', async (c) => {
    const existing = requireUser(c.req.param('id'));
    const body = await readBody(c);
    const operations = body.Operations;
    if (!Array.isArray(operations)) throw new ScimFailure(400, 'A PATCH needs Operations.', 'invalidSyntax');
    let patched: Record<string, unknown>;
    try {
      patched = scimPatch(toScim(existing) as never, operations as ScimPatchOperation[]) as unknown as Record<string, unknown>;
    } catch (err) {
      throw new ScimFailure(400, `The patch cannot be applied: ${(err as Error).message}`, 'invalidValue');
    }
    save(existing.id, patched, existing);
    return c.body(null, 204);
  });

  app.delete('/:accountKey/Users/:id', (c) => {
    requireUser(c.req.param('id'));
    db.delete(users).where(eq(users.id, c.req.param('id'))).run();
    return c.body(null, 204);
  });

  const toScimGroup = (g: typeof groups.$inferSelect) => ({
    schemas: [GROUP_SCHEMA],
    id: g.id,
    displayName: g.displayName,
    members: g.members,
    meta: { resourceType: 'Group', created: g.createdAt.toISOString(), location: `${base()}/Groups/${g.id}` },
  });
  const requireGroup = (id: string) => {
    const g = db.select().from(groups).where(eq(groups.id, id)).get();
    if (!g) throw new ScimFailure(404, `No group ${id}.`);
    return g;
  };

  app.get('/:accountKey/Groups', (c) => {
    let rows = db.select().from(groups).all();
    const filterText = c.req.query('filter');
    if (filterText) {
      try {
        const matches = compileFilter(parseFilter(filterText));
        rows = rows.filter((g) => matches(toScimGroup(g)));
      } catch {
        throw new ScimFailure(400, `The filter cannot be parsed: ${filterText}`, 'invalidFilter');
      }
    }
    return scimJson(c, 200, { schemas: [LIST], totalResults: rows.length, Resources: rows.map(toScimGroup) });
  });

  app.post('/:accountKey/Groups', async (c) => {
    const body = await readBody(c);
    if (typeof body.displayName !== 'string' || !body.displayName) throw new ScimFailure(400, 'displayName is required.', 'invalidValue');
    const id = randomUUID();
    const members = Array.isArray(body.members) ? (body.members as { value: string }[]).map((m) => ({ value: String(m.value) })) : [];
    db.insert(groups).values({ id, displayName: body.displayName, members, createdAt: new Date() }).run();
    return scimJson(c, 201, toScimGroup(requireGroup(id)));
  });

  app.get('/:accountKey/Groups/:id', (c) => scimJson(c, 200, toScimGroup(requireGroup(c.req.param('id')))));

  app.patch('/:accountKey/Groups/:id', async (c) => {
    const g = requireGroup(c.req.param('id'));
    const body = await readBody(c);
    let patched: { members?: { value: string }[]; displayName?: string };
    try {
      patched = scimPatch(toScimGroup(g) as never, body.Operations as ScimPatchOperation[]) as never;
    } catch (err) {
      throw new ScimFailure(400, `The patch cannot be applied: ${(err as Error).message}`, 'invalidValue');
    }
    db.update(groups)
      .set({ displayName: patched.displayName ?? g.displayName, members: (patched.members ?? []).map((m) => ({ value: String(m.value) })) })
      .where(eq(groups.id, g.id))
      .run();
    return c.body(null, 204);
  });

  app.delete('/:accountKey/Groups/:id', (c) => {
    requireGroup(c.req.param('id'));
    db.delete(groups).where(eq(groups.id, c.req.param('id'))).run();
    return c.body(null, 204);
  });

  return app;
}
