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
  create(c: Context<AppEnv>, adminId: string): Promise<CurrentSession>;
  load(c: Context<AppEnv>): Promise<CurrentSession | null>;
  destroy(c: Context<AppEnv>): Promise<void>;
  /** Ends every session of this admin but `keepId` (after a password change). */
  destroyOthers(adminId: string, keepId: string | null): Promise<void>;
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

  async function current(id: string, csrfToken: string, admin: typeof admins.$inferSelect): Promise<CurrentSession> {
    const enabled = admin.totpSecret != null;
    return {
      id,
      csrfToken,
      admin: { id: admin.id, email: admin.email, name: admin.name, role: admin.role },
      twoFactor: { enabled, setupRequired: !enabled && (await readSecuritySettings(db)).requireTwoFactor },
    };
  }

  return {
    async create(c, adminId) {
      const token = newToken();
      const now = clock.now();
      const csrfToken = newToken();
      await db.delete(sessions).where(lt(sessions.expiresAt, now));
      await db.insert(sessions)
        .values({
          id: sha256(token),
          adminId,
          csrfToken,
          createdAt: now,
          expiresAt: new Date(now.getTime() + lifetimeMs),
          lastActiveAt: now,
          userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        });
      setCookie(c, cookieName, token, { ...cookieOptions, maxAge: lifetimeMs / 1000 });
      const admin = (await db.select().from(admins).where(eq(admins.id, adminId)).limit(1))[0]!;
      return await current(sha256(token), csrfToken, admin);
    },

    async load(c) {
      const token = getCookie(c, cookieName);
      if (!token) return null;
      const now = clock.now();
      const row = (await db
        .select({ session: sessions, admin: admins })
        .from(sessions)
        .innerJoin(admins, eq(admins.id, sessions.adminId))
        .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, now))).limit(1))[0];
      if (!row) return null;
      const idleMs = now.getTime() - row.session.lastActiveAt.getTime();
      if (idleMs > options.idleTimeoutMs) {
        await db.delete(sessions).where(eq(sessions.id, row.session.id));
        deleteCookie(c, cookieName, cookieOptions);
        return null;
      }
      if (isAdminAction(c) && idleMs > activityResolutionMs) {
        await db.update(sessions).set({ lastActiveAt: now }).where(eq(sessions.id, row.session.id));
      }
      return await current(row.session.id, row.session.csrfToken, row.admin);
    },

    async destroy(c) {
      const token = getCookie(c, cookieName);
      if (token) await db.delete(sessions).where(eq(sessions.id, sha256(token)));
      deleteCookie(c, cookieName, cookieOptions);
    },

    async destroyOthers(adminId, keepId) {
      await db.delete(sessions)
        .where(keepId ? and(eq(sessions.adminId, adminId), ne(sessions.id, keepId)) : eq(sessions.adminId, adminId));
    },
  };
}
