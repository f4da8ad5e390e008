import type { Filter } from 'scim2-parse-filter';
import { attributeAt, resolvePath, type AttributeDef, type ResourceSchemas } from './scim-schema.js';

type Json = Record<string, unknown>;

/** The value at a resource's key, its name compared without case (RFC 7643 §2.1). */
const valueOf = (r: unknown, name: string): unknown => {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
  const key = Object.keys(r).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (r as Json)[key];
};

/** Every value at a path; multi-valued attributes on the way fan out. */
function valuesAt(resource: Json, schemas: ResourceSchemas, path: string): unknown[] {
  const resolved = resolvePath(schemas, path);
  if (!resolved) return [];
  let current: unknown[] = [resolved.schema === schemas.core ? resource : valueOf(resource, resolved.schema.id)];
  for (const name of resolved.names) {
    current = current.flatMap((v) => (Array.isArray(v) ? v : [v])).map((v) => valueOf(v, name));
  }
  return current.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
}

type Compare = Extract<Filter, { compValue: unknown }>;

function compare(def: AttributeDef | undefined, op: Compare['op'], actual: unknown, wanted: Compare['compValue']): boolean {
  let a = actual;
  let w = wanted;
  if (def?.type === 'dateTime' && typeof a === 'string' && typeof w === 'string') {
    a = Date.parse(a);
    w = Date.parse(w);
  } else if (typeof a === 'string' && typeof w === 'string' && !(def?.caseExact ?? true)) {
    // RFC 7644 §3.4.2.2: attributes with caseExact=false compare without case.
    a = a.toLowerCase();
    w = w.toLowerCase();
  }
  switch (op) {
    case 'eq':
      return a === w;
    case 'ne':
      return a !== w;
    case 'co':
      return typeof a === 'string' && typeof w === 'string' && a.includes(w);
    case 'sw':
      return typeof a === 'string' && typeof w === 'string' && a.startsWith(w);
    case 'ew':
      return typeof a === 'string' && typeof w === 'string' && a.endsWith(w);
    case 'gt':
      return w !== null && typeof a === typeof w && (a as number) > (w as number);
    case 'ge':
      return w !== null && typeof a === typeof w && (a as number) >= (w as number);
    case 'lt':
      return w !== null && typeof a === typeof w && (a as number) < (w as number);
    case 'le':
      return w !== null && typeof a === typeof w && (a as number) <= (w as number);
  }
}

/**
 * A filter (RFC 7644 §3.4.2.2) as a test of one resource, reading each attribute's `caseExact`
 * and type from the schemas. `within` is the attribute a `[…]` value filter looks into.
 */
export function matches(filter: Filter, resource: Json, schemas: ResourceSchemas, within = ''): boolean {
  const full = (attrPath: string) => (within ? `${within}.${attrPath}` : attrPath);
  switch (filter.op) {
    case 'and':
      return filter.filters.every((f) => matches(f, resource, schemas, within));
    case 'or':
      return filter.filters.some((f) => matches(f, resource, schemas, within));
    case 'not':
      return !matches(filter.filter, resource, schemas, within);
    case '[]':
      // emails[type eq "work" and value co "@example.com"]: one item must satisfy it all.
      return valuesAt(resource, schemas, full(filter.attrPath)).some(
        (item) => !!item && typeof item === 'object' && matchesWithin(filter.valFilter, item as Json, schemas, full(filter.attrPath)),
      );
    case 'pr':
      return valuesAt(resource, schemas, full(filter.attrPath)).some((v) => v !== '' && !(typeof v === 'object' && Object.keys(v as Json).length === 0));
    default: {
      let path = full(filter.attrPath);
      let def = attributeAt(schemas, path);
      // `emails eq "…"` means the `value` of a multi-valued complex attribute (RFC 7644 §3.4.2.2).
      if (def?.type === 'complex' && def.subAttributes?.some((s) => s.name === 'value')) {
        path = `${path}.value`;
        def = attributeAt(schemas, path);
      }
      return valuesAt(resource, schemas, path).some((v) => compare(def, filter.op, v, filter.compValue));
    }
  }
}

/** A value filter tested on one item of a multi-valued attribute. */
function matchesWithin(filter: Filter, item: Json, schemas: ResourceSchemas, within: string): boolean {
  // Paths inside the brackets are relative to the item; resolve them against a one-item resource.
  const resolved = resolvePath(schemas, within)!;
  const wrap = (value: Json): Json => {
    const inner = resolved.names.reduceRight<unknown>((acc, name) => ({ [name]: acc }), value) as Json;
    return resolved.schema === schemas.core ? inner : { [resolved.schema.id]: inner };
  };
  return matches(filter, wrap(item), schemas, within);
}

/** A comma-separated `attributes` or `excludedAttributes` value as resolved attribute paths. */
export function attributeList(value: string | undefined, schemas: ResourceSchemas): { schemaId: string; names: string[] }[] | null {
  if (value === undefined || !value.trim()) return null;
  return value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => resolvePath(schemas, p))
    .filter((r) => r !== null)
    .map((r) => ({ schemaId: r.schema.id, names: r.names.map((n) => n.toLowerCase()) }));
}

type Selection = { schemaId: string; names: string[] }[];

/**
 * RFC 7644 §3.4.2.5 / §3.9: a resource as the client asked to see it. `attributes` keeps only the
 * listed ones; `excludedAttributes` drops them; either way `id`, `schemas` and every
 * `returned: always` attribute stay, and `returned: never` ones never show.
 */
export function project(resource: Json, schemas: ResourceSchemas, wanted: { attributes: Selection | null; excluded: Selection | null }): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      out[key] = value;
      continue;
    }
    const extension = schemas.extensions.find((s) => s.id.toLowerCase() === key.toLowerCase());
    if (extension) {
      const inner = pick(value as Json, extension.attributes, extension.id, [], wanted, schemas);
      if (Object.keys(inner).length > 0) out[key] = inner;
      continue;
    }
    Object.assign(out, pick({ [key]: value }, schemas.core.attributes, schemas.core.id, [], wanted, schemas));
  }
  return out;
}

function pick(object: Json, defs: AttributeDef[], schemaId: string, parents: string[], wanted: { attributes: Selection | null; excluded: Selection | null }, schemas: ResourceSchemas): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    const names = [...parents, key.toLowerCase()];
    const def =
      defs.find((d) => d.name.toLowerCase() === key.toLowerCase()) ?? (parents.length === 0 && schemaId === schemas.core.id ? attributeAt(schemas, key) : undefined);
    if (def?.returned === 'never') continue;
    if (def?.returned === 'always') {
      out[key] = value;
      continue;
    }
    const same = (s: { schemaId: string; names: string[] }) => s.schemaId === schemaId;
    const listed = (list: Selection) => list.some((s) => same(s) && s.names.length <= names.length && s.names.every((n, i) => n === names[i]));
    const below = (list: Selection) => list.some((s) => same(s) && s.names.length > names.length && names.every((n, i) => n === s.names[i]));
    if (wanted.attributes) {
      if (listed(wanted.attributes)) out[key] = value;
      else if (below(wanted.attributes) && def?.type === 'complex') out[key] = subPick(value, def, schemaId, names, wanted, schemas);
      continue;
    }
    if (def?.returned === 'request') continue;
    if (wanted.excluded && listed(wanted.excluded)) continue;
    out[key] = wanted.excluded && below(wanted.excluded) && def?.type === 'complex' ? subPick(value, def, schemaId, names, wanted, schemas) : value;
  }
  return out;
}

function subPick(value: unknown, def: AttributeDef, schemaId: string, names: string[], wanted: { attributes: Selection | null; excluded: Selection | null }, schemas: ResourceSchemas) {
  const one = (v: unknown) => (v && typeof v === 'object' ? pick(v as Json, def.subAttributes ?? [], schemaId, names, wanted, schemas) : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}
