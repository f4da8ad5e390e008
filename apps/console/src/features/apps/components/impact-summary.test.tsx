import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Impact } from '@autoprov/contract';
import { ImpactSummary, impactSentence, levelLabelOf } from './impact-summary';

const now = '2026-11-25T10:00:00.000Z';
const none = { count: 0, users: [] };
const person = (i: number) => ({ email: `user${i}@example.com`, name: `User ${i}` });
const impact = (patch: Partial<Impact>): Impact => ({
  now,
  active: true,
  provisioned: none,
  deprovisioned: none,
  accessLevelChanged: none,
  timersMoved: none,
  timersCancelled: none,
  ...patch,
});
const levels = levelLabelOf([
  { value: 'organizer', label: 'GoToMeeting Organizer' },
  { value: 'admin', label: 'GoToMeeting Admin' },
]);

describe('the impact of a change (M-6)', () => {
  it('gives the count, the first users by name, and how many more', () => {
    const users = Array.from({ length: 50 }, (_, i) => ({ ...person(i), reactivated: false }));
    render(<ImpactSummary impact={impact({ provisioned: { count: 180, users } })} appName="GoToMeeting" levelLabel={levels} />);
    expect(screen.getByRole('heading', { name: '180 users will get an account' })).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Users who will get an account' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(11);
    expect(within(list).getByText('and 170 more')).toBeTruthy();
    expect(within(list).getByText('user0@example.com')).toBeTruthy();
  });

  it('says when a delay fires, "at the next sync" when it is due, and access levels by their labels', () => {
    render(
      <ImpactSummary
        impact={impact({
          deprovisioned: { count: 1, users: [{ ...person(1), trigger: 'app_off', action: 'delete', at: now }] },
          accessLevelChanged: { count: 1, users: [{ ...person(2), from: 'admin', to: 'organizer' }] },
        })}
        appName="GoToMeeting"
        levelLabel={levels}
      />,
    );
    expect(screen.getByRole('list', { name: 'Users who will start a deprovisioning delay' }).textContent).toContain('deleted at the next sync');
    expect(screen.getByRole('list', { name: 'Users who will change access level' }).textContent).toContain('GoToMeeting Admin → GoToMeeting Organizer');
  });

  it('says when nothing changes, and when provisioning is off', () => {
    render(<ImpactSummary impact={impact({ active: false })} appName="GoToMeeting" levelLabel={levels} />);
    expect(screen.getByText("Nobody's GoToMeeting account changes.")).toBeTruthy();
    expect(screen.getByText(/Provisioning is off for GoToMeeting/)).toBeTruthy();
    expect(impactSentence(impact({}))).toBe('No account changes.');
    expect(impactSentence(impact({ deprovisioned: { count: 2, users: [] }, timersMoved: { count: 1, users: [] } }))).toBe(
      '2 users start a deprovisioning delay, 1 pending timer moved.',
    );
  });
});
