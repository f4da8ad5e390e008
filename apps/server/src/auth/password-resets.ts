import { and, eq, gt, isNull } from 'drizzle-orm';
import { admins, passwordResets, sessions, type AppDatabase, transaction, affectedRows } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import { hashPassword } from './passwords.js';
import { throttleKeys, SignInThrottle } from './throttle.js';
import { clearTwoFactor } from './two-factor.js';
import { newToken, sha256 } from './tokens.js';

const hour = 60 * 60 * 1000;

export interface ResetLinkOptions {
  /** An admin's id, or `server` for the command run on the server. */
  createdBy: string;
  clearsTwoFactor: boolean;
  lifetimeMs?: number;
}

/** The console page a reset link opens; the token is in the query (the request log keeps paths only). */
export const resetLinkUrl = (publicUrl: string, token: string) => `${publicUrl}/reset-password?token=${token}`;

/** A one-time link for `adminId`; any older unused link of theirs stops working. */
export async function createPasswordReset(db: AppDatabase, clock: Clock, adminId: string, options: ResetLinkOptions) {
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (options.lifetimeMs ?? 24 * hour));
  await transaction(db, async (tx) => {
    await tx.delete(passwordResets)
      .where(and(eq(passwordResets.adminId, adminId), isNull(passwordResets.usedAt)));
    await tx.insert(passwordResets)
      .values({ id: sha256(token), adminId, createdBy: options.createdBy, createdAt: now, expiresAt, clearsTwoFactor: options.clearsTwoFactor });
  });
  return { token, expiresAt };
}

/** The admin a still-usable link is for, or null. */
export async function findPasswordReset(db: AppDatabase, clock: Clock, token: string) {
  return (
    (await db
      .select({ reset: passwordResets, admin: admins })
      .from(passwordResets)
      .innerJoin(admins, eq(admins.id, passwordResets.adminId))
      .where(and(eq(passwordResets.id, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, clock.now()))).limit(1))[0] ?? null
  );
}

/**
 * Sets the new password and spends the link, once: the update is conditional on the link being
 * unused, so two tabs racing cannot both use it. Every session of the admin ends, and the
 * delays their account collected are forgotten (the CLI reset is for a locked-out admin).
 */
export async function usePasswordReset(db: AppDatabase, clock: Clock, token: string, password: string): Promise<boolean> {
  const found = await findPasswordReset(db, clock, token);
  if (!found) return false;
  const passwordHash = await hashPassword(password);
  const used = await transaction(db, async (tx) => {
    const spent = await tx
      .update(passwordResets)
      .set({ usedAt: clock.now() })
      .where(and(eq(passwordResets.id, found.reset.id), isNull(passwordResets.usedAt)));
    if (affectedRows(spent) !== 1) return false;
    await tx.update(admins).set({ passwordHash }).where(eq(admins.id, found.admin.id));
    if (found.reset.clearsTwoFactor) await clearTwoFactor(tx, found.admin.id);
    await tx.delete(sessions).where(eq(sessions.adminId, found.admin.id));
    return true;
  });
  if (used) await new SignInThrottle(db, clock).clear([throttleKeys.account(found.admin.email)]);
  return used;
}
