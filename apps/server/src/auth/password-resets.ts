import { and, eq, gt, isNull } from 'drizzle-orm';
import { admins, passwordResets, sessions, type AppDatabase } from '@autoprov/db';
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
export function createPasswordReset(db: AppDatabase, clock: Clock, adminId: string, options: ResetLinkOptions) {
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + (options.lifetimeMs ?? 24 * hour));
  db.transaction((tx) => {
    tx.delete(passwordResets)
      .where(and(eq(passwordResets.adminId, adminId), isNull(passwordResets.usedAt)))
      .run();
    tx.insert(passwordResets)
      .values({ id: sha256(token), adminId, createdBy: options.createdBy, createdAt: now, expiresAt, clearsTwoFactor: options.clearsTwoFactor })
      .run();
  });
  return { token, expiresAt };
}

/** The admin a still-usable link is for, or null. */
export function findPasswordReset(db: AppDatabase, clock: Clock, token: string) {
  return (
    db
      .select({ reset: passwordResets, admin: admins })
      .from(passwordResets)
      .innerJoin(admins, eq(admins.id, passwordResets.adminId))
      .where(and(eq(passwordResets.id, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, clock.now())))
      .get() ?? null
  );
}

/**
 * Sets the new password and spends the link, once: the update is conditional on the link being
 * unused, so two tabs racing cannot both use it. Every session of the admin ends, and the
 * delays their account collected are forgotten (the CLI reset is for a locked-out admin).
 */
export async function usePasswordReset(db: AppDatabase, clock: Clock, token: string, password: string): Promise<boolean> {
  const found = findPasswordReset(db, clock, token);
  if (!found) return false;
  const passwordHash = await hashPassword(password);
  const used = db.transaction((tx) => {
    const spent = tx
      .update(passwordResets)
      .set({ usedAt: clock.now() })
      .where(and(eq(passwordResets.id, found.reset.id), isNull(passwordResets.usedAt)))
      .run();
    if (spent.changes !== 1) return false;
    tx.update(admins).set({ passwordHash }).where(eq(admins.id, found.admin.id)).run();
    if (found.reset.clearsTwoFactor) clearTwoFactor(tx, found.admin.id);
    tx.delete(sessions).where(eq(sessions.adminId, found.admin.id)).run();
    return true;
  });
  if (used) new SignInThrottle(db, clock).clear([throttleKeys.account(found.admin.email)]);
  return used;
}
