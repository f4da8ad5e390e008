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
  private config: Promise<ServiceProviderConfig> | null = null;

  constructor(options: TransportOptions) {
    this.transport = createTransport(options);
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
    const query = new URLSearchParams({ filter: `userName eq ${filterString(userName)}`, startIndex: '1', count: '10' });
    try {
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
    return asResource((await this.transport.request('POST', '/Users', resource)).body, 'creating a user');
  }

  async patchUser(id: string, operations: PatchOperation[]): Promise<void> {
    await this.transport.request('PATCH', `/Users/${encodeURIComponent(id)}`, { schemas: [PATCH_OP], Operations: operations });
  }

  async replaceUser(id: string, resource: Record<string, unknown>): Promise<void> {
    await this.transport.request('PUT', `/Users/${encodeURIComponent(id)}`, { ...resource, id });
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
      const query = new URLSearchParams({ startIndex: String(startIndex), count: String(pageSize) });
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
    const query = new URLSearchParams({ filter: `displayName eq ${filterString(displayName)}` });
    const { resources } = resourcesOf((await this.transport.request('GET', `/Groups?${query}`)).body, 'a group search');
    return resources.find((r) => typeof r.displayName === 'string' && r.displayName.toLowerCase() === displayName.toLowerCase()) ?? null;
  }

  async createGroup(displayName: string, memberIds: string[] = []): Promise<ScimResource> {
    const body = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName,
      members: memberIds.map((value) => ({ value })),
    };
    return asResource((await this.transport.request('POST', '/Groups', body)).body, 'creating a group');
  }

  async patchGroupMembers(id: string, add: string[], remove: string[]): Promise<void> {
    const operations: PatchOperation[] = [];
    if (add.length > 0) operations.push({ op: 'add', path: 'members', value: add.map((value) => ({ value })) });
    for (const value of remove) operations.push({ op: 'remove', path: `members[value eq ${filterString(value)}]` });
    if (operations.length > 0) await this.transport.request('PATCH', `/Groups/${encodeURIComponent(id)}`, { schemas: [PATCH_OP], Operations: operations });
  }

  async deleteGroup(id: string): Promise<void> {
    try {
      await this.transport.request('DELETE', `/Groups/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!(err instanceof ScimError && err.kind === 'not_found')) throw err;
    }
  }
}
