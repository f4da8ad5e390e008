import type { Impact } from '@autoprov/contract';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { formatTime } from '../../../lib/labels';

/** Shown per kind of change before "and N more". */
const shownAtMost = 10;

type Person = { email: string; name: string | null };

/** "in 7 days, on …" — or "at the next sync" for a timer already due. */
export function whenText(at: string, now: string) {
  return Date.parse(at) <= Date.parse(now) ? 'at the next sync' : `on ${formatTime(at)}`;
}

const people = (n: number) => (n === 1 ? '1 user' : `${n.toLocaleString()} users`);
const timers = (n: number) => (n === 1 ? '1 pending timer' : `${n.toLocaleString()} pending timers`);

/** The users a change concerns, the first few by name, then how many more. */
export function PeopleList<T extends Person>({ label, list, detail }: { label: string; list: { count: number; users: T[] }; detail?: (u: T) => string }) {
  const shown = list.users.slice(0, shownAtMost);
  const more = list.count - shown.length;
  return (
    <ul className="impact-people" aria-label={label}>
      {shown.map((u) => (
        <li key={u.email}>
          {u.name ? `${u.name} ` : null}
          <span className="muted">{u.email}</span>
          {detail ? ` — ${detail(u)}` : null}
        </li>
      ))}
      {more > 0 ? <li className="muted">and {more.toLocaleString()} more</li> : null}
    </ul>
  );
}

const actionVerb = { suspend: 'suspended', delete: 'deleted' } as const;

/**
 * M-6: what a change would do to live accounts, from the dry run's planner — counts, then the
 * users concerned.
 */
export function ImpactSummary({ impact, appName, levelLabel }: { impact: Impact; appName: string; levelLabel: (value: string | null) => string }) {
  const { provisioned, deprovisioned, accessLevelChanged, timersMoved, timersCancelled, now } = impact;
  const nothing = [provisioned, deprovisioned, accessLevelChanged, timersMoved, timersCancelled].every((l) => l.count === 0);
  return (
    <div className="impact stack" aria-label="Impact of this change">
      {!impact.active ? <p className="notice">Provisioning is off for {appName}: this happens when it is turned on again.</p> : null}
      {nothing ? <p>Nobody's {appName} account changes.</p> : null}
      {provisioned.count > 0 ? (
        <section>
          <h3>{people(provisioned.count)} will get an account</h3>
          <PeopleList label="Users who will get an account" list={provisioned} detail={(u) => (u.reactivated ? 'their suspended account is restored' : 'a new account')} />
        </section>
      ) : null}
      {deprovisioned.count > 0 ? (
        <section>
          <h3>{people(deprovisioned.count)} will start a deprovisioning delay</h3>
          <PeopleList label="Users who will start a deprovisioning delay" list={deprovisioned} detail={(u) => `${actionVerb[u.action]} ${whenText(u.at, now)}`} />
        </section>
      ) : null}
      {accessLevelChanged.count > 0 ? (
        <section>
          <h3>{people(accessLevelChanged.count)} will change access level</h3>
          <PeopleList label="Users who will change access level" list={accessLevelChanged} detail={(u) => `${levelLabel(u.from)} → ${levelLabel(u.to)}`} />
        </section>
      ) : null}
      {timersMoved.count > 0 ? (
        <section>
          <h3>{timersMoved.count === 1 ? '1 pending timer moves' : `${timers(timersMoved.count)} move`}</h3>
          <PeopleList
            label="Pending timers that move"
            list={timersMoved}
            detail={(u) => `${actionVerb[u.action]} ${whenText(u.to, now)} instead of ${formatTime(u.from)}`}
          />
        </section>
      ) : null}
      {timersCancelled.count > 0 ? (
        <section>
          <h3>
            {timersCancelled.count === 1 ? '1 pending timer is cancelled' : `${timers(timersCancelled.count)} are cancelled`}: they keep their access
          </h3>
          <PeopleList label="Pending timers that are cancelled" list={timersCancelled} detail={(u) => `was due ${formatTime(u.dueAt)}`} />
        </section>
      ) : null}
    </div>
  );
}

/** One sentence for the confirmation message after the change (M-6: say what was done). */
export function impactSentence(impact: Impact): string {
  const parts = [
    impact.provisioned.count ? `${people(impact.provisioned.count)} get an account` : null,
    impact.deprovisioned.count ? `${people(impact.deprovisioned.count)} start a deprovisioning delay` : null,
    impact.accessLevelChanged.count ? `${people(impact.accessLevelChanged.count)} change access level` : null,
    impact.timersMoved.count ? `${timers(impact.timersMoved.count)} moved` : null,
    impact.timersCancelled.count ? `${timers(impact.timersCancelled.count)} cancelled` : null,
  ].filter(Boolean);
  return parts.length ? `${parts.join(', ')}.` : 'No account changes.';
}

interface ImpactDialogProps {
  title: string;
  impact: Impact | null;
  appName: string;
  levelLabel: (value: string | null) => string;
  confirmLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}

/** The impact of a change, before it is applied: "Cancel" or apply it (M-6). */
export function ImpactDialog({ title, impact, appName, levelLabel, confirmLabel, pending, onConfirm, onClose }: ImpactDialogProps) {
  const takesAccess = impact !== null && impact.deprovisioned.count > 0;
  return (
    <ConfirmDialog
      open={impact !== null}
      title={title}
      message={impact ? <ImpactSummary impact={impact} appName={appName} levelLabel={levelLabel} /> : null}
      confirmLabel={confirmLabel}
      danger={takesAccess}
      pending={pending}
      onConfirm={onConfirm}
      onClose={onClose}
    />
  );
}

/** An access level's label in this app (the value itself if the app does not know it). */
export const levelLabelOf =
  (levels: { value: string; label: string }[]) =>
  (value: string | null): string =>
    value === null ? 'none' : (levels.find((l) => l.value === value)?.label ?? value);
