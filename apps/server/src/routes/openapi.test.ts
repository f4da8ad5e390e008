import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { testServer } from '../test/harness.js';

type Operation = { operationId: string; parameters?: { name: string; in: string }[]; requestBody?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

/** The routes registered in the Hono app, whatever registered them, that the document does not list. */
function undocumented(app: { routes: { method: string; path: string }[] }, doc: Document) {
  const documented = new Set(Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
  return app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'))
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`)
    .filter((route) => !documented.has(route));
}

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document listing every /api route the server answers', async () => {
    const server = await testServer();
    const admin = await server.signedIn('read_only');
    const res = await admin.get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.json as Document;

    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // Every $ref points at a component that is there.
    expect(() => validator.resolveRefs()).not.toThrow();

    // Every route the app answers is in the document, and the document lists nothing else.
    const registered = server.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/'));
    const operations = Object.values(doc.paths).flatMap((byMethod) => Object.keys(byMethod));
    expect(registered.length).toBeGreaterThanOrEqual(58);
    expect(undocumented(server.app, doc)).toEqual([]);
    expect(operations.length).toBe(registered.length);
    // A route added outside the contract's table is caught.
    const another = await testServer();
    another.app.get('/api/stray', (c) => c.text('not in the table'));
    expect(undocumented(another.app, doc)).toEqual(['GET /api/stray']);

    // The shapes come from the contract's schemas, not from a hand-kept copy.
    const createUser = doc.paths['/api/directory/users']!.post!;
    expect(createUser.requestBody).toEqual({ required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/UserInput' } } } });
    expect(doc.paths['/api/apps/{key}/configuration/runs/{runId}/report']!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      expect.arrayContaining(['path:key', 'path:runId', 'query:result', 'query:cursor', 'query:pageSize']),
    );
  });

  it('is behind the sign-in like every other route (S-1)', async () => {
    const server = await testServer();
    expect((await server.client().get('/api/openapi.json')).status).toBe(401);
  });
});
