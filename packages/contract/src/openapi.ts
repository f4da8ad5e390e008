import { z } from 'zod';
import { errorBodySchema } from './errors.js';
import * as contract from './index.js';
import { pathParamNames, routes, type ApiRoute } from './routes.js';

/*
 * The OpenAPI 3.1 document of the API, generated from the route table and its zod schemas (zod's
 * own JSON Schema output, draft 2020-12, which is OpenAPI 3.1's dialect). Served at
 * /api/openapi.json; not imported by the console.
 */

type JsonSchema = Record<string, unknown>;

/** `appDetailSchema` → `AppDetail`: components are named after the contract's exports. */
function exportNames(): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries(contract)) {
    if (value instanceof z.ZodType && name.endsWith('Schema') && !names.has(value)) {
      names.set(value, name[0]!.toUpperCase() + name.slice(1, -'Schema'.length));
    }
  }
  return names;
}

const upperFirst = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Drops what belongs to a standalone JSON Schema document, not to a component. */
function component(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function schemasOf(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, unrepresentable: 'any', uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, component(s as JsonSchema)]));
}

/** A query schema's properties become query parameters (intersections are merged). */
function queryParameters(schema: z.ZodType) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const parts = (Array.isArray(json.allOf) ? json.allOf : [json]) as JsonSchema[];
  return parts.flatMap((part) => {
    const properties = (part.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((part.required ?? []) as string[]);
    return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: required.has(name), schema: s }));
  });
}

const errorResponse = { description: 'A refusal: `{ error: { code, message, fields? } }`', content: { 'application/json': { schema: ref('ErrorBody') } } };

export function openApiDocument(options: { serverUrl?: string } = {}) {
  const names = exportNames();
  const entries = Object.entries(routes) as [string, ApiRoute][];
  const nameOf = (schema: z.ZodType, fallback: string) => names.get(schema) ?? fallback;
  const responseNames = new Map<z.ZodType, string>([[errorBodySchema, 'ErrorBody']]);
  const bodyNames = new Map<z.ZodType, string>();
  for (const [operationId, r] of entries) {
    if (r.response instanceof z.ZodType && !responseNames.has(r.response)) responseNames.set(r.response, nameOf(r.response, `${upperFirst(operationId)}Response`));
    if (r.body && !bodyNames.has(r.body)) bodyNames.set(r.body, nameOf(r.body, `${upperFirst(operationId)}Body`));
  }
  // A schema used both ways (the security settings) may read differently as input.
  const taken = new Set(responseNames.values());
  for (const [schema, name] of bodyNames) if (taken.has(name)) bodyNames.set(schema, `${name}Input`);
  const registryOf = (named: Map<z.ZodType, string>) => {
    const registry = z.registry<{ id: string }>();
    for (const [schema, id] of named) registry.add(schema, { id });
    return registry;
  };
  const components = { ...schemasOf(registryOf(responseNames), 'output'), ...schemasOf(registryOf(bodyNames), 'input') };

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, r] of entries) {
    const openApiPath = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...pathParamNames(r.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 } })),
      ...(r.query ? queryParameters(r.query) : []),
    ];
    const status = String(r.status ?? (r.response === null ? 204 : r.response === 'redirect' ? 302 : 200));
    const success =
      r.response === null
        ? { description: 'Done' }
        : r.response === 'redirect'
          ? { description: 'A redirect into the console' }
          : r.response === 'csv'
            ? { description: 'A CSV file (RFC 4180, UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } }
            : { description: 'OK', content: { 'application/json': { schema: ref(responseNames.get(r.response)!) } } };
    paths[openApiPath] ??= {};
    paths[openApiPath][r.method.toLowerCase()] = {
      operationId,
      summary: r.summary,
      'x-autoprov-auth': r.auth,
      ...(r.auth === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: ref(bodyNames.get(r.body)!) } } } } : {}),
      responses: { [status]: success, default: errorResponse },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'autoprov',
      // The contract has no versions of its own yet: console and server ship together.
      version: '1',
      description:
        'The API the autoprov console uses. Every write needs the `X-CSRF-Token` header (the `csrfToken` of the session) and a JSON body; `x-autoprov-auth` says who may call each operation.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    components: {
      schemas: components,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'autoprov_session', description: 'The session cookie set by POST /api/session (`__Host-autoprov_session` when autoprov is served over https)' } },
    },
    security: [{ session: [] }],
    paths,
  };
}
