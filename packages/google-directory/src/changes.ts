import { withBackoff, type BackoffOptions } from './backoff.js';
import type { GoogleClients } from './client.js';
import { readGroupMembers, readOrgUnits, readUser, toGoogleGroup, type GoogleGroup, type GoogleOrgUnit, type GoogleUser } from './read.js';

/**
 * Where the incremental read stands (G-2): when the last read was made, and the events it
 * already took into account. Google shows some events hours late, so each read asks again for
 * everything since well before the last one and skips the events it has seen.
 */
export interface ChangeCursor {
  time: string;
  seen: string[];
}

/**
 * How far back each read looks. Google documents the lag of its audit logs in hours for some
 * applications (groups among them), far more than the few minutes the admin log usually takes.
 */
export const googleEventLagMs = 6 * 3600_000;

/** The logs that record changes to people and membership (G-2). */
export const changeLogs = [
  // Changes in the Admin console and by the Directory API.
  'admin',
  // Changes by group owners and managers, people joining or leaving on their own, dynamic groups.
  'groups_enterprise',
] as const;

export interface GoogleChanges {
  /** Users to write again, by the address an event named; null when Google no longer has it. */
  users: Map<string, GoogleUser | null>;
  /** Groups to write again, by the address an event named; null when the group is gone. */
  groups: Map<string, GoogleGroup | null>;
  /** Set when the org unit tree changed (created, renamed, moved, deleted). */
  orgUnits: GoogleOrgUnit[] | null;
  cursor: ChangeCursor;
  events: number;
}

const userEvents = /USER|PASSWORD|ORG_UNIT|NAME|ORGANIZATION|PHONE|EXTERNAL_ID/;

/** The cursor for "from now on", taken at a full read. */
export function cursorAt(time: Date): ChangeCursor {
  return { time: time.toISOString(), seen: [] };
}

/** What one event asks to read again. */
interface Wanted {
  users: Set<string>;
  groups: Set<string>;
  orgUnits: boolean;
}

function want(application: string, event: { type?: string | null; name?: string | null; parameters?: { name?: string | null; value?: string | null }[] }, into: Wanted): boolean {
  const params = new Map((event.parameters ?? []).map((p) => [p.name ?? '', (p.value ?? '').toLowerCase()]));
  const name = event.name ?? '';
  if (application === 'groups_enterprise') {
    // add_member, remove_member and the rest: group_id is the group's address.
    const group = params.get('group_id');
    if (!group) return false;
    into.groups.add(group);
    return true;
  }
  let acted = false;
  const group = params.get('GROUP_EMAIL');
  const user = params.get('USER_EMAIL');
  const newValue = params.get('NEW_VALUE');
  if (group) {
    into.groups.add(group);
    // CHANGE_GROUP_EMAIL: the group is read by its new address too.
    if (name === 'CHANGE_GROUP_EMAIL' && newValue?.includes('@')) into.groups.add(newValue);
    acted = true;
  } else if (user && userEvents.test(name)) {
    into.users.add(user);
    // RENAME_USER: the old address is an alias of the same user now; the new one is read too.
    if (name === 'RENAME_USER' && newValue?.includes('@')) into.users.add(newValue);
    acted = true;
  }
  // EDIT_ORG_UNIT_NAME, MOVE_ORG_UNIT, CREATE_ORG_UNIT, REMOVE_ORG_UNIT: every member's path changes with no event of its own.
  if ((event.type === 'ORG_SETTINGS' && /ORG_UNIT/.test(name)) || /^(CREATE|EDIT|MOVE|REMOVE|DELETE)_ORG_UNIT/.test(name)) {
    into.orgUnits = true;
    acted = true;
  }
  return acted;
}

/**
 * Incremental read (G-2): the audit logs since well before the last read say who, which groups
 * and whether the org unit tree changed; only those are read again. An event is taken into
 * account once, however late Google shows it (within googleEventLagMs).
 */
export async function readChangesSince(clients: GoogleClients, cursor: ChangeCursor, domains: ReadonlySet<string>, backoff?: BackoffOptions, now = new Date()): Promise<GoogleChanges> {
  const startTime = new Date(Math.min(new Date(cursor.time).getTime(), now.getTime()) - googleEventLagMs).toISOString();
  const seen = new Set(cursor.seen);
  const wanted: Wanted = { users: new Set(), groups: new Set(), orgUnits: false };
  const nowSeen: string[] = [];
  let events = 0;
  for (const applicationName of changeLogs) {
    let pageToken: string | undefined;
    do {
      const { data } = await withBackoff(
        () => clients.reports.activities.list({ userKey: 'all', applicationName, startTime, maxResults: 1000, ...(pageToken ? { pageToken } : {}) }),
        backoff,
      );
      for (const activity of data.items ?? []) {
        const time = activity.id?.time ?? '';
        const id = `${time}|${applicationName}|${activity.id?.uniqueQualifier}`;
        if (seen.has(id)) {
          nowSeen.push(id);
          continue;
        }
        let acted = false;
        for (const event of activity.events ?? []) {
          if (want(applicationName, event, wanted)) {
            acted = true;
            events++;
          }
        }
        // Only the events acted on are remembered: the others change nothing if read again.
        if (acted) nowSeen.push(id);
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
  }

  const users = new Map<string, GoogleUser | null>();
  for (const email of wanted.users) users.set(email, await readUser(clients, email, backoff));
  const groups = new Map<string, GoogleGroup | null>();
  for (const email of wanted.groups) groups.set(email, await readGroup(clients, email, domains, backoff));
  return {
    users,
    groups,
    orgUnits: wanted.orgUnits ? await readOrgUnits(clients, backoff) : null,
    // Events older than the next read's window will not be listed again, so need not be remembered.
    cursor: { time: now.toISOString(), seen: nowSeen.filter((id) => id.split('|')[0]! >= new Date(now.getTime() - googleEventLagMs).toISOString()) },
    events,
  };
}

/** One group and its members by address (a former address answers too); null when it is gone. */
async function readGroup(clients: GoogleClients, email: string, domains: ReadonlySet<string>, backoff?: BackoffOptions): Promise<GoogleGroup | null> {
  try {
    const { data } = await withBackoff(() => clients.directory.groups.get({ groupKey: email }), backoff);
    const members = await readGroupMembers(clients, data.id!, domains, backoff);
    return members ? toGoogleGroup(data, members) : null;
  } catch (err) {
    if ((err as { response?: { status?: number } }).response?.status !== 404) throw err;
    return null;
  }
}
