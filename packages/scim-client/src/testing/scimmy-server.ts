import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

type Stored = Record<string, unknown> & { id: string };
// SCIMMY's typings want a typed schema object back; this store holds plain JSON.
type Loose = never;
const noScimType = null as unknown as string;

/**
 * An independent SCIM 2.0 server for interop tests: SCIMMY (which nobody here wrote) over an
 * in-memory store, on 127.0.0.1. SCIMMY's declarations are global, so one runs per process.
 */
export async function startScimmyServer(options: { token?: string } = {}) {
  const users = new Map<string, Stored>();
  const groups = new Map<string, Stored>();
  let token = options.token ?? 'interop-token';
  let nextId = 1;
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const clash = (store: Map<string, Stored>, key: string, value: unknown, exceptId?: string) =>
    [...store.values()].some((r) => r.id !== exceptId && String(r[key]).toLowerCase() === String(value).toLowerCase());

  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .ingress((resource, instance) => {
      const data = plain(instance);
      if (clash(users, 'userName', data.userName, resource.id)) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${String(data.userName)} is taken`);
      const id = resource.id ?? `user-${nextId++}`;
      if (resource.id && !users.has(id)) throw new SCIMMY.Types.Error(404, noScimType, `Resource ${id} not found`);
      const stored = { ...data, id, meta: { created: new Date().toISOString(), lastModified: new Date().toISOString() } } as Stored;
      users.set(id, stored);
      return stored as Loose;
    })
    .egress((resource) => {
      if (resource.id) {
        const found = users.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, noScimType, `Resource ${resource.id} not found`);
        return found as Loose;
      }
      const all = [...users.values()];
      return (resource.filter ? resource.filter.match(all) : all) as Loose;
    })
    .degress((resource) => {
      if (!resource.id || !users.delete(resource.id)) throw new SCIMMY.Types.Error(404, noScimType, `Resource ${resource.id} not found`);
    });

  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, instance) => {
      const data = plain(instance);
      const id = resource.id ?? `group-${nextId++}`;
      const stored = { ...data, id } as Stored;
      groups.set(id, stored);
      return stored as Loose;
    })
    .egress((resource) => {
      if (resource.id) {
        const found = groups.get(resource.id);
        if (!found) throw new SCIMMY.Types.Error(404, noScimType, `Resource ${resource.id} not found`);
        return found as Loose;
      }
      const all = [...groups.values()];
      return (resource.filter ? resource.filter.match(all) : all) as Loose;
    })
    .degress((resource) => {
      if (!resource.id || !groups.delete(resource.id)) throw new SCIMMY.Types.Error(404, noScimType, `Resource ${resource.id} not found`);
    });

  const app = express();
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: 'bearer',
      handler: (request) => {
        if (request.header('Authorization') !== `Bearer ${token}`) throw new Error('Unknown bearer token');
        return 'autoprov';
      },
    }) as unknown as express.Router,
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/scim/v2`,
    users,
    groups,
    /** Changes the token the server accepts: the old one is refused from now on. */
    rotateToken(next: string) {
      token = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
