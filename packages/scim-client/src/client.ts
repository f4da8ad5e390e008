import { ScimError } from './errors.js';
import { createTransport, type TransportOptions } from './transport.js';

export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export type ScimResource = Record<string, unknown> & { id: string };

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export interface ServiceProviderConfig {
  patch: boolean;
  filter: boolean;
  maxResults: number | null;
}

/** RFC 7644 §3.4.2.2: a string value in a filter is a JSON string. */
export function filterString(value: string): string {
  return JSON.stringify(value);
}

/**
 * What an app refuses that SCIM 2.0 allows (issue 15 item 3; the catalog's `quirks`, same
 * shape). Enforced here, the one place every request is made: the engine never sees them.
 */
export interface ScimQuirks {
  /** Member changes one group PATCH may carry at most: larger changes are split. */
  groupPatchMaxMembers?: number;
  /** Most resources a list page holds: list requests ask for no more. */
  pageSize?: number;
  /** The only filter operators the app parses; a filter with another is never sent. */
  filterOperators?: string[];
  /** One value per multi-valued attribute of a user: only the primary (or first) one is sent. */
  singleValuedOnly?: boolean;
  /** The app refuses a request without a User-Agent: the transport sends one on every request. */
  requiresUserAgent?: boolean;
  /** DELETE only deactivates the account: it stays in the app (adoption finds it again, E-3). */
  deleteDeactivates?: boolean;
}

export interface ScimClientOptions extends TransportOptions {
  quirks?: ScimQuirks;
}

/** RFC 7643 §4.1.2: a user's multi-valued attributes that an app may take only one of. */
const multiValuedUserAttributes = ['emails', 'phoneNumbers', 'addresses', 'ims', 'photos'];
const filterOperator = /(?<=\s|^|\()(eq|ne|co|sw|ew|gt|ge|lt|le|pr|and|or|not)(?=\s|$|\()/gi;

/** The primary value of each multi-valued attribute, or the first: the only one sent. */
function singleValued(resource: Record<string, unknown>): Record<string, unknown> {
  const out = { ...resource };
  for (const name of multiValuedUserAttributes) {
    const list = out[name];
    if (!Array.isArray(list) || list.length <= 1) continue;
    const kept = (list.find((v) => (v as { primary?: unknown } | null)?.primary === true) ?? list[0]) as Record<string, unknown>;
    out[name] = [{ ...kept, primary: true }];
  }
  return out;
}

function asObject(body: unknown, what: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ScimError('bad_response', `The app's answer to ${what} is not a SCIM object.`);
  return body as Record<string, unknown>;
}

function asResource(body: unknown, what: string): ScimResource {
  const o = asObject(body, what);
  if (typeof o.id !== 'string' && typeof o.id !== 'number') throw new ScimError('bad_response', `The app's answer to ${what} has no id.`);
  return { ...o, id: String(o.id) };
}

/** `Resources` as RFC 7644 spells it, or `resources` as some apps do. */
function resourcesOf(body: unknown, what: string): { resources: ScimResource[]; total: number | null } {
  const o = asObject(body, what);
  const list = o.Resources ?? o.resources ?? [];
  if (!Array.isArray(list)) throw new ScimError('bad_response', `The app's answer to ${what} has no Resources list.`);
  const total = typeof o.totalResults === 'number' ? o.totalResults : null;
  return { resources: list.map((r) => asResource(r, what)), total };
}

/** A SCIM 2.0 service provider, seen from the client side (RFC 7644). */
export class ScimClient {
  private readonly transport;
  private readonly quirks: ScimQuirks;
  private config: Promise<ServiceProviderConfig> | null = null;

  constructor(options: ScimClientOptions) {
    this.transport = createTransport(options);
    this.quirks = options.quirks ?? {};
  }

  /** A filter the app can parse, or a refusal before anything is sent (`filterOperators`). */
  private filter(expression: string): string {
    const allowed = this.quirks.filterOperators?.map((o) => o.toLowerCase());
    if (allowed) {
      // Quoted values are not operators: only the expression's own words are checked.
      const words = expression.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(filterOperator) ?? [];
      const refused = words.find((w) => !allowed.includes(w.toLowerCase()));
      if (refused) throw new ScimError('bad_request', `This app does not understand the filter operator "${refused}".`);
    }
    return expression;
  }

  /** A user resource as the app takes it (`singleValuedOnly`). */
  private userBody(resource: Record<string, unknown>): Record<string, unknown> {
    return this.quirks.singleValuedOnly ? singleValued(resource) : resource;
  }

  /** The page size asked for: never more than the app gives (`pageSize`). */
  private pageSize(wanted: number): number {
    return Math.max(1, Math.min(wanted, this.quirks.pageSize ?? wanted));
  }

  get baseUrl(): string {
    return this.transport.baseUrl;
  }

  serviceProviderConfig(): Promise<ServiceProviderConfig> {
    this.config ??= this.transport.request('GET', '/ServiceProviderConfig').then(({ body }) => {
      const o = asObject(body, 'ServiceProviderConfig');
      const patch = (o.patch as { supported?: unknown } | undefined)?.supported === true;
      const filter = o.filter as { supported?: unknown; maxResults?: unknown } | undefined;
      return {
        patch,
        filter: filter?.supported !== false,
        maxResults: typeof filter?.maxResults === 'number' ? filter.maxResults : null,
      };
    });
    this.config.catch(() => (this.config = null));
    return this.config;
  }

  /**
   * E-3: the account with this userName, if any. userName is caseExact=false (RFC 7643 §4.1.1)
   * but some servers compare exactly, so the answer is matched here without case too. With
   * `thorough`, a server whose filter finds nothing (or cannot parse the value) is read in full:
   * slower, but it finds `Alice@…` when asked for `alice@…` on any server.
   */
  async findUserByUserName(userName: string, options: { thorough?: boolean } = {}): Promise<ScimResource | null> {
    const wanted = userName.toLowerCase();
    const matches = (r: ScimResource) => typeof r.userName === 'string' && r.userName.toLowerCase() === wanted;
    try {
      // A filter the app cannot parse is refused here (`filterOperators`) or by the app: read the list.
      const query = new URLSearchParams({ filter: this.filter(`userName eq ${filterString(userName)}`), startIndex: '1', count: String(this.pageSize(10)) });
      const { body } = await this.transport.request('GET', `/Users?${query}`);
      const found = resourcesOf(body, 'a user search').resources.find(matches) ?? null;
      if (found || !options.thorough) return found;
    } catch (err) {
      // Some servers cannot parse an escaped quote in a filter value (RFC 7644 allows it).
      if (!(err instanceof ScimError && err.kind === 'bad_request')) throw err;
    }
    for await (const r of this.listUsers()) if (matches(r)) return r;
    return null;
  }

  /** E-17: the lightest question that shows the app answers: one user of a one-result list. */
  async probe(): Promise<void> {
    resourcesOf((await this.transport.request('GET', '/Users?startIndex=1&count=1')).body, 'a probe');
  }

  async getUser(id: string): Promise<ScimResource> {
    return asResource((await this.transport.request('GET', `/Users/${encodeURIComponent(id)}`)).body, 'reading a user');
  }

  async createUser(resource: Record<string, unknown>): Promise<ScimResource> {
    return asResource((await this.transport.request('POST', '/Users', this.userBody(resource))).body, 'creating a user');
  }

  async patchUser(id: string, operations: PatchOperation[]): Promise<void> {
    // A replace without a path carries whole attributes: one value each, where the app takes one.
    const sent = this.quirks.singleValuedOnly
      ? operations.map((o) => (o.path === undefined && o.value && typeof o.value === 'object' ? { ...o, value: singleValued(o.value as Record<string, unknown>) } : o))
      : operations;
    await this.transport.request('PATCH', `/Users/${encodeURIComponent(id)}`, { schemas: [PATCH_OP], Operations: sent });
  }

  async replaceUser(id: string, resource: Record<string, unknown>): Promise<void> {
    await this.transport.request('PUT', `/Users/${encodeURIComponent(id)}`, { ...this.userBody(resource), id });
  }

  /** 404 means the account is already gone, which is what was asked. */
  async deleteUser(id: string): Promise<void> {
    try {
      await this.transport.request('DELETE', `/Users/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!(err instanceof ScimError && err.kind === 'not_found')) throw err;
    }
  }

  /** Every user, page by page; stops on a short page, the total, or a page seen before. */
  async *listUsers(pageSize = 100): AsyncGenerator<ScimResource> {
    let startIndex = 1;
    let previousFirst: string | null = null;
    for (;;) {
      const query = new URLSearchParams({ startIndex: String(startIndex), count: String(this.pageSize(pageSize)) });
      const { resources, total } = resourcesOf((await this.transport.request('GET', `/Users?${query}`)).body, 'listing users');
      if (resources.length === 0) return;
      if (resources[0]!.id === previousFirst) {
        throw new ScimError('bad_response', 'The app returned the same page of users twice: it does not page correctly.');
      }
      previousFirst = resources[0]!.id;
      yield* resources;
      startIndex += resources.length;
      if (total != null && startIndex > total) return;
    }
  }

  async findGroupByDisplayName(displayName: string): Promise<ScimResource | null> {
    const query = new URLSearchParams({ filter: this.filter(`displayName eq ${filterString(displayName)}`) });
    const { resources } = resourcesOf((await this.transport.request('GET', `/Groups?${query}`)).body, 'a group search');
    return resources.find((r) => typeof r.displayName === 'string' && r.displayName.toLowerCase() === displayName.toLowerCase()) ?? null;
  }

  /** Members beyond what one request may carry (`groupPatchMaxMembers`) are added by PATCHes after. */
  async createGroup(displayName: string, memberIds: string[] = []): Promise<ScimResource> {
    const max = this.quirks.groupPatchMaxMembers ?? Infinity;
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName,
      members: memberIds.slice(0, max).map((value) => ({ value })),
    };
    const group = asResource((await this.transport.request('POST', '/Groups', body)).body, 'creating a group');
    if (memberIds.length > max) await this.patchGroupMembers(group.id, memberIds.slice(max), []);
    return group;
  }

  /**
   * Adds then removes, in as many PATCHes as the app needs: each carries at most
   * `groupPatchMaxMembers` member changes (every added member and every removal counts).
   */
  async patchGroupMembers(id: string, add: string[], remove: string[]): Promise<void> {
    const changes = [...add.map((value) => ({ add: true, value })), ...remove.map((value) => ({ add: false, value }))];
    const max = this.quirks.groupPatchMaxMembers ?? Math.max(1, changes.length);
    for (let from = 0; from < changes.length; from += max) {
      const chunk = changes.slice(from, from + max);
      const added = chunk.filter((c) => c.add).map(({ value }) => ({ value }));
      const operations: PatchOperation[] = [];
      if (added.length > 0) operations.push({ op: 'add', path: 'members', value: added });
      for (const c of chunk) if (!c.add) operations.push({ op: 'remove', path: this.filter(`members[value eq ${filterString(c.value)}]`) });
      await this.transport.request('PATCH', `/Groups/${encodeURIComponent(id)}`, { schemas: [PATCH_OP], Operations: operations });
    }
  }

  async deleteGroup(id: string): Promise<void> {
    try {
      await this.transport.request('DELETE', `/Groups/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!(err instanceof ScimError && err.kind === 'not_found')) throw err;
    }
  }
}
