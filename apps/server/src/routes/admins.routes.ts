import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { AppError, createAdminInputSchema, idSchema, type Admin } from '@autoprov/contract';
import { admins } from '@autoprov/db';
import { hashPassword } from '../auth/passwords.js';
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
});

export function adminsRoutes({ db, clock, logger }: ServerDeps) {
  return new Hono<AppEnv>()
    .use(requireAdmin)
    .get('/', (c) => c.json({ items: db.select().from(admins).orderBy(asc(admins.name)).all().map(toAdmin) }))

    .post('/', validate('json', createAdminInputSchema), async (c) => {
      const input = c.req.valid('json');
      const email = input.email.toLowerCase();
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
