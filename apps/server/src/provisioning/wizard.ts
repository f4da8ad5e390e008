import { eq, inArray } from 'drizzle-orm';
import {
  AppError,
  wizardSteps,
  type CatalogEntry,
  type DeprovisioningInput,
  type EndpointInput,
  type MappingInput,
  type ScopeInput,
  type WizardStep,
} from '@autoprov/contract';
import { directoryGroups, scopeGroups, teamMappings, type ConfigurationRow, transaction } from '@autoprov/db';
import type { Actor } from '@autoprov/directory';
import type { ServerDeps } from '../deps.js';
import { audit } from './audit-trail.js';
import { requireEntry } from './catalog.js';
import { createDraft, updateSetup } from './lifecycle.js';
import { findConfiguration } from './views.js';

/**
 * The wizard's commands (W-1…W-7): each step's answer is checked, saved through the lifecycle
 * module (the configuration's one writer) and recorded in the audit trail (L-6).
 */
type Deps = Pick<ServerDeps, 'db' | 'clock' | 'apps'>;

/** The configuration the wizard fills in; made on first use with the catalog's defaults (W-4, W-6). */
export async function draftFor({ db, clock, apps }: Deps, appKey: string, actor: Actor): Promise<ConfigurationRow> {
  const existing = await findConfiguration(db, appKey);
  if (existing) return existing;
  const entry = requireEntry(apps, appKey);
  const now = clock.now();
  const mapping = Object.fromEntries(entry.attributes.filter((a) => a.defaultSource).map((a) => [a.path, a.defaultSource!]));
  await transaction(db, async (tx) => {
    await createDraft(tx, appKey, mapping, now);
    await audit(tx, now, appKey, actor, 'Provisioning setup started');
  });
  return (await findConfiguration(db, appKey))!;
}

const stepIndex = (s: string) => (wizardSteps as readonly string[]).indexOf(s);

/** Remembers the furthest step reached, never going back (Back keeps what was entered). */
export async function reachStep({ db, clock }: Pick<Deps, 'db' | 'clock'>, row: ConfigurationRow, step: WizardStep) {
  if (stepIndex(step) > stepIndex(row.wizardStep)) await updateSetup(db, row.id, { wizardStep: step }, clock.now());
}

export async function saveEndpoint(deps: Deps, row: ConfigurationRow, input: EndpointInput, actor: Actor) {
  const now = deps.clock.now();
  await transaction(deps.db, async (tx) => {
    await updateSetup(tx, row.id, { endpointUrl: input.endpointUrl }, now);
    await audit(tx, now, row.appKey, actor, 'Endpoint URL set', input.endpointUrl);
  });
}

export async function saveMapping(deps: Deps, row: ConfigurationRow, input: MappingInput, actor: Actor) {
  const mapping = Object.fromEntries(input.rows.filter((r) => r.source).map((r) => [r.attribute, r.source]));
  const now = deps.clock.now();
  await transaction(deps.db, async (tx) => {
    await updateSetup(tx, row.id, { mapping }, now);
    await audit(
      tx,
      now,
      row.appKey,
      actor,
      'Attribute mapping saved',
      Object.entries(mapping)
        .map(([a, s]) => `${a} ← ${s}`)
        .join(', '),
    );
  });
}

export async function saveScope(deps: Deps, row: ConfigurationRow, input: ScopeInput, actor: Actor) {
  const { db, clock } = deps;
  const ids = input.groups.map((g) => g.groupId);
  const known = ids.length ? await db.select({ id: directoryGroups.id, name: directoryGroups.name }).from(directoryGroups).where(inArray(directoryGroups.id, ids)) : [];
  const nameOf = new Map(known.map((g) => [g.id, g.name]));
  const fields: Record<string, string> = {};
  input.groups.forEach((g, i) => {
    if (!nameOf.has(g.groupId)) fields[`groups.${i}.groupId`] = 'This group no longer exists';
  });
  if (Object.keys(fields).length) throw new AppError('validation_failed', 'A group in the scope no longer exists.', fields);
  const now = clock.now();
  await transaction(db, async (tx) => {
    await tx.delete(scopeGroups).where(eq(scopeGroups.configurationId, row.id));
    for (const g of input.groups) await tx.insert(scopeGroups).values({ configurationId: row.id, groupId: g.groupId, accessLevel: g.accessLevel });
    // E-13: the groups sent as teams (several groups may share one).
    await tx.delete(teamMappings).where(eq(teamMappings.configurationId, row.id));
    for (const g of input.groups) if (g.teamName) await tx.insert(teamMappings).values({ configurationId: row.id, groupId: g.groupId, teamName: g.teamName });
    await updateSetup(tx, row.id, {}, now);
    const detail = input.groups.length
      ? input.groups.map((g) => `${nameOf.get(g.groupId)} (${g.accessLevel}${g.teamName ? `, team ${g.teamName}` : ''})`).join(', ')
      : 'every user for whom the app is ON';
    await audit(tx, now, row.appKey, actor, 'Scope saved', detail);
  });
}

export async function saveDeprovisioning(deps: Deps, row: ConfigurationRow, input: DeprovisioningInput, actor: Actor) {
  const now = deps.clock.now();
  await transaction(deps.db, async (tx) => {
    await updateSetup(tx, row.id, { deprovisioning: input }, now);
    const detail = Object.entries(input)
      .map(([trigger, r]) => `${trigger}: ${r.action} ${r.delay === 'next_sync' ? 'within 24 hours' : `after ${r.delay}`}`)
      .join(', ');
    await audit(tx, now, row.appKey, actor, 'Deprovisioning saved', detail);
  });
}

/** W-7: the draft is complete; refuses while a step is missing, naming it. */
export async function finishSetup(deps: Deps, row: ConfigurationRow, entry: CatalogEntry, authorized: boolean, actor: Actor) {
  const missing: string[] = [];
  if (!authorized) missing.push('authorize autoprov (step 2)');
  if (!row.endpointUrl) missing.push('give the endpoint URL (step 3)');
  const unmapped = entry.attributes.filter((a) => a.required && !row.mapping[a.path]);
  if (unmapped.length) missing.push(`map ${unmapped.map((a) => a.label).join(', ')} (step 4)`);
  if (missing.length) throw new AppError('conflict', `The setup is not finished: ${missing.join('; ')}.`);
  const now = deps.clock.now();
  await transaction(deps.db, async (tx) => {
    await updateSetup(tx, row.id, { setupCompletedAt: row.setupCompletedAt ?? now, wizardStep: 'finish' }, now);
    await audit(tx, now, row.appKey, actor, 'Setup finished', 'Saved as a draft: nothing is sent to the app until it is activated.');
  });
}
