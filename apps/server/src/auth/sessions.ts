import { and, eq, gt, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { admins, sessions, type AppDatabase } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { AppEnv, CurrentSession } from '../types.js';
import { newToken, sha256 } from './tokens.js';

const lifetimeMs = 12 * 60 * 60 * 1000;

export interface SessionStore {
  create(c: Context<AppEnv>, adminId: string): CurrentSession;
  load(c: Context<AppEnv>): CurrentSession | null;
  destroy(c: Context<AppEnv>): void;
}

export function sessionStore(db: AppDatabase, clock: Clock, secureCookies: boolean): SessionStore {
  // `__Host-` pins the cookie to this origin and path, and needs Secure.
  const cookieName = secureCookies ? '__Host-autoprov_session' : 'autoprov_session';
  const cookieOptions = { httpOnly: true, sameSite: 'Lax', secure: secureCookies, path: '/' } as const;

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
          userAgent: c.req.header('user-agent')?.slice(0, 300) ?? null,
        })
        .run();
      setCookie(c, cookieName, token, { ...cookieOptions, maxAge: lifetimeMs / 1000 });
      const admin = db.select().from(admins).where(eq(admins.id, adminId)).get()!;
      return { id: sha256(token), csrfToken, admin: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } };
    },

    load(c) {
      const token = getCookie(c, cookieName);
      if (!token) return null;
      const row = db
        .select({ session: sessions, admin: admins })
        .from(sessions)
        .innerJoin(admins, eq(admins.id, sessions.adminId))
        .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, clock.now())))
        .get();
      if (!row) return null;
      const { admin } = row;
      return {
        id: row.session.id,
        csrfToken: row.session.csrfToken,
        admin: { id: admin.id, email: admin.email, name: admin.name, role: admin.role },
      };
    },

    destroy(c) {
      const token = getCookie(c, cookieName);
      if (token) db.delete(sessions).where(eq(sessions.id, sha256(token))).run();
      deleteCookie(c, cookieName, cookieOptions);
    },
  };
}
