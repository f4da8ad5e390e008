import { Hono } from 'hono';
import { routes } from '@autoprov/contract';
import { routesOn } from '../lib/route.js';
import type { ServerDeps } from '../deps.js';
import { completeAuthorization } from '../provisioning/authorization.js';
import type { AppEnv } from '../types.js';

/**
 * W-2: where the app's authorization page sends the admin back. A plain browser navigation, so
 * it answers with redirects into the console rather than JSON.
 */
export function oauthRoutes(deps: ServerDeps) {
  const router = new Hono<AppEnv>();
  routesOn(router, '/api/oauth')(routes.oauthCallback, async (c) => {
    const session = c.var.session;
    if (!session) return c.redirect('/sign-in');
    if (session.admin.role !== 'super_admin') return c.redirect('/apps?authorization_error=' + encodeURIComponent('Only a super-admin can authorize an app.'));
    const outcome = await completeAuthorization(deps, new URL(c.req.url), { id: session.admin.id, label: session.admin.email });
    if (!outcome.appKey) return c.redirect(`/apps?authorization_error=${encodeURIComponent(outcome.ok ? '' : outcome.message)}`);
    const base = `/apps/${encodeURIComponent(outcome.appKey)}`;
    if (outcome.ok) return c.redirect(outcome.setupComplete ? `${base}?authorized=1` : `${base}/setup/endpoint?authorized=1`);
    return c.redirect(`${base}/setup/authorize?authorization_error=${encodeURIComponent(outcome.message)}`);
  });
  return router;
}
