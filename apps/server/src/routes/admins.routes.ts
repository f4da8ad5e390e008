import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { AppError, routes, type Admin } from '@autoprov/contract';
import { admins, transaction } from '@autoprov/db';
import { createPasswordReset, resetLinkUrl } from '../auth/password-resets.js';
import { assertStrongPassword } from '../auth/password-strength.js';
import { hashPassword } from '../auth/passwords.js';
import { readSecuritySettings, writeSecuritySettings } from '../auth/security-settings.js';
import { requireAdmin } from '../auth/middleware.js';
import { routesOn } from '../lib/route.js';
import type { ServerDeps } from '../deps.js';
import type { AppEnv } from '../types.js';

const toAdmin = (a: typeof admins.$inferSelect): Admin => ({
  id: a.id,
  email: a.email,
  name: a.name,
  role: a.role,
  createdAt: a.createdAt.toISOString(),
  lastSignInAt: a.lastSignInAt?.toISOString() ?? null,
  twoFactorEnabled: a.totpSecret != null,
});

export function adminsRoutes({ db, clock, logger, publicUrl }: ServerDeps) {
  const router = new Hono<AppEnv>().use(requireAdmin);
  const on = routesOn(router, '/api/admins');

  on(routes.listAdmins, async () => ({ items: (await db.select().from(admins).orderBy(asc(admins.name))).map(toAdmin) }));

  on(routes.securitySettings, async () => await readSecuritySettings(db));

  on(routes.saveSecuritySettings, async (c, { body: settings }) => {
    const session = c.var.session!;
    // Whoever requires it must have it: otherwise their own session could do nothing but set it up.
    if (settings.requireTwoFactor && !session.twoFactor.enabled) {
      throw new AppError('conflict', 'Turn on two-factor sign-in for your own account first (Account security).');
    }
    await writeSecuritySettings(db, settings);
    logger.info({ by: session.admin.id, ...settings }, 'security settings changed');
    return settings;
  });

  on(routes.createAdmin, async (c, { body: input }) => {
    const email = input.email.toLowerCase();
    assertStrongPassword(input.password, [email, input.name]);
    if ((await db.select().from(admins).where(eq(admins.email, email)).limit(1))[0]) {
      throw new AppError('conflict', 'An admin with this e-mail already exists.', { email: 'An admin with this e-mail already exists.' });
    }
    const row = (await db
      .insert(admins)
      .values({ id: randomUUID(), email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password), createdAt: clock.now() })
      .returning())[0]!;
    logger.info({ by: c.var.session?.admin.id, adminId: row.id, role: row.role }, 'admin added');
    return toAdmin(row);
  });

  on(routes.createResetLink, async (c, { params: { id }, body }) => {
    const me = c.var.session!.admin;
    if (id === me.id) throw new AppError('conflict', 'Change your own password in Account security.');
    const target = (await db.select().from(admins).where(eq(admins.id, id)).limit(1))[0];
    if (!target) throw new AppError('not_found', 'This admin does not exist.');
    const { clearTwoFactor } = body;
    const { token, expiresAt } = await createPasswordReset(db, clock, id, { createdBy: me.id, clearsTwoFactor: clearTwoFactor });
    logger.info({ by: me.id, adminId: id, clearTwoFactor }, 'password reset link created');
    return { url: resetLinkUrl(publicUrl, token), expiresAt: expiresAt.toISOString() };
  });

  on(routes.deleteAdmin, async (c, { params: { id } }) => {
    const me = c.var.session!.admin;
    if (id === me.id) throw new AppError('conflict', 'You cannot remove yourself. Ask another super-admin.');
    await transaction(db, async (tx) => {
      const target = (await tx.select().from(admins).where(eq(admins.id, id)).limit(1))[0];
      if (!target) throw new AppError('not_found', 'This admin does not exist.');
      const superAdmins = (await tx.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(admins).where(eq(admins.role, 'super_admin')).limit(1))[0]?.n ?? 0;
      if (target.role === 'super_admin' && superAdmins <= 1) {
        throw new AppError('conflict', 'autoprov needs at least one super-admin.');
      }
      await tx.delete(admins).where(eq(admins.id, id)); // their sessions go with them
    });
    logger.info({ by: me.id, adminId: id }, 'admin removed');
  });
  return router;
}
