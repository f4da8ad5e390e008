import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { TwoFactorSetup } from '@autoprov/contract';
import { admins, recoveryCodes, type AppDatabase, type DbOrTx, transaction, affectedRows } from '@autoprov/db';
import type { Clock } from '@autoprov/directory';
import type { SecretBox } from '@autoprov/secrets';
import { sha256 } from './tokens.js';

const sealContext = 'totp-secret';
const recoveryCodeCount = 10;
// RFC 6238's defaults, which every authenticator app understands.
const totpFor = (secret: string, email: string) =>
  new TOTP({ issuer: 'autoprov', label: email, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

/** 10 characters of base32 (50 bits; 32 symbols, so no modulo bias), shown as `xxxxx-xxxxx`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const recoveryCodeHash = (code: string) => sha256(code.trim().toLowerCase().replace(/[^a-z0-9]/g, ''));

/** TOTP (RFC 6238) and recovery codes for one admin at a time; seeds sealed, codes hashed. */
export class TwoFactor {
  constructor(
    private readonly db: AppDatabase,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** A new seed, kept aside until a code from it is confirmed. */
  async begin(adminId: string, email: string): Promise<TwoFactorSetup> {
    const secret = new Secret({ size: 20 }).base32;
    await this.db
      .update(admins)
      .set({ totpPendingSecret: this.secrets.seal(secret, sealContext) })
      .where(eq(admins.id, adminId));
    const uri = totpFor(secret, email).toString();
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return { secret, uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  /** Turns two-factor sign-in on if `code` comes from the pending seed; returns the recovery codes, shown once. */
  async confirm(adminId: string, code: string): Promise<string[] | null> {
    const admin = (await this.db.select().from(admins).where(eq(admins.id, adminId)).limit(1))[0];
    if (!admin?.totpPendingSecret) return null;
    const secret = this.secrets.open(admin.totpPendingSecret, sealContext);
    const step = this.matchingStep(secret, admin.email, code);
    if (step == null) return null;
    const codes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
    await transaction(this.db, async (tx) => {
      await tx.update(admins)
        .set({ totpSecret: admin.totpPendingSecret, totpPendingSecret: null, totpLastStep: step })
        .where(eq(admins.id, adminId));
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.adminId, adminId));
      await tx.insert(recoveryCodes)
        .values(codes.map((c) => ({ id: randomUUID(), adminId, codeHash: recoveryCodeHash(c) })));
    });
    return codes;
  }

  /**
   * At sign-in: a current TOTP code not used before, or an unused recovery code (then spent).
   * Each update is conditional, so two requests racing with one code cannot both pass.
   */
  async verify(admin: typeof admins.$inferSelect, code: string): Promise<boolean> {
    if (!admin.totpSecret) return false;
    if (/^\d{6}$/.test(code.trim())) {
      const step = this.matchingStep(this.secrets.open(admin.totpSecret, sealContext), admin.email, code.trim());
      if (step == null) return false;
      const claimed = await this.db
        .update(admins)
        .set({ totpLastStep: step })
        .where(and(eq(admins.id, admin.id), or(isNull(admins.totpLastStep), lt(admins.totpLastStep, step))));
      return affectedRows(claimed) === 1;
    }
    const spent = await this.db
      .update(recoveryCodes)
      .set({ usedAt: this.clock.now() })
      .where(and(eq(recoveryCodes.adminId, admin.id), eq(recoveryCodes.codeHash, recoveryCodeHash(code)), isNull(recoveryCodes.usedAt)));
    return affectedRows(spent) === 1;
  }

  async recoveryCodesLeft(adminId: string): Promise<number> {
    return (
      (await this.db
        .select({ n: sql<number>`count(*)`.mapWith(Number) })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.adminId, adminId), isNull(recoveryCodes.usedAt))).limit(1))[0]?.n ?? 0
    );
  }

  /** The step (30-second counter) `code` belongs to, allowing one step of clock drift either way. */
  private matchingStep(secret: string, email: string, code: string): number | null {
    const totp = totpFor(secret, email);
    const timestamp = this.clock.now().getTime();
    const delta = totp.validate({ token: code, timestamp, window: 1 });
    return delta == null ? null : totp.counter({ timestamp }) + delta;
  }
}

/** Two-factor sign-in off: seed, pending seed and recovery codes gone. */
export async function clearTwoFactor(tx: DbOrTx, adminId: string): Promise<void> {
  await tx.update(admins).set({ totpSecret: null, totpPendingSecret: null, totpLastStep: null }).where(eq(admins.id, adminId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.adminId, adminId));
}
