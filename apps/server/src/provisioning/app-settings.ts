import { and, eq } from 'drizzle-orm';
import { AppError, type AvailabilityInput, type SsoSettingsInput } from '@autoprov/contract';
import { appAvailability, orgUnits, ssoSettings, transaction } from '@autoprov/db';
import type { Actor } from '@autoprov/directory';
import type { ServerDeps } from '../deps.js';
import { audit } from './audit-trail.js';

/** An app's settings outside its provisioning configuration: SSO (W-1) and availability (SPEC §1). */
type Deps = Pick<ServerDeps, 'db' | 'clock'>;

export async function saveSso({ db, clock }: Deps, appKey: string, input: SsoSettingsInput, actor: Actor) {
  const now = clock.now();
  await transaction(db, async (tx) => {
    await tx.insert(ssoSettings)
      .values({ appKey, ...input, updatedAt: now })
      .onConflictDoUpdate({ target: ssoSettings.appKey, set: { ...input, updatedAt: now } });
    await audit(tx, now, appKey, actor, 'SSO settings saved', `Entity ID ${input.entityId}, sign-in URL ${input.ssoUrl}`);
  });
}

export async function setAvailability({ db, clock }: Deps, appKey: string, input: AvailabilityInput, actor: Actor) {
  const unit = (await db.select().from(orgUnits).where(eq(orgUnits.id, input.orgUnitId)).limit(1))[0];
  if (!unit) throw new AppError('validation_failed', 'There is no such organisational unit.', { orgUnitId: 'Choose an organisational unit' });
  const now = clock.now();
  await transaction(db, async (tx) => {
    if (input.setting === 'inherit') {
      await tx.delete(appAvailability).where(and(eq(appAvailability.appKey, appKey), eq(appAvailability.orgUnitId, unit.id)));
    } else {
      const on = input.setting === 'on';
      await tx.insert(appAvailability)
        .values({ appKey, orgUnitId: unit.id, on })
        .onConflictDoUpdate({ target: [appAvailability.appKey, appAvailability.orgUnitId], set: { on } });
    }
    const words = { on: 'ON', off: 'OFF', inherit: 'inherited from the parent unit' }[input.setting];
    await audit(tx, now, appKey, actor, 'Availability changed', `${unit.path}: ${words}`);
  });
}
