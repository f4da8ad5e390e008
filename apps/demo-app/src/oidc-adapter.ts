import { and, eq, inArray } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { DemoDatabase } from './db/index.js';
import { oidcStore } from './db/schema.js';

/** Every model that proves an authorization: removing them all revokes autoprov's access. */
export const grantModels = ['Session', 'Grant', 'AuthorizationCode', 'AccessToken', 'RefreshToken', 'Interaction'];

/** oidc-provider's storage in the demo app's SQLite file. */
export function sqliteAdapterFactory(db: DemoDatabase) {
  return class SqliteAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const row = {
        model: this.model,
        id,
        payload: payload as Record<string, unknown>,
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
      return this.findBy(oidcStore.id, id);
    }

    async findByUid(uid: string) {
      return this.findBy(oidcStore.uid, uid);
    }

    async findByUserCode(userCode: string) {
      return this.findBy(oidcStore.userCode, userCode);
    }

    async consume(id: string): Promise<void> {
      db.update(oidcStore).set({ consumedAt: new Date() }).where(and(eq(oidcStore.model, this.model), eq(oidcStore.id, id))).run();
    }

    async destroy(id: string): Promise<void> {
      db.delete(oidcStore).where(and(eq(oidcStore.model, this.model), eq(oidcStore.id, id))).run();
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
