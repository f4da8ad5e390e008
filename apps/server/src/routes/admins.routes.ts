import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  AppError,
  createAdminInputSchema,
  createResetLinkInputSchema,
  idSchema,
  securitySettingsSchema,
  type Admin,
  type ResetLink,
  type SecuritySettings,
} from '@autoprov/contract';
import { admins } from '@autoprov/db';
import { createPasswordReset, resetLinkUrl } from '../auth/password-resets.js';
import { assertStrongPassword } from '../auth/password-strength.js';
import { hashPassword } from '../auth/passwords.js';
import { readSecuritySettings, writeSecuritySettings } from '../auth/security-settings.js';
import { requireAdmin } from '../auth/middleware.js';
import { validate } from '../lib/validate.js';
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
  return new Hono<AppEnv>()
    .use(requireAdmin)
    .get('/', (c) => c.json({ items: db.select().from(admins).orderBy(asc(admins.name)).all().map(toAdmin) }))

    .get('/security-settings', (c) => c.json(readSecuritySettings(db) satisfies SecuritySettings))

    .put('/security-settings', validate('json', securitySettingsSchema), (c) => {
      const settings = c.req.valid('json');
      const session = c.var.session!;
      // Whoever requires it must have it: otherwise their own session could do nothing but set it up.
      if (settings.requireTwoFactor && !session.twoFactor.enabled) {
        throw new AppError('conflict', 'Turn on two-factor sign-in for your own account first (Account security).');
      }
      writeSecuritySettings(db, settings);
      logger.info({ by: session.admin.id, ...settings }, 'security settings changed');
      return c.json(settings);
    })

    .post('/', validate('json', createAdminInputSchema), async (c) => {
      const input = c.req.valid('json');
      const email = input.email.toLowerCase();
      assertStrongPassword(input.password, [email, input.name]);
      if (db.select().from(admins).where(eq(admins.email, email)).get()) {
        throw new AppError('conflict', 'An admin with this e-mail already exists.', { email: 'An admin with this e-mail already exists.' });
      }
      const row = db
        .insert(admins)
        .values({ id: randomUUID(), email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password), createdAt: clock.now() })
        .returning()
        .get();
      logger.info({ by: c.var.session?.admin.id, adminId: row.id, role: row.role }, 'admin added');
      return c.json(toAdmin(row), 201);
    })

    .post('/:id/reset-link', validate('param', z.object({ id: idSchema })), validate('json', createResetLinkInputSchema), (c) => {
      const { id } = c.req.valid('param');
      const me = c.var.session!.admin;
      if (id === me.id) throw new AppError('conflict', 'Change your own password in Account security.');
      const target = db.select().from(admins).where(eq(admins.id, id)).get();
      if (!target) throw new AppError('not_found', 'This admin does not exist.');
      const { clearTwoFactor } = c.req.valid('json');
      const { token, expiresAt } = createPasswordReset(db, clock, id, { createdBy: me.id, clearsTwoFactor: clearTwoFactor });
      logger.info({ by: me.id, adminId: id, clearTwoFactor }, 'password reset link created');
      return c.json({ url: resetLinkUrl(publicUrl, token), expiresAt: expiresAt.toISOString() } satisfies ResetLink, 201);
    })

    .delete('/:id', validate('param', z.object({ id: idSchema })), (c) => {
      const { id } = c.req.valid('param');
      const me = c.var.session!.admin;
      if (id === me.id) throw new AppError('conflict', 'You cannot remove yourself. Ask another super-admin.');
      db.transaction((tx) => {
        const target = tx.select().from(admins).where(eq(admins.id, id)).get();
        if (!target) throw new AppError('not_found', 'This admin does not exist.');
        const superAdmins = tx.select({ n: sql<number>`count(*)` }).from(admins).where(eq(admins.role, 'super_admin')).get()?.n ?? 0;
        if (target.role === 'super_admin' && superAdmins <= 1) {
          throw new AppError('conflict', 'autoprov needs at least one super-admin.');
        }
        tx.delete(admins).where(eq(admins.id, id)).run(); // their sessions go with them
      });
      logger.info({ by: me.id, adminId: id }, 'admin removed');
      return c.body(null, 204);
    });
}
