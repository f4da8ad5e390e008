import { and, eq, gt, lt, ne } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ACTIVITY_HEADER } from '@autoprov/contract';
import { admins, sessions, type AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { AppEnv, CurrentSession } from '../types.js';
import { readSecuritySettings } from './security-settings.js';
import { newToken, sha256 } from './tokens.js';

const lifetimeMs = 12 * 60 * 60 * 1000;
/** Activity is written at most this often: a burst of requests is one action. */
const activityResolutionMs = 10_000;

export interface SessionStore {
  create(c: Context<AppEnv>, adminId: string): CurrentSession;
  load(c: Context<AppEnv>): CurrentSession | null;
  destroy(c: Context<AppEnv>): void;
  /** Ends every session of this admin but `keepId` (after a password change). */
  destroyOthers(adminId: string, keepId: string | null): void;
}

export interface SessionOptions {
  secureCookies: boolean;
  /** A session nobody used for this long ends (S-3); counted from the admin's own actions. */
  idleTimeoutMs: number;
}

/**
 * What counts as the admin's own action: any write, and reads the console marks with
 * ACTIVITY_HEADER (its API client does so only within seconds of a click, a key press or a page
 * load). Background polling — run progress, live counts — carries no mark, so an unattended
 * console still times out. Marking activity rather than polling fails safe: a new poller
 * added later needs no care to leave the timeout alone.
 */
const isAdminAction = (c: Context) => !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) || c.req.header(ACTIVITY_HEADER) !== undefined;

export function sessionStore(db: AppDatabase, clock: Clock, options: SessionOptions): SessionStore {
  // `__Host-` pins the cookie to this origin and path, and needs Secure.
  const cookieName = options.secureCookies ? '__Host-autoprov_session' : 'autoprov_session';
  const cookieOptions = { httpOnly: true, sameSite: 'Lax', secure: options.secureCookies, path: '/' } as const;

  function current(id: string, csrfToken: string, admin: typeof admins.$inferSelect): CurrentSession {
    const enabled = admin.totpSecret != null;
    return {
      id,
      csrfToken,
      admin: { id: admin.id, email: admin.email, name: admin.name, role: admin.role },
      twoFactor: { enabled, setupRequired: !enabled && readSecuritySettings(db).requireTwoFactor },
    };
  }

  return {
    create(c, adminId) {
      const token = newToken();
      const now = clock.now();
      const csrfToken = newToken();
      db.delete(sessions).where(lt(sessions.expiresAt, now)).run();
      db.insert(sessions)
        .values({
          id: sha256(token),
          adminId,
          csrfToken,
          createdAt: now,
          expiresAt: new Date(now.getTime() + lifetimeMs),
          lastActiveAt: now,
          userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        })
        .run();
      setCookie(c, cookieName, token, { ...cookieOptions, maxAge: lifetimeMs / 1000 });
      const admin = db.select().from(admins).where(eq(admins.id, adminId)).get()!;
      return current(sha256(token), csrfToken, admin);
    },

    load(c) {
      const token = getCookie(c, cookieName);
      if (!token) return null;
      const now = clock.now();
      const row = db
        .select({ session: sessions, admin: admins })
        .from(sessions)
        .innerJoin(admins, eq(admins.id, sessions.adminId))
        .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, now)))
        .get();
      if (!row) return null;
      const idleMs = now.getTime() - row.session.lastActiveAt.getTime();
      if (idleMs > options.idleTimeoutMs) {
        db.delete(sessions).where(eq(sessions.id, row.session.id)).run();
        deleteCookie(c, cookieName, cookieOptions);
        return null;
      }
      if (isAdminAction(c) && idleMs > activityResolutionMs) {
        db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, row.session.id)).run();
      }
      return current(row.session.id, row.session.csrfToken, row.admin);
    },

    destroy(c) {
      const token = getCookie(c, cookieName);
      if (token) db.delete(sessions).where(eq(sessions.id, sha256(token))).run();
      deleteCookie(c, cookieName, cookieOptions);
    },

    destroyOthers(adminId, keepId) {
      db.delete(sessions)
        .where(keepId ? and(eq(sessions.adminId, adminId), ne(sessions.id, keepId)) : eq(sessions.adminId, adminId))
        .run();
    },
  };
}
