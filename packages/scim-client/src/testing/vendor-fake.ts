import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A SCIM 2.0 service on 127.0.0.1 that refuses what a real vendor refuses, as its documentation
 * says (issue 15 item 3), so a test proves autoprov gets the job done within those rules. Each
 * rule is off unless asked; `startAwsIdentityCenterFake`, `startSlackFake`, `startMiroFake`,
 * `startGitHubEmuFake` and `startZoomFake` set them as the vendor documents them. Users and
 * groups live in memory.
 */
export interface VendorFakeRules {
  /** Member changes in one group request above this are refused. */
  groupPatchMaxMembers?: number;
  /** How a too-large group request is refused: AWS 400 ValidationException, Miro 413. */
  groupPatchTooLargeStatus?: 400 | 413;
  /** A list page holds at most this many resources, whatever `count` asks. */
  pageSize?: number;
  /** The filter operators parsed; any other is refused with 400 invalidFilter. */
  filterOperators?: string[];
  /** A user with more than one value in a multi-valued attribute is refused with 400. */
  singleValuedOnly?: boolean;
  /** A request without a User-Agent header is refused with 403. */
  requiresUserAgent?: boolean;
  /** DELETE /Users/{id} deactivates the account and keeps it. */
  deleteDeactivates?: boolean;
  /** No PATCH of users (ServiceProviderConfig says so; a PATCH of a user is refused with 501): PUT only. */
  patchUnsupported?: boolean;
  /**
   * Requests allowed per window (`windowMs`) for operations (`METHOD /Resource`; the ones listed
   * together share the count), on a clock the test controls; past them, 429 with Retry-After
   * (seconds). `overBytes`: the limit counts only requests whose body is larger (Miro).
   * `status`: how the vendor refuses (GitHub 403, the others 429); `retryAfter: false`: without
   * a Retry-After header (Zoom documents none); `message`: the vendor's words.
   */
  rateWindows?: {
    windowMs: number;
    limits: { operations: string[]; limit: number; overBytes?: number }[];
    now: () => number;
    status?: 403 | 429;
    retryAfter?: boolean;
    message?: string;
  };
  /** Attributes a user must carry on POST and PUT (GitHub: schemas, externalId, active, displayName, emails); else 400. */
  requiredAttributes?: string[];
  /** The vendor's error body for a status and a message. */
  errorBody?: (status: number, detail: string, scimType?: string) => unknown;
}

type Json = Record<string, unknown>;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const operators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'and', 'or', 'not'];
const multiValued = ['emails', 'phoneNumbers', 'addresses', 'ims', 'photos'];

const scimError = (status: number, detail: string, scimType?: string) => ({ schemas: [ERROR], status: String(status), detail, ...(scimType ? { scimType } : {}) });

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: string,
    readonly headers: Record<string, string> = {},
    /** Refused as too many (whatever the status the vendor uses for it). */
    readonly rateLimited = false,
  ) {
    super(message);
  }
}

/** `a eq "x" and b eq "y"` → [[a, x], [b, y]]; an operator the app does not parse is refused. */
function parseFilter(filter: string, allowed: string[]): [string, string][] {
  const bare = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const word of bare.split(/[\s()[\]]+/)) {
    if (operators.includes(word.toLowerCase()) && !allowed.includes(word.toLowerCase())) throw new Refusal(400, `Unsupported filter operator: ${word}`, 'invalidFilter');
  }
  return filter.split(/\s+and\s+/i).map((part) => {
    const m = /^\s*([\w.:]+)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i.exec(part);
    if (!m) throw new Refusal(400, `Cannot parse filter: ${part}`, 'invalidFilter');
    return [m[1]!, JSON.parse(m[2]!) as string];
  });
}

function valueAt(resource: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), resource);
}

/** Applies one PATCH operation to a user (the paths autoprov and RFC 7644's examples use). */
function patchUser(user: Json, op: { op: string; path?: string; value?: unknown }) {
  const verb = op.op.toLowerCase();
  if (!op.path) {
    if (verb === 'remove' || !op.value || typeof op.value !== 'object') throw new Refusal(400, 'A PATCH without a path needs an object value.', 'invalidValue');
    Object.assign(user, op.value);
    return;
  }
  const urn = /^(urn:[^ ]+):([\w]+)$/.exec(op.path);
  if (urn) {
    const ext = (user[urn[1]!] ??= {}) as Json;
    if (verb === 'remove') delete ext[urn[2]!];
    else ext[urn[2]!] = op.value;
    return;
  }
  // RFC 7644 §3.5.2.2: a filter without a sub-attribute removes the matching values.
  const entry = /^(\w+)\[type eq "(\w+)"\]$/.exec(op.path);
  if (entry && verb === 'remove') {
    const [, attr, type] = entry as unknown as [string, string, string];
    user[attr] = ((user[attr] as Json[] | undefined) ?? []).filter((i) => i.type !== type);
    return;
  }
  const filtered = /^(\w+)\[type eq "(\w+)"\]\.(\w+)$/.exec(op.path);
  if (filtered) {
    const [, attr, type, sub] = filtered as unknown as [string, string, string, string];
    const list = ((user[attr] as Json[] | undefined) ?? []).slice();
    const item = list.find((i) => i.type === type);
    if (verb === 'remove') user[attr] = list.filter((i) => i !== item);
    else if (item) item[sub] = op.value;
    else user[attr] = [...list, { type, [sub]: op.value }];
    return;
  }
  const [head, ...rest] = op.path.split('.');
  if (rest.length === 0) {
    if (verb === 'remove') delete user[head!];
    // RFC 7644 §3.5.2.1: values added to a multi-valued attribute join the ones it holds.
    else if (verb === 'add' && Array.isArray(op.value) && Array.isArray(user[head!])) user[head!] = [...(user[head!] as unknown[]), ...op.value];
    else user[head!] = op.value;
  } else {
    const inner = (user[head!] ??= {}) as Json;
    if (verb === 'remove') delete inner[rest.join('.')];
    else inner[rest.join('.')] = op.value;
  }
}

export async function startVendorFake(options: { token: string } & VendorFakeRules) {
  const rules = options;
  const errorBody = rules.errorBody ?? scimError;
  const users = new Map<string, Json>();
  const groups = new Map<string, Json>();
  /** Every request as it arrived, and every refusal by reason, for the tests to read. */
  /** `at`: the rate windows' clock when the request arrived (null without rate windows). */
  const requests: { method: string; path: string; userAgent: string | null; at: number | null }[] = [];
  const refused = new Map<string, number>();
  const accepted: { at: number; limits: object[] }[] = [];
  const allowedOperators = (rules.filterOperators ?? operators).map((o) => o.toLowerCase());

  const refuse = (reason: string) => refused.set(reason, (refused.get(reason) ?? 0) + 1);

  function checkSingleValued(user: Json) {
    if (!rules.singleValuedOnly) return;
    for (const name of multiValued) {
      const list = user[name];
      if (Array.isArray(list) && list.length > 1) throw new Refusal(400, `Multi-valued attribute ${name} supports only one value.`, 'invalidValue');
    }
  }

  function checkRequired(user: Json) {
    const missing = (rules.requiredAttributes ?? []).filter((name) => user[name] === undefined || user[name] === null || user[name] === '');
    if (missing.length > 0) throw new Refusal(400, `Missing required attributes: ${missing.join(', ')}.`, 'invalidValue');
  }

  function checkUserName(userName: unknown, self: string | null) {
    if (typeof userName !== 'string' || !userName) throw new Refusal(400, 'userName is required.', 'invalidValue');
    const clash = [...users.values()].find((u) => u.id !== self && String(u.userName).toLowerCase() === userName.toLowerCase());
    if (clash) throw new Refusal(409, 'userName is already taken.', 'uniqueness');
  }

  /** Vendor windows: a request over any limit it counts toward is refused with 429. */
  function pace(method: string, resource: string, bodyBytes: number) {
    if (!rules.rateWindows) return;
    const { windowMs, limits, now, status = 429, retryAfter: withRetryAfter = true, message = 'Too many requests.' } = rules.rateWindows;
    const at = now();
    const operation = `${method} /${resource}`;
    while (accepted.length > 0 && accepted[0]!.at <= at - windowMs) accepted.shift();
    const counting = limits.filter((l) => l.operations.includes(operation) && bodyBytes > (l.overBytes ?? -1));
    for (const limit of counting) {
      const seen = accepted.filter((a) => a.limits.includes(limit));
      if (seen.length >= limit.limit) {
        const retryAfter = Math.max(1, Math.ceil((seen[0]!.at + windowMs - at) / 1000));
        throw new Refusal(status, message, undefined, withRetryAfter ? { 'retry-after': String(retryAfter) } : {}, true);
      }
    }
    accepted.push({ at, limits: counting });
  }

  function list(all: Json[], url: URL): Json {
    const startIndex = Math.max(1, Number(url.searchParams.get('startIndex') ?? '1') || 1);
    const asked = url.searchParams.has('count') ? Math.max(0, Number(url.searchParams.get('count')) || 0) : Infinity;
    const count = Math.min(asked, rules.pageSize ?? Infinity);
    const page = all.slice(startIndex - 1, startIndex - 1 + count);
    return { schemas: [LIST], totalResults: all.length, itemsPerPage: page.length, startIndex, Resources: page };
  }

  function filtered(all: Json[], url: URL): Json[] {
    const filter = url.searchParams.get('filter');
    if (!filter) return all;
    const terms = parseFilter(filter, allowedOperators);
    return all.filter((r) => terms.every(([path, value]) => String(valueAt(r, path) ?? '').toLowerCase() === value.toLowerCase()));
  }

  function memberChanges(operations: { op: string; path?: string; value?: unknown }[]): number {
    return operations.reduce((n, o) => n + (Array.isArray(o.value) ? o.value.length : 1), 0);
  }

  function handle(method: string, url: URL, body: Json | null, bodyBytes: number): { status: number; body?: unknown } {
    const path = url.pathname.replace(/^\/scim\/v2/, '');
    if (path === '/ServiceProviderConfig') {
      return {
        status: 200,
        body: {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
          patch: { supported: !rules.patchUnsupported },
          bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
          filter: { supported: true, maxResults: rules.pageSize ?? 100 },
          changePassword: { supported: false },
          sort: { supported: false },
          etag: { supported: false },
        },
      };
    }
    if (path.startsWith('/Bulk')) throw new Refusal(501, 'Bulk is not supported.');
    const [, resource, id] = /^\/(Users|Groups)(?:\/([^/]+))?$/.exec(path) ?? [];
    if (!resource) throw new Refusal(404, `No resource at ${path}.`);
    pace(method, resource, bodyBytes);
    const store = resource === 'Users' ? users : groups;
    if (!id) {
      if (method === 'GET') return { status: 200, body: list(filtered([...store.values()], url), url) };
      if (method !== 'POST' || !body) throw new Refusal(405, `${method} is not allowed here.`);
      if (resource === 'Users') {
        checkRequired(body);
        checkUserName(body.userName, null);
        checkSingleValued(body);
        const user: Json = { ...body, id: randomUUID(), schemas: [USER], active: body.active !== false };
        users.set(user.id as string, user);
        return { status: 201, body: user };
      }
      const members = (body.members as Json[] | undefined) ?? [];
      if (rules.groupPatchMaxMembers !== undefined && members.length > rules.groupPatchMaxMembers) {
        throw new Refusal(rules.groupPatchTooLargeStatus ?? 400, `At most ${rules.groupPatchMaxMembers} members in one request.`, 'tooMany');
      }
      if ([...groups.values()].some((g) => String(g.displayName).toLowerCase() === String(body.displayName).toLowerCase())) throw new Refusal(409, 'displayName is already taken.', 'uniqueness');
      const group: Json = { id: randomUUID(), schemas: [GROUP], displayName: body.displayName, members: members.map((m) => ({ value: m.value })) };
      groups.set(group.id as string, group);
      return { status: 201, body: group };
    }
    const found = store.get(decodeURIComponent(id));
    if (!found) throw new Refusal(404, `${resource.slice(0, -1)} ${id} not found.`);
    if (method === 'GET') return { status: 200, body: found };
    if (method === 'DELETE') {
      if (resource === 'Users' && rules.deleteDeactivates) found.active = false;
      else store.delete(found.id as string);
      return { status: 204 };
    }
    if (method === 'PUT' && resource === 'Users' && body) {
      checkRequired(body);
      checkUserName(body.userName, found.id as string);
      checkSingleValued(body);
      const next: Json = { ...body, id: found.id, schemas: [USER], active: body.active !== false };
      users.set(found.id as string, next);
      return { status: 200, body: next };
    }
    if (method !== 'PATCH' || !body) throw new Refusal(405, `${method} is not allowed here.`);
    if (resource === 'Users' && rules.patchUnsupported) throw new Refusal(501, 'PATCH is not supported: replace the user with PUT.');
    const operations = (body.Operations as { op: string; path?: string; value?: unknown }[] | undefined) ?? [];
    if (resource === 'Users') {
      const next = structuredClone(found);
      for (const op of operations) patchUser(next, op);
      checkUserName(next.userName, found.id as string);
      checkSingleValued(next);
      users.set(found.id as string, next);
      return { status: 200, body: next };
    }
    // Groups: members added and removed one by one (AWS refuses "replace" and "remove all").
    if (rules.groupPatchMaxMembers !== undefined && memberChanges(operations) > rules.groupPatchMaxMembers) {
      throw new Refusal(rules.groupPatchTooLargeStatus ?? 400, `At most ${rules.groupPatchMaxMembers} membership changes in one request.`, 'tooMany');
    }
    const members = ((found.members as Json[] | undefined) ?? []).slice();
    for (const op of operations) {
      const verb = op.op.toLowerCase();
      if (verb === 'add' && op.path === 'members' && Array.isArray(op.value)) {
        for (const m of op.value as Json[]) if (!members.some((x) => x.value === m.value)) members.push({ value: m.value });
        continue;
      }
      const removed = verb === 'remove' ? /^members\[value eq "([^"]+)"\]$/.exec(op.path ?? '') : null;
      if (!removed) throw new Refusal(400, `Unsupported group operation: ${op.op} ${op.path ?? ''}`, 'invalidSyntax');
      const at = members.findIndex((m) => m.value === removed[1]);
      if (at >= 0) members.splice(at, 1);
    }
    found.members = members;
    return { status: 200, body: found };
  }

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });

  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const url = new URL(req.url ?? '/', 'http://fake');
      const userAgent = req.headers['user-agent'] ?? null;
      requests.push({ method, path: `${url.pathname}${url.search}`, userAgent, at: rules.rateWindows?.now() ?? null });
      const text = await readBody(req);
      try {
        if (rules.requiresUserAgent && !userAgent) throw new Refusal(403, 'A User-Agent header is required.');
        if (req.headers.authorization !== `Bearer ${options.token}`) throw new Refusal(401, 'The bearer token is missing or not valid.');
        const answer = handle(method, url, text ? (JSON.parse(text) as Json) : null, Buffer.byteLength(text));
        send(res, answer.status, answer.body);
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        refuse(err.rateLimited ? 'tooManyRequests' : (err.scimType ?? String(err.status)));
        send(res, err.status, errorBody(err.status, err.message, err.scimType), err.headers);
      }
    })().catch((err: unknown) => send(res, 500, scimError(500, String(err))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`,
    users,
    groups,
    requests,
    refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type VendorFake = Awaited<ReturnType<typeof startVendorFake>>;

/**
 * AWS IAM Identity Center (docs.aws.amazon.com/singlesignon/latest/developerguide): filters `eq`
 * with `and` only; no multi-valued attributes (one e-mail, address, phone); at most 100
 * membership changes per PatchGroup (and members per CreateGroup); ListUsers pages of 50 at most;
 * no /Bulk; every example request carries a User-Agent. Errors: `{ schemas, status, detail }`.
 */
export function startAwsIdentityCenterFake(token: string) {
  return startVendorFake({
    token,
    groupPatchMaxMembers: 100,
    groupPatchTooLargeStatus: 400,
    pageSize: 50,
    filterOperators: ['eq', 'and'],
    singleValuedOnly: true,
    requiresUserAgent: true,
    errorBody: (status, detail) => ({ schemas: [ERROR], status: String(status), detail, exceptionRequestId: randomUUID() }),
  });
}

/**
 * Slack (docs.slack.dev/reference/scim-api): 180 requests per minute for each of create,
 * update and delete, 600 writes per minute for the organisation, 429 with Retry-After beyond;
 * DELETE deactivates the account. Errors: `{ Errors: { description, code } }`.
 */
export function startSlackFake(token: string, now: () => number) {
  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].flatMap((m) => [`${m} /Users`, `${m} /Groups`]);
  return startVendorFake({
    token,
    deleteDeactivates: true,
    rateWindows: {
      windowMs: 60_000,
      now,
      limits: [
        { operations: ['POST /Users'], limit: 180 },
        { operations: ['PUT /Users', 'PATCH /Users'], limit: 180 },
        { operations: ['DELETE /Users'], limit: 180 },
        { operations: writes, limit: 600 },
      ],
    },
    errorBody: (status, description) => ({ Errors: { description, code: status } }),
  });
}

/**
 * Miro (developers.miro.com/reference/rate-limits): limits per 30 s for each SCIM method (a
 * group PATCH over 500 bytes counts toward 5, a smaller one toward 100); a group PATCH of more
 * than 8,000 members is answered 413.
 */
export function startMiroFake(token: string, now: () => number = () => performance.now()) {
  return startVendorFake({
    token,
    groupPatchMaxMembers: 8000,
    groupPatchTooLargeStatus: 413,
    rateWindows: {
      windowMs: 30_000,
      now,
      limits: [
        { operations: ['GET /Users'], limit: 200 },
        { operations: ['POST /Users'], limit: 200 },
        { operations: ['PUT /Users'], limit: 100 },
        { operations: ['PATCH /Users'], limit: 100 },
        { operations: ['DELETE /Users'], limit: 20 },
        { operations: ['GET /Groups'], limit: 5 },
        { operations: ['PATCH /Groups'], limit: 100 },
        { operations: ['PATCH /Groups'], limit: 5, overBytes: 500 },
      ],
    },
  });
}

/**
 * GitHub Enterprise Managed Users (docs.github.com, "Provisioning users and groups with SCIM
 * using the REST API" and "REST API endpoints for SCIM"): at most 1,000 users provisioned per
 * hour (counted here as creations in any hour); past it a rate-limit refusal, answered as GitHub
 * answers its secondary limits ("Rate limits for the REST API": 403 or 429 with Retry-After;
 * 403 here, the one a client could take for a refused token). Every request needs a User-Agent;
 * a user needs schemas, externalId, userName, active, displayName and emails. Errors: GitHub's
 * `scim-error` (`schemas`, `status`, `detail`, `message`, `documentation_url`).
 */
export function startGitHubEmuFake(token: string, now: () => number) {
  return startVendorFake({
    token,
    requiresUserAgent: true,
    requiredAttributes: ['schemas', 'externalId', 'userName', 'active', 'displayName', 'emails'],
    rateWindows: {
      windowMs: 3_600_000,
      now,
      status: 403,
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      limits: [{ operations: ['POST /Users'], limit: 1000 }],
    },
    errorBody: (status, detail, scimType) => ({
      schemas: [ERROR],
      status,
      detail,
      message: detail,
      documentation_url: 'https://docs.github.com/enterprise-cloud@latest/rest/enterprise-admin/scim',
      ...(scimType ? { scimType } : {}),
    }),
  });
}

/**
 * Zoom (developers.zoom.us/docs/api/scim2 and /docs/api/rate-limits): the SCIM2 API needs a
 * Business or Education account; limits are per second for the whole account, by each
 * operation's label (Business and above: Light 80, Medium 60; the SCIM2 operations are Light or
 * Medium). Every SCIM2 request counts here toward 60 a second, the lower of the two. Past it,
 * 429 without Retry-After (Zoom's API description declares none): the client's own backoff
 * paces the retry. Errors: `{ code, message }`.
 */
export function startZoomFake(token: string, now: () => number) {
  const everything = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].flatMap((m) => [`${m} /Users`, `${m} /Groups`]);
  return startVendorFake({
    token,
    rateWindows: {
      windowMs: 1000,
      now,
      retryAfter: false,
      limits: [{ operations: everything, limit: 60 }],
    },
    errorBody: (status, message) => ({ code: status, message }),
  });
}
