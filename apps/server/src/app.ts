import { Hono } from 'hono';
import { routes } from '@autoprov/contract';
import { openApiDocument } from '@autoprov/contract/openapi';
import { secureHeaders } from 'hono/secure-headers';
import { csrfProtection, loadSession, requireAdmin, twoFactorSetupGate, writePolicy } from './auth/middleware.js';
import type { ServerDeps } from './deps.js';
import { consoleAssets } from './lib/console-assets.js';
import { bodyLimits, expectedHost, jsonWritesOnly } from './lib/edge.js';
import { onError, onNotFound } from './lib/errors.js';
import { requestLog } from './lib/request-log.js';
import { routesOn } from './lib/route.js';
import { accountRoutes } from './routes/account.routes.js';
import { adminsRoutes } from './routes/admins.routes.js';
import { alertsRoutes } from './routes/alerts.routes.js';
import { appsRoutes } from './routes/apps.routes.js';
import { oauthRoutes } from './routes/oauth.routes.js';
import { reportsRoutes } from './routes/reports.routes.js';
import { authRoutes } from './routes/auth.routes.js';
import { directoryRoutes } from './routes/directory.routes.js';
import { operationsRoutes, type OperationsOptions } from './operations/routes.js';
import type { AppEnv } from './types.js';

export function createApi(deps: ServerDeps) {
  const api = new Hono<AppEnv>()
    .use(loadSession(deps.sessions))
    .use(csrfProtection(deps.publicUrl))
    .use(writePolicy())
    .use(twoFactorSetupGate);
  const on = routesOn(api, '/api');
  on(routes.health, () => ({ status: 'ok' as const }));
  // Generated once: the route table does not change while autoprov runs.
  const document = openApiDocument({ serverUrl: deps.publicUrl });
  // Like every other route, behind the sign-in (S-1).
  api.use('/openapi.json', requireAdmin);
  on(routes.openApi, () => document);
  api
    .route('/', authRoutes(deps))
    .route('/account', accountRoutes(deps))
    .route('/admins', adminsRoutes(deps))
    .route('/directory', directoryRoutes(deps))
    .route('/apps', appsRoutes(deps))
    .route('/oauth', oauthRoutes(deps))
    .route('/reports', reportsRoutes(deps))
    .route('/alerts', alertsRoutes(deps));
  return api;
}

export function createApp(deps: ServerDeps, options: { consoleDir?: string; operations?: OperationsOptions } = {}) {
  const app = new Hono<AppEnv>();
  // Health, readiness and metrics first: probes come every few seconds, at the machine's own
  // address (not the public one), and are not worth a log line each.
  if (options.operations) app.route('/', operationsRoutes(options.operations));
  app.use(requestLog(deps.logger));
  app.use(
    secureHeaders({
      // HSTS means something only over https; sent over http it would pin nothing (and mislead).
      strictTransportSecurity: deps.publicUrl.startsWith('https:') ? 'max-age=15552000; includeSubDomains' : false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );
  // S-6: before any route, session or body parsing.
  app.use(expectedHost(deps.publicUrl), bodyLimits());
  app.use('/api/*', jsonWritesOnly());
  app.route('/api', createApi(deps));
  // Hono only consults the top app's notFound; an unknown API path must not fall to the SPA.
  app.all('/api/*', onNotFound);
  app.onError(onError);
  if (options.consoleDir) app.route('/', consoleAssets(options.consoleDir));
  return app;
}
