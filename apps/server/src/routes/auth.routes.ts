import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AppError, setupInputSchema, signInInputSchema, type Session } from '@autoprov/contract';
import { admins } from '@autoprov/db';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { failedAttemptLimiter } from '../auth/rate-limit.js';
import { validate } from '../lib/validate.js';
import type { AppEnv } from '../types.js';
import type { ServerDeps } from '../deps.js';

function clientAddress(c: Parameters<typeof getConnInfo>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function authRoutes({ db, clock, sessions, setupToken }: ServerDeps) {
  const signIns = failedAttemptLimiter('sign-in');
  const setups = failedAttemptLimiter('setup', 10, 10);
  const adminCount = () => db.select({ n: sql<number>`count(*)` }).from(admins).get()?.n ?? 0;

  return new Hono<AppEnv>()
    .get('/setup', (c) => c.json({ needsSetup: adminCount() === 0 }))

    .post('/setup', validate('json', setupInputSchema), async (c) => {
      const input = c.req.valid('json');
      const client = clientAddress(c);
      if (adminCount() > 0) throw new AppError('setup_closed', 'autoprov is already set up. Sign in instead.');
      const wait = await setups.blockedFor('setup', client);
      if (wait != null) {
        c.header('Retry-After', String(wait));
        throw new AppError('rate_limited', `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`);
      }
      if (!setupToken.matches(input.token)) {
        await setups.failed('setup', client);
        throw new AppError('forbidden', 'This setup link is not valid. Open the link printed when autoprov started.', {
          token: 'This setup link is not valid.',
        });
      }
      const id = randomUUID();
      const passwordHash = await hashPassword(input.password);
      const created = db.transaction((tx) => {
        // Checked again inside the transaction: two tabs racing must not make two super-admins.
        if ((tx.select({ n: sql<number>`count(*)` }).from(admins).get()?.n ?? 0) > 0) return false;
        tx.insert(admins)
          .values({ id, email: input.email.toLowerCase(), name: input.name, role: 'super_admin', passwordHash, createdAt: clock.now() })
          .run();
        return true;
      });
      if (!created) throw new AppError('setup_closed', 'autoprov is already set up. Sign in instead.');
      setupToken.consume();
      c.var.logger.info({ adminId: id }, 'first super-admin created');
      const session = sessions.create(c, id);
      return c.json({ admin: session.admin, csrfToken: session.csrfToken } satisfies Session, 201);
    })

    .get('/session', (c) => {
      const session = c.var.session;
      if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
      return c.json({ admin: session.admin, csrfToken: session.csrfToken } satisfies Session);
    })

    .post('/session', validate('json', signInInputSchema), async (c) => {
      const { email, password } = c.req.valid('json');
      const client = clientAddress(c);
      const wait = await signIns.blockedFor(email, client);
      if (wait != null) {
        c.header('Retry-After', String(wait));
        throw new AppError('rate_limited', `Too many failed sign-in attempts. Try again in ${Math.ceil(wait / 60)} minute(s).`);
      }
      const admin = db.select().from(admins).where(eq(admins.email, email.toLowerCase())).get();
      const ok = await verifyPassword(password, admin?.passwordHash ?? decoyHash);
      if (!admin || !ok) {
        await signIns.failed(email, client);
        c.var.logger.warn({ client }, 'failed sign-in');
        // One message for both cases: the answer must not tell which part was wrong.
        throw new AppError('invalid_credentials', 'Wrong e-mail or password.');
      }
      await signIns.succeeded(email, client);
      db.update(admins).set({ lastSignInAt: clock.now() }).where(eq(admins.id, admin.id)).run();
      if (c.var.session) sessions.destroy(c);
      const session = sessions.create(c, admin.id);
      return c.json({ admin: session.admin, csrfToken: session.csrfToken } satisfies Session);
    })

    .delete('/session', (c) => {
      sessions.destroy(c);
      return c.body(null, 204);
    });
}
