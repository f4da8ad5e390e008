import { Hono } from 'hono';
import { AppError, routes } from '@autoprov/contract';
import { checkGoogle, connectGoogle, directoryIsGoogle, directorySourceView, disconnectGoogle, previewGoogle } from '../directory-source/google-source.js';
import * as directory from '@autoprov/directory';
import { requireAdmin } from '../auth/middleware.js';
import { routesOn } from '../lib/route.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv, CurrentSession } from '../types.js';

const actorOf = (session: CurrentSession | null): directory.Actor => ({
  adminId: session?.admin.id ?? null,
  label: session?.admin.email ?? 'unknown',
});

export function directoryRoutes(deps: ServerDeps) {
  const { db, clock } = deps;
  const router = new Hono<AppEnv>()
    .use(requireAdmin)
    // Seed 003: with Google Workspace as the directory, people are changed in Google, not here.
    .use(async (c, next) => {
      if (c.req.method !== 'GET' && !c.req.path.startsWith('/api/directory/google') && await directoryIsGoogle(db)) {
        throw new AppError('conflict', 'The directory is read from Google Workspace: make this change in the Google Admin console.');
      }
      await next();
    });
  const on = routesOn(router, '/api/directory');

  on(routes.directorySource, async () => await directorySourceView(db));
  on(routes.checkGoogle, async (_c, { body }) => ({ ok: true as const, message: (await checkGoogle(deps, body)).message }));
  on(routes.previewGoogle, async (_c, { body }) => previewGoogle(deps, body));
  on(routes.connectGoogle, async (c, { body }) => connectGoogle(deps, body, actorOf(c.var.session)));
  on(routes.readGoogle, async () => {
    if (!await directoryIsGoogle(db)) throw new AppError('conflict', 'Google Workspace is not the directory.');
    await deps.googleSync.sync(true);
    return await directorySourceView(db);
  });
  on(routes.disconnectGoogle, async () => await disconnectGoogle(deps));
  on(routes.organisation, async () => {
    const org = await directory.getOrganisation(db);
    if (!org) throw new AppError('not_found', 'The organisation is not set up yet.');
    return org;
  });
  on(routes.orgUnits, async () => ({ items: await directory.listOrgUnits(db) }));
  on(routes.directoryChanges, async (_c, { query: { page, pageSize } }) => await directory.listChanges(db, page, pageSize));

  on(routes.listUsers, async (_c, { query }) => await directory.listUsers(db, query));
  on(routes.createUser, async (c, { body }) => await directory.createUser(db, clock, actorOf(c.var.session), body));
  on(routes.user, async (_c, { params }) => await directory.getUser(db, params.id));
  on(routes.updateUser, async (c, { params, body }) => await directory.updateUser(db, clock, actorOf(c.var.session), params.id, body));
  on(routes.suspendUser, async (c, { params }) => await directory.changeUserStatus(db, clock, actorOf(c.var.session), params.id, 'suspend'));
  on(routes.restoreUser, async (c, { params }) => await directory.changeUserStatus(db, clock, actorOf(c.var.session), params.id, 'restore'));
  on(routes.archiveUser, async (c, { params }) => await directory.changeUserStatus(db, clock, actorOf(c.var.session), params.id, 'archive'));
  on(routes.deleteUser, async (c, { params }) => {
    await directory.changeUserStatus(db, clock, actorOf(c.var.session), params.id, 'delete');
  });

  on(routes.listGroups, async (_c, { query }) => await directory.listGroups(db, query));
  on(routes.createGroup, async (c, { body }) => await directory.createGroup(db, clock, actorOf(c.var.session), body));
  on(routes.group, async (_c, { params }) => await directory.getGroup(db, params.id));
  on(routes.addGroupMember, async (c, { params, body }) => await directory.addGroupMember(db, clock, actorOf(c.var.session), params.id, body));
  on(routes.removeGroupMember, async (c, { params: { id, memberId } }) => await directory.removeGroupMember(db, clock, actorOf(c.var.session), id, memberId));
  return router;
}
