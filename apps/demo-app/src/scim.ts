import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type Provider from 'oidc-provider';
import { scimPatch, type ScimPatchOperation } from 'scim-patch';
import { parse as parseFilter, type Filter } from 'scim2-parse-filter';
import type { DemoDatabase } from './db/index.js';
import { groups, outbox, users, verifiedDomains } from './db/schema.js';
import { SCIM_SCOPE } from './oidc.js';
import { attributeList, matches, project } from './scim-query.js';
import {
  allSchemas,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  groupSchemas,
  InvalidAttribute,
  schemaResource,
  USER_SCHEMA,
  userSchemas,
  writableAttributes,
  type ResourceSchemas,
} from './scim-schema.js';

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

const errorBody = (status: number, detail: string, scimType?: string) => ({
  schemas: [ERROR],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail,
});

/** A `filter` query parameter, parsed; a filter the service cannot read is a 400 invalidFilter. */
function parsedFilter(text: string | undefined): Filter | null {
  if (!text) return null;
  try {
    return parseFilter(text);
  } catch {
    throw new ScimFailure(400, `The filter cannot be parsed: ${text}`, 'invalidFilter');
  }
}

/** RFC 7644 §3.4.2.4: 1-based startIndex, count capped at the service's maxResults. */
function pageOf<T>(c: Context, rows: T[]) {
  const startIndex = Math.max(1, Number(c.req.query('startIndex') ?? 1) || 1);
  const count = Math.min(maxResults, Math.max(0, Number(c.req.query('count') ?? 100) || 0));
  return { startIndex, page: rows.slice(startIndex - 1, startIndex - 1 + count) };
}
const maxResults = 200;

/** The resource as the request's `attributes` / `excludedAttributes` ask to see it (RFC 7644 §3.9). */
function shown(c: Context, schemas: ResourceSchemas, resource: Record<string, unknown>) {
  const attributes = attributeList(c.req.query('attributes'), schemas);
  const excluded = attributeList(c.req.query('excludedAttributes'), schemas);
  return project(resource, schemas, { attributes, excluded });
}
const asksForAttributes = (c: Context) => c.req.query('attributes') !== undefined || c.req.query('excludedAttributes') !== undefined;

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

  // Every failure, whatever raised it, answers with a SCIM error body (RFC 7644 §3.12).
  app.onError((err, c) => {
    if (err instanceof ScimFailure) return scimJson(c, err.status, errorBody(err.status, err.detail, err.scimType));
    if (err instanceof InvalidAttribute) return scimJson(c, 400, errorBody(400, err.message, 'invalidValue'));
    if (err instanceof HTTPException) return scimJson(c, err.status, errorBody(err.status, err.message || 'The request was refused.'));
    return scimJson(c, 500, errorBody(500, 'Internal error'));
  });
  app.notFound((c) => scimJson(c, 404, errorBody(404, `No SCIM endpoint at ${new URL(c.req.url).pathname}.`)));

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
    schemas: ENTERPRISE_USER_SCHEMA in row.resource ? [USER_SCHEMA, ENTERPRISE_USER_SCHEMA] : [USER_SCHEMA],
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

  /** RFC 7644 §3.14: a write with If-Match goes through only on the version the client saw. */
  const requireUserAsSeen = (c: Context) => {
    const row = requireUser(c.req.param('id')!);
    const ifMatch = c.req.header('if-match');
    if (ifMatch && ifMatch.trim() !== '*' && !ifMatch.split(',').some((tag) => tag.trim() === `W/"${row.version}"`)) {
      throw new ScimFailure(412, `The user changed since version ${ifMatch.trim()}: it is now W/"${row.version}".`);
    }
    return row;
  };
  /** The user as answered, with its version as the ETag header. */
  const answerUser = (c: Context, status: number, id: string) => {
    const row = requireUser(id);
    c.header('etag', `W/"${row.version}"`);
    return scimJson(c, status, shown(c, userSchemas, toScim(row)));
  };

  function save(id: string, written: Record<string, unknown>, existing?: typeof users.$inferSelect) {
    // Only what /Schemas describes is kept: id, meta and unknown attributes are not the client's to set.
    const resource = writableAttributes(userSchemas, written);
    const { userName, productAccess } = validateUser(resource, id);
    const now = new Date();
    const row = {
      id,
      userName,
      resource,
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
      filter: { supported: true, maxResults },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'OAuth 2.0 access token from this app', primary: true }],
    }),
  );

  const resourceTypes = [
    { id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: USER_SCHEMA, schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }] },
    { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: GROUP_SCHEMA, schemaExtensions: [] },
  ].map((t) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'], ...t, meta: { resourceType: 'ResourceType', location: `${base()}/ResourceTypes/${t.id}` } }));

  app.get('/:accountKey/ResourceTypes', (c) => scimJson(c, 200, { schemas: [LIST], totalResults: resourceTypes.length, startIndex: 1, itemsPerPage: resourceTypes.length, Resources: resourceTypes }));
  app.get('/:accountKey/ResourceTypes/:id', (c) => {
    const found = resourceTypes.find((t) => t.id === c.req.param('id'));
    if (!found) throw new ScimFailure(404, `No resource type ${c.req.param('id')}.`);
    return scimJson(c, 200, found);
  });

  const schemaResources = () => allSchemas.map((s) => schemaResource(s, `${base()}/Schemas/${s.id}`));
  app.get('/:accountKey/Schemas', (c) => {
    const all = schemaResources();
    return scimJson(c, 200, { schemas: [LIST], totalResults: all.length, startIndex: 1, itemsPerPage: all.length, Resources: all });
  });
  app.get('/:accountKey/Schemas/:id', (c) => {
    const found = schemaResources().find((s) => s.id === c.req.param('id'));
    if (!found) throw new ScimFailure(404, `No schema ${c.req.param('id')}.`);
    return scimJson(c, 200, found);
  });

  app.get('/:accountKey/Users', (c) => {
    const filter = parsedFilter(c.req.query('filter'));
    let rows: (typeof users.$inferSelect)[];
    if (filter?.op === 'eq' && filter.attrPath.toLowerCase() === 'username' && typeof filter.compValue === 'string') {
      // The common search (E-3) through the index on lower(userName): userName is caseExact=false.
      rows = db.select().from(users).where(sql`lower(${users.userName}) = ${filter.compValue.toLowerCase()}`).all();
    } else {
      rows = db.select().from(users).orderBy(users.createdAt, users.id).all();
      if (filter) rows = rows.filter((r) => matches(filter, toScim(r), userSchemas));
    }
    const { startIndex, page } = pageOf(c, rows);
    return scimJson(c, 200, {
      schemas: [LIST],
      totalResults: rows.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page.map((r) => shown(c, userSchemas, toScim(r))),
    });
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
    return answerUser(c, 201, id);
  });

  app.get('/:accountKey/Users/:id', (c) => answerUser(c, 200, c.req.param('id')));

  app.put('/:accountKey/Users/:id', async (c) => {
    const existing = requireUserAsSeen(c);
    const body = await readBody(c);
    save(existing.id, body, existing);
    return answerUser(c, 200, existing.id);
  });

  app.patch('/:accountKey/Users/:id', async (c) => {
    const existing = requireUserAsSeen(c);
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
    // RFC 7644 §3.5.2: 204, or 200 with the resource when the request names attributes.
    if (asksForAttributes(c)) return answerUser(c, 200, existing.id);
    c.header('etag', `W/"${existing.version + 1}"`);
    return c.body(null, 204);
  });

  app.delete('/:accountKey/Users/:id', (c) => {
    requireUserAsSeen(c);
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
    const filter = parsedFilter(c.req.query('filter'));
    let rows = db.select().from(groups).orderBy(groups.createdAt, groups.id).all();
    if (filter) rows = rows.filter((g) => matches(filter, toScimGroup(g), groupSchemas));
    const { startIndex, page } = pageOf(c, rows);
    return scimJson(c, 200, {
      schemas: [LIST],
      totalResults: rows.length,
      startIndex,
      itemsPerPage: page.length,
      Resources: page.map((g) => shown(c, groupSchemas, toScimGroup(g))),
    });
  });

  /** A Group as written (POST, PUT, or the result of a PATCH): a display name and member ids. */
  const groupFields = (written: Record<string, unknown>) => {
    const kept = writableAttributes(groupSchemas, written);
    if (typeof kept.displayName !== 'string' || !kept.displayName.trim()) throw new ScimFailure(400, 'displayName is required.', 'invalidValue');
    const members = ((kept.members ?? []) as { value?: unknown }[]).map((m) => {
      if (typeof m.value !== 'string' || !m.value) throw new ScimFailure(400, 'Each member needs a value (the id of a User).', 'invalidValue');
      return { value: m.value };
    });
    return { displayName: kept.displayName, members };
  };

  app.post('/:accountKey/Groups', async (c) => {
    const fields = groupFields(await readBody(c));
    const id = randomUUID();
    db.insert(groups).values({ id, ...fields, createdAt: new Date() }).run();
    c.header('location', `${base()}/Groups/${id}`);
    return scimJson(c, 201, shown(c, groupSchemas, toScimGroup(requireGroup(id))));
  });

  app.get('/:accountKey/Groups/:id', (c) => scimJson(c, 200, shown(c, groupSchemas, toScimGroup(requireGroup(c.req.param('id'))))));

  // RFC 7644 §3.5.1: PUT replaces the whole group; members left out are removed.
  app.put('/:accountKey/Groups/:id', async (c) => {
    const g = requireGroup(c.req.param('id'));
    const fields = groupFields(await readBody(c));
    db.update(groups).set(fields).where(eq(groups.id, g.id)).run();
    return scimJson(c, 200, shown(c, groupSchemas, toScimGroup(requireGroup(g.id))));
  });

  app.patch('/:accountKey/Groups/:id', async (c) => {
    const g = requireGroup(c.req.param('id'));
    const body = await readBody(c);
    if (!Array.isArray(body.Operations)) throw new ScimFailure(400, 'A PATCH needs Operations.', 'invalidSyntax');
    let patched: Record<string, unknown>;
    try {
      patched = scimPatch(toScimGroup(g) as never, body.Operations as ScimPatchOperation[]) as unknown as Record<string, unknown>;
    } catch (err) {
      throw new ScimFailure(400, `The patch cannot be applied: ${(err as Error).message}`, 'invalidValue');
    }
    db.update(groups).set(groupFields(patched)).where(eq(groups.id, g.id)).run();
    return asksForAttributes(c) ? scimJson(c, 200, shown(c, groupSchemas, toScimGroup(requireGroup(g.id)))) : c.body(null, 204);
  });

  app.delete('/:accountKey/Groups/:id', (c) => {
    requireGroup(c.req.param('id'));
    db.delete(groups).where(eq(groups.id, c.req.param('id'))).run();
    return c.body(null, 204);
  });

  // RFC 7644 §3.11 and §3.7: no /Me and no bulk operations here.
  app.all('/:accountKey/Me', () => {
    throw new ScimFailure(501, 'This service does not support /Me.');
  });
  app.all('/:accountKey/Bulk', () => {
    throw new ScimFailure(501, 'This service does not support bulk operations.');
  });
  // A known endpoint asked with a method it does not take.
  const notAllowed = (c: Context) => {
    throw new ScimFailure(405, `${c.req.method} is not supported on ${new URL(c.req.url).pathname}.`);
  };
  app.all('/:accountKey/ServiceProviderConfig', notAllowed);
  for (const type of ['Users', 'Groups', 'Schemas', 'ResourceTypes']) {
    app.all(`/:accountKey/${type}`, notAllowed);
    app.all(`/:accountKey/${type}/:id`, notAllowed);
  }
  app.all('*', (c) => {
    throw new ScimFailure(404, `No SCIM endpoint at ${new URL(c.req.url).pathname}.`);
  });

  return app;
}
