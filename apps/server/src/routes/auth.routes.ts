import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { AppError, routes, type Session } from '@autoprov/contract';
import { admins, transaction } from '@autoprov/db';
import { addressGroup, clientAddress, trustedProxyList } from '../auth/client-address.js';
import { deviceTrust } from '../auth/device-trust.js';
import { findPasswordReset, usePasswordReset } from '../auth/password-resets.js';
import { assertStrongPassword } from '../auth/password-strength.js';
import { decoyHash, hashPassword, verifyPassword } from '../auth/passwords.js';
import { SignInThrottle, throttleKeys } from '../auth/throttle.js';
import { TwoFactor } from '../auth/two-factor.js';
import { routesOn } from '../lib/route.js';
import type { AppEnv, CurrentSession } from '../types.js';
import type { ServerDeps } from '../deps.js';

const sessionBody = (s: CurrentSession): Session => ({ admin: s.admin, twoFactor: s.twoFactor, csrfToken: s.csrfToken });

function refuseWhileThrottled(c: Context, waitMs: number, what: string) {
  if (waitMs <= 0) return;
  const seconds = Math.ceil(waitMs / 1000);
  c.header('Retry-After', String(seconds));
  const when = seconds < 90 ? `${seconds} second(s)` : `${Math.ceil(seconds / 60)} minute(s)`;
  throw new AppError('rate_limited', `Too many failed ${what}. Try again in ${when}.`);
}

export function authRoutes({ db, clock, sessions, setupToken, secrets, publicUrl, trustedProxies }: ServerDeps) {
  const throttle = new SignInThrottle(db, clock);
  const twoFactor = new TwoFactor(db, secrets, clock);
  const devices = deviceTrust(secrets, publicUrl.startsWith('https:'));
  const proxies = trustedProxyList(trustedProxies);
  const adminCount = async () => (await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(admins).limit(1))[0]?.n ?? 0;

  const router = new Hono<AppEnv>();
  const on = routesOn(router, '/api');

  on(routes.setupStatus, async () => ({ needsSetup: await adminCount() === 0 }));

  on(routes.setup, async (c, { body: input }) => {
    const keys = [throttleKeys.setup(addressGroup(clientAddress(c, proxies)))];
    if (await adminCount() > 0) throw new AppError('setup_closed', 'autoprov is already set up. Sign in instead.');
    refuseWhileThrottled(c, await throttle.waitMs(keys), 'attempts');
    if (!setupToken.matches(input.token)) {
      await throttle.failed(keys);
      throw new AppError('forbidden', 'This setup link is not valid. Open the link printed when autoprov started.', {
        token: 'This setup link is not valid.',
      });
    }
    assertStrongPassword(input.password, [input.email, input.name]);
    const id = randomUUID();
    const passwordHash = await hashPassword(input.password);
    const created = await transaction(db, async (tx) => {
      // Checked again inside the transaction: two tabs racing must not make two super-admins.
      if (((await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(admins).limit(1))[0]?.n ?? 0) > 0) return false;
      await tx.insert(admins)
        .values({ id, email: input.email.toLowerCase(), name: input.name, role: 'super_admin', passwordHash, createdAt: clock.now() });
      return true;
    });
    if (!created) throw new AppError('setup_closed', 'autoprov is already set up. Sign in instead.');
    setupToken.consume();
    c.var.logger.info({ adminId: id }, 'first super-admin created');
    devices.issue(c, id);
    return sessionBody(await sessions.create(c, id));
  });

  on(routes.session, (c) => {
    const session = c.var.session;
    if (!session) throw new AppError('unauthenticated', 'Sign in to continue.');
    return sessionBody(session);
  });

  on(routes.signIn, async (c, { body: { email, password, code } }) => {
    const admin = (await db.select().from(admins).where(eq(admins.email, email.toLowerCase())).limit(1))[0];
    const client = clientAddress(c, proxies);
    // S-6: a browser this admin signed in from before is counted alone; every other attempt
    // counts against the account (from any address) and against its address.
    const device = admin ? devices.read(c, admin.id) : null;
    const keys = device ? [throttleKeys.device(device)] : [throttleKeys.account(email), throttleKeys.address(addressGroup(client))];
    refuseWhileThrottled(c, await throttle.waitMs(keys), 'sign-in attempts');

    const ok = await verifyPassword(password, admin?.passwordHash ?? decoyHash);
    if (!admin || !ok) {
      await throttle.failed(keys);
      c.var.logger.warn({ client }, 'failed sign-in');
      // One message for both cases: the answer must not tell which part was wrong.
      throw new AppError('invalid_credentials', 'Wrong e-mail or password.');
    }
    if (admin.totpSecret) {
      if (!code) throw new AppError('second_factor_required', 'Enter the 6-digit code from your authenticator app.');
      if (!await twoFactor.verify(admin, code)) {
        await throttle.failed(keys);
        c.var.logger.warn({ client, adminId: admin.id }, 'failed second factor');
        throw new AppError('invalid_credentials', 'This code is not valid.', { code: 'This code is not valid (or was already used).' });
      }
    }
    if (device) await throttle.clear(keys);
    devices.issue(c, admin.id, device ?? undefined);
    await db.update(admins).set({ lastSignInAt: clock.now() }).where(eq(admins.id, admin.id));
    if (c.var.session) await sessions.destroy(c);
    return sessionBody(await sessions.create(c, admin.id));
  });

  on(routes.signOut, async (c) => {
    await sessions.destroy(c);
  });

  // A one-time link from a super-admin or from `reset-admin` on the server. The token travels
  // in the query and the body, never in a path the request log records.
  on(routes.passwordResetStatus, async (_c, { query }) => {
    const found = await findPasswordReset(db, clock, query.token);
    if (!found) throw new AppError('not_found', 'This link is not valid: it was used already, replaced by a newer one, or it expired.');
    return { email: found.admin.email, name: found.admin.name, clearsTwoFactor: found.reset.clearsTwoFactor };
  });

  on(routes.resetPassword, async (c, { body: { token, password } }) => {
    const found = await findPasswordReset(db, clock, token);
    if (!found) throw new AppError('not_found', 'This link is not valid: it was used already, replaced by a newer one, or it expired.');
    assertStrongPassword(password, [found.admin.email, found.admin.name]);
    if (!(await usePasswordReset(db, clock, token, password))) {
      throw new AppError('not_found', 'This link is not valid: it was used already, replaced by a newer one, or it expired.');
    }
    c.var.logger.info({ adminId: found.admin.id, by: found.reset.createdBy }, 'password reset with a one-time link');
  });
  return router;
}
