import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { AppError, routes } from '@autoprov/contract';
import { admins } from '@autoprov/db';
import { requireAdmin } from '../auth/middleware.js';
import { assertStrongPassword } from '../auth/password-strength.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { readSecuritySettings } from '../auth/security-settings.js';
import { SignInThrottle, throttleKeys } from '../auth/throttle.js';
import { clearTwoFactor, TwoFactor } from '../auth/two-factor.js';
import { routesOn } from '../lib/route.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv } from '../types.js';

/** The signed-in admin's own account, whatever their role: password and two-factor sign-in. */
export function accountRoutes({ db, clock, secrets, sessions, logger }: ServerDeps) {
  const throttle = new SignInThrottle(db, clock);
  const twoFactor = new TwoFactor(db, secrets, clock);
  const me = async (id: string) => (await db.select().from(admins).where(eq(admins.id, id)).limit(1))[0]!;

  /** Asking for the password again: a session left open must not be enough. Guesses are slowed like sign-ins. */
  async function checkPassword(adminId: string, password: string, field: string) {
    const keys = [throttleKeys.reauth(adminId)];
    const wait = await throttle.waitMs(keys);
    if (wait > 0) throw new AppError('rate_limited', `Too many wrong passwords. Try again in ${Math.ceil(wait / 1000)} second(s).`);
    if (!(await verifyPassword(password, (await me(adminId)).passwordHash))) {
      await throttle.failed(keys);
      throw new AppError('validation_failed', 'Some fields need attention.', { [field]: 'This is not your current password.' });
    }
    await throttle.clear(keys);
  }

  const router = new Hono<AppEnv>().use(requireAdmin);
  const on = routesOn(router, '/api/account');

  on(routes.twoFactorStatus, async (c) => {
    const session = c.var.session!;
    return { enabled: session.twoFactor.enabled, recoveryCodesLeft: await twoFactor.recoveryCodesLeft(session.admin.id) };
  });

  on(routes.changePassword, async (c, { body: { currentPassword, newPassword } }) => {
    const session = c.var.session!;
    await checkPassword(session.admin.id, currentPassword, 'currentPassword');
    assertStrongPassword(newPassword, [session.admin.email, session.admin.name], 'newPassword');
    await db.update(admins)
      .set({ passwordHash: await hashPassword(newPassword) })
      .where(eq(admins.id, session.admin.id));
    // Whoever else held a session with the old password is signed out; this browser stays in.
    await sessions.destroyOthers(session.admin.id, session.id);
    logger.info({ adminId: session.admin.id }, 'password changed');
  });

  on(routes.beginTwoFactor, async (c) => {
    const session = c.var.session!;
    if (session.twoFactor.enabled) throw new AppError('conflict', 'Two-factor sign-in is already on. Turn it off first to use another authenticator.');
    return twoFactor.begin(session.admin.id, session.admin.email);
  });

  on(routes.confirmTwoFactor, async (c, { body }) => {
    const session = c.var.session!;
    if (session.twoFactor.enabled) throw new AppError('conflict', 'Two-factor sign-in is already on.');
    const codes = await twoFactor.confirm(session.admin.id, body.code);
    if (!codes) {
      throw new AppError('validation_failed', 'Some fields need attention.', {
        code: 'This code does not match. Check the time on your phone, or scan the QR code again.',
      });
    }
    logger.info({ adminId: session.admin.id }, 'two-factor sign-in turned on');
    return { codes };
  });

  on(routes.disableTwoFactor, async (c, { body }) => {
    const session = c.var.session!;
    if ((await readSecuritySettings(db)).requireTwoFactor) {
      throw new AppError('conflict', 'Two-factor sign-in is required for every admin: it cannot be turned off.');
    }
    await checkPassword(session.admin.id, body.password, 'password');
    await clearTwoFactor(db, session.admin.id);
    logger.info({ adminId: session.admin.id }, 'two-factor sign-in turned off');
  });
  return router;
}
