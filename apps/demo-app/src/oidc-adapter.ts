import { and, eq, inArray } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DemoDatabase } from './db/index.js';
import { oidcStore } from './db/schema.js';
import { tokenDigest as digest } from './passwords.js';

/** Every model that proves an authorization: removing them all revokes autoprov's access. */
export const grantModels = ['Session', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'Interaction'];

/**
 * The models whose id is the bearer value itself (an opaque token or code): stored as its
 * SHA-256 and without the `jti` that repeats it, so the file gives no usable token.
 */
const bearerModels = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode']);
const hashed = /^[0-9a-f]{64}$/;

/** Tokens stored in the clear by an earlier version are hashed in place (once). */
export function hashStoredTokens(db: DemoDatabase): void {
  db.transaction((tx) => {
    for (const row of tx.select().from(oidcStore).where(inArray(oidcStore.model, [...bearerModels])).all()) {
      if (hashed.test(row.id)) continue;
      const { jti: _jti, ...payload } = row.payload;
      tx.update(oidcStore)
        .set({ id: digest(row.id), payload })
        .where(and(eq(oidcStore.model, row.model), eq(oidcStore.id, row.id)))
        .run();
    }
  });
}

/** oidc-provider's storage in the demo app's SQLite file. */
export function sqliteAdapterFactory(db: DemoDatabase) {
  return class SqliteAdapter implements Adapter {
    private readonly bearer: boolean;
    constructor(private readonly model: string) {
      this.bearer = bearerModels.has(model);
    }

    /** The stored key of an id: its hash for a bearer value. */
    private key(id: string): string {
      return this.bearer ? digest(id) : id;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const { jti: _jti, ...rest } = payload;
      const row = {
        model: this.model,
        id: this.key(id),
        payload: (this.bearer ? rest : payload) as Record<string, unknown>,
        grantId: payload.grantId ?? null,
        uid: payload.uid ?? null,
        userCode: payload.userCode ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      db.insert(oidcStore)
        .values(row)
        .onConflictDoUpdate({ target: [oidcStore.model, oidcStore.id], set: row })
        .run();
    }

    private findBy(column: typeof oidcStore.id | typeof oidcStore.uid | typeof oidcStore.userCode, value: string): AdapterPayload | undefined {
      const row = db.select().from(oidcStore).where(and(eq(oidcStore.model, this.model), eq(column, value))).get();
      if (!row || (row.expiresAt && row.expiresAt.getTime() < Date.now())) return undefined;
      return { ...(row.payload as AdapterPayload), ...(row.consumedAt ? { consumed: Math.floor(row.consumedAt.getTime() / 1000) } : {}) };
    }

    async find(id: string) {
      const found = this.findBy(oidcStore.id, this.key(id));
      // The value presented is the token: its jti, which is not stored for bearer models.
      return found && this.bearer ? { ...found, jti: id } : found;
    }

    async findByUid(uid: string) {
      return this.findBy(oidcStore.uid, uid);
    }

    async findByUserCode(userCode: string) {
      return this.findBy(oidcStore.userCode, userCode);
    }

    async consume(id: string): Promise<void> {
      db.update(oidcStore).set({ consumedAt: new Date() }).where(and(eq(oidcStore.model, this.model), eq(oidcStore.id, this.key(id)))).run();
    }

    async destroy(id: string): Promise<void> {
      db.delete(oidcStore).where(and(eq(oidcStore.model, this.model), eq(oidcStore.id, this.key(id)))).run();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      db.delete(oidcStore).where(eq(oidcStore.grantId, grantId)).run();
    }
  };
}

/** "Change admin password" (M-5): every grant, code and token the provider issued is gone. */
export function revokeEverything(db: DemoDatabase): void {
  db.delete(oidcStore).where(inArray(oidcStore.model, grantModels)).run();
}
