import { Hono } from 'hono';
import { z } from 'zod';
import {
  addGroupMemberSchema,
  AppError,
  groupInputSchema,
  groupListQuerySchema,
  idSchema,
  pageQuerySchema,
  userInputSchema,
  userListQuerySchema,
  userUpdateSchema,
  googleConnectInputSchema,
} from '@autoprov/contract';
import { checkGoogle, connectGoogle, directoryIsGoogle, directorySourceView, disconnectGoogle, previewGoogle } from '../directory-source/google-source.js';
import * as directory from '@autoprov/directory';
import { requireAdmin } from '../auth/middleware.js';
import { validate } from '../lib/validate.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv, CurrentSession } from '../types.js';

const idParam = validate('param', z.object({ id: idSchema }));
const memberParam = validate('param', z.object({ id: idSchema, memberId: idSchema }));

const actorOf = (session: CurrentSession | null): directory.Actor => ({
  adminId: session?.admin.id ?? null,
  label: session?.admin.email ?? 'unknown',
});

export function directoryRoutes(deps: ServerDeps) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .use(requireAdmin)
    // Seed 003: with Google Workspace as the directory, people are changed in Google, not here.
    .use(async (c, next) => {
      if (c.req.method !== 'GET' && !c.req.path.startsWith('/api/directory/google') && directoryIsGoogle(db)) {
        throw new AppError('conflict', 'The directory is read from Google Workspace: make this change in the Google Admin console.');
      }
      await next();
    })
    .get('/source', (c) => c.json(directorySourceView(db)))
    .post('/google/check', validate('json', googleConnectInputSchema), async (c) => c.json({ ok: true as const, message: (await checkGoogle(deps, c.req.valid('json'))).message }))
    .post('/google/preview', validate('json', googleConnectInputSchema), async (c) => c.json(await previewGoogle(deps, c.req.valid('json'))))
    .post('/google/connect', validate('json', googleConnectInputSchema), async (c) => c.json(await connectGoogle(deps, c.req.valid('json'), actorOf(c.var.session))))
    .post('/google/read', async (c) => {
      if (!directoryIsGoogle(db)) throw new AppError('conflict', 'Google Workspace is not the directory.');
      await deps.googleSync.sync(true);
      return c.json(directorySourceView(db));
    })
    .delete('/google', (c) => c.json(disconnectGoogle(deps)))
    .get('/organisation', (c) => {
      const org = directory.getOrganisation(db);
      if (!org) throw new AppError('not_found', 'The organisation is not set up yet.');
      return c.json(org);
    })
    .get('/org-units', (c) => c.json({ items: directory.listOrgUnits(db) }))
    .get('/changes', validate('query', pageQuerySchema), (c) => {
      const { page, pageSize } = c.req.valid('query');
      return c.json(directory.listChanges(db, page, pageSize));
    })

    .get('/users', validate('query', userListQuerySchema), (c) => c.json(directory.listUsers(db, c.req.valid('query'))))
    .post('/users', validate('json', userInputSchema), (c) =>
      c.json(directory.createUser(db, clock, actorOf(c.var.session), c.req.valid('json')), 201),
    )
    .get('/users/:id', idParam, (c) => c.json(directory.getUser(db, c.req.valid('param').id)))
    .patch('/users/:id', idParam, validate('json', userUpdateSchema), (c) =>
      c.json(directory.updateUser(db, clock, actorOf(c.var.session), c.req.valid('param').id, c.req.valid('json'))),
    )
    .post('/users/:id/suspend', idParam, (c) =>
      c.json(directory.changeUserStatus(db, clock, actorOf(c.var.session), c.req.valid('param').id, 'suspend')),
    )
    .post('/users/:id/restore', idParam, (c) =>
      c.json(directory.changeUserStatus(db, clock, actorOf(c.var.session), c.req.valid('param').id, 'restore')),
    )
    .post('/users/:id/archive', idParam, (c) =>
      c.json(directory.changeUserStatus(db, clock, actorOf(c.var.session), c.req.valid('param').id, 'archive')),
    )
    .delete('/users/:id', idParam, (c) => {
      directory.changeUserStatus(db, clock, actorOf(c.var.session), c.req.valid('param').id, 'delete');
      return c.body(null, 204);
    })

    .get('/groups', validate('query', groupListQuerySchema), (c) => c.json(directory.listGroups(db, c.req.valid('query'))))
    .post('/groups', validate('json', groupInputSchema), (c) =>
      c.json(directory.createGroup(db, clock, actorOf(c.var.session), c.req.valid('json')), 201),
    )
    .get('/groups/:id', idParam, (c) => c.json(directory.getGroup(db, c.req.valid('param').id)))
    .post('/groups/:id/members', idParam, validate('json', addGroupMemberSchema), (c) =>
      c.json(directory.addGroupMember(db, clock, actorOf(c.var.session), c.req.valid('param').id, c.req.valid('json')), 201),
    )
    .delete('/groups/:id/members/:memberId', memberParam, (c) => {
      const { id, memberId } = c.req.valid('param');
      return c.json(directory.removeGroupMember(db, clock, actorOf(c.var.session), id, memberId));
    });
}
