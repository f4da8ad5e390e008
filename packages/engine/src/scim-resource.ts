import { ACCESS_LEVEL, type AppAttributes } from './model.js';

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

/** E-4: a PATCH carrying exactly the changed attributes; an emptied one is removed. */
export function toPatchOperations(changed: AppAttributes): PatchOperation[] {
  return Object.entries(changed).map(([path, value]): PatchOperation => {
    if (path === ACCESS_LEVEL) {
      return value ? { op: 'replace', path: 'roles', value: [{ value, primary: true }] } : { op: 'remove', path: 'roles' };
    }
    return value == null || value === '' ? { op: 'remove', path } : { op: 'replace', path, value };
  });
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
