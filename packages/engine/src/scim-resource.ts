import { ACCESS_LEVEL, type AppAttributes, type FieldChange } from './model.js';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

type Json = Record<string, unknown>;

/** `emails[type eq "work"].value` → { attribute: 'emails', type: 'work', sub: 'value' } */
const multiValued = /^(\w+)\[type eq "(\w+)"\]\.(\w+)$/;

/** Puts one mapped attribute (a SCIM path) into a User resource. */
function place(resource: Json, path: string, value: string | null) {
  if (value == null || value === '') return;
  if (path.startsWith(`${ENTERPRISE_USER_SCHEMA}:`)) {
    const ext = (resource[ENTERPRISE_USER_SCHEMA] ??= {}) as Json;
    ext[path.slice(ENTERPRISE_USER_SCHEMA.length + 1)] = value;
    return;
  }
  const mv = multiValued.exec(path);
  if (mv) {
    const [, attribute, type, sub] = mv as unknown as [string, string, string, string];
    const list = (resource[attribute] ??= []) as Json[];
    let item = list.find((i) => i.type === type);
    if (!item) list.push((item = { type, primary: list.length === 0 }));
    item[sub] = value;
    return;
  }
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) resource[head!] = value;
  else ((resource[head!] ??= {}) as Json)[rest.join('.')] = value;
}

/** The whole SCIM User for a POST or PUT: mapped attributes, access level as a role (E-7). */
export function toScimUser(attributes: AppAttributes, active = true): Json {
  const resource: Json = { schemas: [CORE_USER_SCHEMA], active };
  for (const [path, value] of Object.entries(attributes)) {
    if (path === ACCESS_LEVEL) {
      if (value) resource.roles = [{ value, primary: true }];
    } else {
      place(resource, path, value);
    }
  }
  if (resource[ENTERPRISE_USER_SCHEMA]) (resource.schemas as string[]).push(ENTERPRISE_USER_SCHEMA);
  return resource;
}

const present = (value: string | null | undefined): value is string => value != null && value !== '';

/**
 * E-4: a PATCH carrying exactly the changes (`before` what the account holds, `after` what it is
 * to hold; `attributes` the whole state it is to hold). A plain attribute is replaced, or removed
 * when emptied. A multi-valued entry (`emails[type eq "work"].value`) is handled as a whole, as
 * RFC 7644 §3.5.2 asks: a `replace` through a filter that matches no value is refused with 400
 * noTarget (§3.5.2.3), so an entry the account lacks is added (the entry a create sends, same
 * primary flag), one that is emptied is removed, and only one held before and after is replaced.
 */
export function toPatchOperations(changes: Record<string, FieldChange>, attributes: AppAttributes): PatchOperation[] {
  const after: AppAttributes = { ...attributes };
  for (const [path, change] of Object.entries(changes)) after[path] = change.after;
  const operations: PatchOperation[] = [];
  const entriesDone = new Set<string>();
  for (const [path, change] of Object.entries(changes)) {
    if (path === ACCESS_LEVEL) {
      operations.push(present(change.after) ? { op: 'replace', path: 'roles', value: [{ value: change.after, primary: true }] } : { op: 'remove', path: 'roles' });
      continue;
    }
    const mv = multiValued.exec(path);
    if (!mv) {
      operations.push(present(change.after) ? { op: 'replace', path, value: change.after } : { op: 'remove', path });
      continue;
    }
    const [, attribute, type] = mv as unknown as [string, string, string];
    const entry = `${attribute}[type eq "${type}"]`;
    if (entriesDone.has(entry)) continue;
    entriesDone.add(entry);
    // Every mapped sub-attribute of this entry: held before (changed or not), held after.
    const subPaths = Object.keys(after).filter((p) => {
      const m = multiValued.exec(p);
      return m !== null && m[1] === attribute && m[2] === type;
    });
    const before = (p: string) => (p in changes ? changes[p]!.before : after[p]);
    const had = subPaths.some((p) => present(before(p)));
    const has = subPaths.some((p) => present(after[p]));
    if (!had && has) {
      const list = toScimUser(after)[attribute] as Json[];
      operations.push({ op: 'add', path: attribute, value: list.filter((i) => i.type === type) });
    } else if (had && !has) {
      operations.push({ op: 'remove', path: entry });
    } else {
      for (const p of subPaths) {
        if (!(p in changes)) continue;
        const value = after[p];
        operations.push(present(value) ? { op: 'replace', path: p, value } : { op: 'remove', path: p });
      }
    }
  }
  return operations;
}

const text = (value: unknown): string | null => {
  if (value == null || value === '') return null;
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
};

/** Reads one mapped attribute (a SCIM path, as `place` writes it) back from a User resource. */
function pick(resource: Json, path: string): string | null {
  if (path === ACCESS_LEVEL) {
    const roles = Array.isArray(resource.roles) ? (resource.roles as Json[]) : [];
    return text((roles.find((r) => r.primary === true) ?? roles[0])?.value);
  }
  if (path.startsWith(`${ENTERPRISE_USER_SCHEMA}:`)) {
    const ext = resource[ENTERPRISE_USER_SCHEMA] as Json | undefined;
    return text(ext?.[path.slice(ENTERPRISE_USER_SCHEMA.length + 1)]);
  }
  const mv = multiValued.exec(path);
  if (mv) {
    const [, attribute, type, sub] = mv as unknown as [string, string, string, string];
    const list = Array.isArray(resource[attribute]) ? (resource[attribute] as Json[]) : [];
    return text(list.find((i) => i.type === type)?.[sub]);
  }
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return text(resource[head!]);
  const parent = resource[head!];
  return parent && typeof parent === 'object' ? text((parent as Json)[rest.join('.')]) : null;
}

/** E-19: what an account in the app holds, for the attributes autoprov sets (the inverse of toScimUser). */
export function fromScimUser(resource: Json, paths: Iterable<string>): AppAttributes {
  const attributes: AppAttributes = {};
  for (const path of paths) attributes[path] = pick(resource, path);
  return attributes;
}
