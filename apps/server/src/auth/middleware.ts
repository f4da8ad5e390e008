import type { MiddlewareHandler } from 'hono';
import { AppError, CSRF_HEADER } from '@autoprov/contract';
import type { AppEnv } from '../types.js';
import type { SessionStore } from './sessions.js';
import { sameToken } from './tokens.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Writes made before there is a session (sign-in, first-run setup, a reset link): checked by Origin only. */
const sessionlessWrites = new Set(['POST /api/session', 'POST /api/setup', 'POST /api/password-reset']);
/** Writes every signed-in admin may make, whatever the role: signing out and their own account. */
const anyAdminWrites = new Set([
  'DELETE /api/session',
  'POST /api/account/password',
  'POST /api/account/two-factor/setup',
  'POST /api/account/two-factor/confirm',
  'POST /api/account/two-factor/disable',
]);

export function loadSession(store: SessionStore): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('session', await store.load(c));
    await next();
  };
}

/**
 * CSRF (S-3): a cross-site write is refused by its Origin / Sec-Fetch-Site; a signed-in write
 * must also echo the session's CSRF token, which a cross-site page cannot read.
 */
export function csrfProtection(publicUrl: string): MiddlewareHandler<AppEnv> {
  const allowedOrigin = new URL(publicUrl).origin;
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    // The allowed Origin is the public address, never one derived from the request's Host (S-6).
    const origin = c.req.header('origin');
    if (origin && origin !== allowedOrigin) {
      throw new AppError('csrf_failed', 'This request came from another site and was refused.');
    }
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      throw new AppError('csrf_failed', 'This request came from another site and was refused.');
    }
    const session = c.var.session;
    if (session && !sessionlessWrites.has(`${c.req.method} ${c.req.path}`)) {
      const sent = c.req.header(CSRF_HEADER);
      if (!sent || !sameToken(sent, session.csrfToken)) {
        throw new AppError('csrf_failed', 'The request is missing its security token. Reload the page and try again.');
      }
    }
    return next();
  };
}

/**
 * Fails closed (S-1): every write needs a super-admin, except the few listed above. A new
 * route is protected without anyone remembering to protect it.
 */
export function writePolicy(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (safeMethods.has(c.req.method)) return next();
    const key = `${c.req.method} ${c.req.path}`;
    if (sessionlessWrites.has(key)) return next();
    const session = c.var.session;
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    if (anyAdminWrites.has(key)) return next();
    if (session.admin.role !== 'super_admin') {
      throw new AppError('forbidden', 'Only a super-admin can make changes.');
    }
    return next();
  };
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.var.session) throw new AppError('unauthenticated', 'Sign in to continue.');
  await next();
};

/**
 * When a super-admin requires two-factor sign-in, an admin without it can only set it up (or
 * sign out): their session opens nothing else until they do.
 */
export const twoFactorSetupGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = c.var.session;
  const allowed = c.req.path === '/api/session' || c.req.path.startsWith('/api/account/');
  if (session?.twoFactor.setupRequired && !allowed) {
    throw new AppError('second_factor_setup_required', 'Set up two-factor sign-in to continue: a super-admin requires it for every admin.');
  }
  await next();
};
