import { randomUUID } from 'node:crypto';
import {
  directoryGroups,
  directoryUsers,
  domains,
  groupMembers,
  organisation,
  orgUnits,
  type AppDatabase, transaction } from '@autoprov/db';
import type { Clock } from './actor.js';

export const demoOrganisation = {
  name: 'Example Corp',
  primaryDomain: 'example.com',
  secondaryDomain: 'example.org',
};

const firstNames = [
  'Alice', 'Bruno', 'Chloé', 'David', 'Emma', 'François', 'Gabriel', 'Hélène', 'Inès', 'Jules',
  'Karim', 'Léa', 'Mathis', 'Noémie', 'Oscar', 'Paul', 'Quentin', 'Rose', 'Sami', 'Théo',
  'Ulysse', 'Valentine', 'William', 'Xavier', 'Yasmine', 'Zoé', 'Aïcha', 'Björn', 'Łukasz', 'Mei',
  'Nour', 'Olivia', 'Pedro', 'Rania',
];
const lastNames = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau',
  'Simon', 'Laurent', 'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier',
  'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Nguyen',
  "O'Brien", 'Kowalski', 'Müller',
];

const units = [
  { key: 'root', name: demoOrganisation.name, path: '/', parent: null },
  { key: 'eng', name: 'Engineering', path: '/Engineering', parent: 'root' },
  { key: 'platform', name: 'Platform', path: '/Engineering/Platform', parent: 'eng' },
  { key: 'sales', name: 'Sales', path: '/Sales', parent: 'root' },
  { key: 'marketing', name: 'Marketing', path: '/Marketing', parent: 'root' },
  { key: 'support', name: 'Support', path: '/Support', parent: 'root' },
  { key: 'finance', name: 'Finance', path: '/Finance', parent: 'root' },
] as const;
type UnitKey = (typeof units)[number]['key'];

const departmentOf: Record<UnitKey, { department: string; titles: string[] }> = {
  root: { department: 'Management', titles: ['Chief Executive Officer', 'Chief Operating Officer'] },
  eng: { department: 'Engineering', titles: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager'] },
  platform: { department: 'Engineering', titles: ['Site Reliability Engineer', 'Platform Engineer'] },
  sales: { department: 'Sales', titles: ['Account Executive', 'Sales Development Representative', 'Sales Manager'] },
  marketing: { department: 'Marketing', titles: ['Marketing Manager', 'Content Strategist', 'Designer'] },
  support: { department: 'Support', titles: ['Support Specialist', 'Support Lead'] },
  finance: { department: 'Finance', titles: ['Accountant', 'Financial Analyst'] },
};

/** Users per org unit, in order; about 200 in all. */
const headcount: [UnitKey, number][] = [
  ['root', 4],
  ['eng', 56],
  ['platform', 24],
  ['sales', 48],
  ['marketing', 26],
  ['support', 28],
  ['finance', 14],
];

/** `Chloé` → `chloe`, `O'Brien` → `obrien`: the local part of a demo address. */
function localPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/gi, 'l')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();
}

/**
 * Fills an empty database with the demo organisation (SPEC §1): org units, ~200 users, groups
 * with one nested in another, a secondary-domain user, an external member, one archived and one
 * suspended user. Deterministic, so tests and screenshots can rely on it. Does nothing if an
 * organisation is already there.
 */
export async function seedDemoOrganisation(db: AppDatabase, clock: Clock): Promise<boolean> {
  return await transaction(db, async (tx) => {
    const now = clock.now();
    // The organisation row is the claim: of processes starting together on one PostgreSQL
    // database, the second waits on the first's row and then finds it there (issue 16).
    const claimed = await tx.insert(organisation).values({ id: 1, name: demoOrganisation.name, createdAt: now }).onConflictDoNothing().returning({ id: organisation.id });
    if (claimed.length === 0) return false;
    await tx.insert(domains)
      .values([
        { name: demoOrganisation.primaryDomain, kind: 'primary' },
        { name: demoOrganisation.secondaryDomain, kind: 'secondary' },
      ]);

    const unitId = new Map<UnitKey, string>();
    for (const u of units) {
      const id = randomUUID();
      unitId.set(u.key, id);
      await tx.insert(orgUnits)
        .values({ id, name: u.name, path: u.path, parentId: u.parent ? unitId.get(u.parent)! : null, createdAt: now });
    }

    const usersByUnit = new Map<UnitKey, string[]>();
    const usedEmails = new Set<string>();
    let n = 0;
    const addUser = async (unit: UnitKey, given: string, family: string, domain: string, status: 'active' | 'suspended' | 'archived') => {
      let email = `${localPart(given)}.${localPart(family)}@${domain}`;
      for (let i = 2; usedEmails.has(email); i++) email = `${localPart(given)}.${localPart(family)}${i}@${domain}`;
      usedEmails.add(email);
      const id = randomUUID();
      const { department, titles } = departmentOf[unit];
      await tx.insert(directoryUsers)
        .values({
          id,
          primaryEmail: email,
          givenName: given,
          familyName: family,
          status,
          orgUnitId: unitId.get(unit)!,
          jobTitle: titles[n % titles.length] ?? null,
          department,
          phone: `+33 1 70 00 ${String(10 + Math.floor(n / 100)).padStart(2, '0')} ${String(n % 100).padStart(2, '0')}`,
          employeeId: `E${String(1000 + n)}`,
          createdAt: now,
          updatedAt: now,
        });
      n++;
      usersByUnit.set(unit, [...(usersByUnit.get(unit) ?? []), id]);
      return { id, email };
    };

    for (const [unit, count] of headcount) {
      for (let i = 0; i < count; i++) {
        const given = firstNames[n % firstNames.length]!;
        const family = lastNames[(n * 7 + Math.floor(n / lastNames.length)) % lastNames.length]!;
        await addUser(unit, given, family, demoOrganisation.primaryDomain, 'active');
      }
    }
    // The cases SPEC §1 asks the demo to show.
    const secondary = await addUser('marketing', 'Léa', 'Secondaire', demoOrganisation.secondaryDomain, 'active');
    const archived = await addUser('sales', 'Arnaud', 'Archivé', demoOrganisation.primaryDomain, 'archived');
    const suspended = await addUser('support', 'Samuel', 'Suspendu', demoOrganisation.primaryDomain, 'suspended');

    const groupId = new Map<string, string>();
    const group = async (key: string, name: string, description: string) => {
      const id = randomUUID();
      groupId.set(key, id);
      await tx.insert(directoryGroups)
        .values({ id, email: `${key}@${demoOrganisation.primaryDomain}`, name, description, createdAt: now });
      return id;
    };
    const addUsers = async (gid: string, userIds: string[]) => {
      for (const userId of userIds) {
        await tx.insert(groupMembers).values({ id: randomUUID(), groupId: gid, kind: 'user', userId, createdAt: now });
      }
    };
    const nest = async (outer: string, inner: string) =>
      await tx.insert(groupMembers)
        .values({ id: randomUUID(), groupId: outer, kind: 'group', memberGroupId: inner, createdAt: now });
    const external = async (gid: string, email: string) =>
      await tx.insert(groupMembers).values({ id: randomUUID(), groupId: gid, kind: 'external', externalEmail: email, createdAt: now });
    const of = (unit: UnitKey) => usersByUnit.get(unit) ?? [];

    const engineering = await group('engineering', 'Engineering', 'Everyone who builds the product');
    const platform = await group('platform', 'Platform team', 'Infrastructure and reliability');
    const sales = await group('sales', 'Sales', 'Sales team');
    const marketing = await group('marketing', 'Marketing', 'Marketing team');
    const support = await group('support', 'Support', 'Customer support');
    const finance = await group('finance', 'Finance', 'Finance and accounting');
    const managers = await group('managers', 'Managers', 'People managers');
    const meetings = await group('meeting-hosts', 'Meeting hosts', 'People who host customer meetings');
    const partners = await group('partners', 'Partners', 'Shared with people outside the organisation');
    const allStaff = await group('all-staff', 'All staff', 'Every team');

    await addUsers(engineering, of('eng'));
    await addUsers(platform, of('platform'));
    await nest(engineering, platform); // nested: platform's members are engineering's members too
    await addUsers(sales, of('sales'));
    await addUsers(marketing, of('marketing'));
    await addUsers(support, of('support'));
    await addUsers(finance, of('finance'));
    await addUsers(managers, [...of('root'), ...of('eng').slice(0, 3), ...of('sales').slice(0, 3)]);
    await addUsers(meetings, [...of('sales').slice(0, 20), ...of('support').slice(0, 10), secondary.id, archived.id, suspended.id]);
    await addUsers(partners, of('sales').slice(20, 25));
    await external(partners, 'consultant@partner.example.net');
    for (const inner of [engineering, sales, marketing, support, finance]) await nest(allStaff, inner);
    await addUsers(allStaff, of('root'));
    return true;
  });
}
