import { expect, test, type Page } from '@playwright/test';
import { expectNothingSerious, expectPageWorks } from '../support/page-checks.js';
import { e2eServer } from '../support/server-config.js';

// Issue 10: the 1440 px journeys (settings-impact, settings-at-a-glance, wizard-and-report) walked at
// 390×844. Runs last (project `phone`), on what the journeys before it left: GoToMeeting configured
// by the Google journey (scope: Google hosts), the read-only admin of read-only.spec. Every change is
// opened, read and cancelled: nothing here is saved. L-3 at 390 px is in wizard-and-report.spec.ts,
// where a live report with several pages exists (a deleted configuration's report has no filters).
const phone = { width: 390, height: 844 };

test.use({ viewport: phone, storageState: e2eServer.superAdminState });

/** The groups in the scope, as their "Remove …" buttons name them. */
async function scopeGroups(page: Page) {
  return (await page.getByRole('button', { name: /^Remove / }).allInnerTexts()).map((t) => t.replace(/^Remove\s*/, '').trim());
}

/** The app page, configured (the Google journey leaves GoToMeeting set up and on). */
async function openAppPage(page: Page) {
  await page.goto('/apps/gotomeeting');
  await expect(page.getByRole('heading', { level: 1, name: 'GoToMeeting' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Configure scope' })).toBeVisible();
}

// SPEC M-6 (impact first), M-1 (edit scope).
test('M-1/M-6: a scope change shows its impact, readable on a phone, and Cancel changes nothing', async ({ page }) => {
  await openAppPage(page);
  await page.getByRole('link', { name: 'Configure scope' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Provisioning scope for GoToMeeting' })).toBeVisible();
  const before = await scopeGroups(page);
  expect(before.length).toBeGreaterThan(0);

  // Removing the first group moves accounts (its members leave, or an empty scope takes everyone in).
  await page.getByRole('button', { name: `Remove ${before[0]}` }).click();
  await page.getByRole('button', { name: 'Update' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update the scope of GoToMeeting?' });
  await expect(dialog).toBeVisible();
  const counts = dialog.getByRole('heading', { name: /^\d+ users? will (get an account|start a deprovisioning delay|change access level)$/ });
  await expect(counts.first()).toBeVisible();
  const people = dialog.getByRole('list', { name: /^Users who will / }).first().getByRole('listitem');
  await expect(people.first()).toContainText(/\S+@\S+/);
  await expect(dialog.getByRole('button', { name: 'Update scope' })).toBeVisible();
  await expectNothingSerious(page, phone.width);
  await page.screenshot({ path: test.info().outputPath('scope-impact.png') });

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'GoToMeeting' })).toBeVisible();
  await page.getByRole('link', { name: 'Configure scope' }).click();
  await expect(page.getByRole('button', { name: `Remove ${before[0]}` })).toBeVisible();
  expect(await scopeGroups(page)).toEqual(before);
});

// SPEC M-6, M-2 (edit deprovisioning).
test('M-2/M-6: a new delay says which timers move (or that nothing changes), and Cancel keeps the old one', async ({ page }) => {
  await openAppPage(page);
  const pending = Number((await page.getByText('Pending deprovisioning', { exact: true }).locator('xpath=following-sibling::dd[1]').innerText()).replace(/\D/g, ''));
  await page.getByRole('link', { name: 'Configure deprovisioning' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Deprovisioning for GoToMeeting' })).toBeVisible();
  const delay = page.locator('#app_off-delay');
  const was = await delay.inputValue();
  const other = (await delay.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).find((v) => v !== was)!;
  await delay.selectOption(other);
  await page.getByRole('button', { name: 'Update' }).click();
  const dialog = page.getByRole('dialog', { name: 'Update deprovisioning for GoToMeeting?' });
  await expect(dialog).toBeVisible();
  if (pending === 0) {
    // No timer is running: the preview says so rather than showing an empty list.
    await expect(dialog.getByText("Nobody's GoToMeeting account changes.")).toBeVisible();
    await expect(dialog.getByRole('list', { name: 'Pending timers that move' })).toHaveCount(0);
  } else {
    await expect(dialog.getByRole('heading', { name: /pending timers? moves?$/ }).or(dialog.getByText("Nobody's GoToMeeting account changes."))).toBeVisible();
    const moved = dialog.getByRole('list', { name: 'Pending timers that move' }).getByRole('listitem');
    if ((await moved.count()) > 0) await expect(moved.first()).toContainText(/(suspended|deleted) (on .+|at the next sync) instead of /);
  }
  await expect(dialog.getByRole('button', { name: 'Update deprovisioning' })).toBeVisible();
  await expectNothingSerious(page, phone.width);
  await page.screenshot({ path: test.info().outputPath('deprovisioning-impact.png') });

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('link', { name: 'Configure deprovisioning' }).click();
  await expect(page.locator('#app_off-delay')).toHaveValue(was);
});

// SPEC M-4 (delete the configuration), M-6.
test('M-4/M-6: Delete configuration says who waits for a delay (or that nobody does), and Cancel keeps it', async ({ page }) => {
  await openAppPage(page);
  const pending = Number((await page.getByText('Pending deprovisioning', { exact: true }).locator('xpath=following-sibling::dd[1]').innerText()).replace(/\D/g, ''));
  await page.getByRole('button', { name: 'Delete configuration' }).click();
  const dialog = page.getByRole('dialog', { name: 'Turn off and delete the configuration?' });
  await expect(dialog).toContainText('The sync history and reports are kept in Reports.');
  await expect(dialog.getByText('Counting the pending deprovisioning…')).toHaveCount(0);
  if (pending === 0) {
    await expect(dialog.getByText(/waiting for a deprovisioning delay/)).toHaveCount(0);
  } else {
    await expect(dialog.getByText(pending === 1 ? '1 user is waiting for a deprovisioning delay' : `${pending} users are waiting for a deprovisioning delay`)).toBeVisible();
    await expect(dialog).toContainText('They keep their access.');
  }
  await expect(dialog.getByRole('button', { name: 'Delete', exact: true })).toBeVisible();
  await expectNothingSerious(page, phone.width);
  await page.screenshot({ path: test.info().outputPath('delete-impact.png') });

  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByRole('link', { name: 'Configure scope' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set up automatic provisioning' })).toHaveCount(0);
});

// SPEC L-5 (settings at a glance), S-1 (a read-only admin reads and changes nothing).
test.describe('a read-only admin', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('L-5/S-1: sees the current settings on a phone, with no control', async ({ page }) => {
    const { email, password, name } = e2eServer.readOnlyAdmin;
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Web and mobile apps' })).toBeVisible();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText(name);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps' }).click();
    await page.getByRole('main').getByRole('link', { name: 'GoToMeeting' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'GoToMeeting' })).toBeVisible();

    const settings = page.getByRole('region', { name: 'Current settings' });
    await expect(settings).toBeVisible();
    await expect(settings.getByText(`${e2eServer.demoApp.url}/scim/v2/accounts/${e2eServer.demoApp.accountKey}`, { exact: true })).toBeVisible();
    await expect(settings.getByRole('table', { name: 'Attribute mapping' }).getByRole('row', { name: /^User name \(required\) Primary e-mail$/ })).toBeVisible();
    await expect(settings.getByRole('table', { name: 'Scope' }).getByRole('row').nth(1)).toBeVisible();
    await expect(settings.getByRole('table', { name: 'Deprovisioning' }).getByRole('row', { name: /When the app is turned off for a user/ })).toBeVisible();

    // Reading only: nothing to press or change, in the settings nor anywhere on the page.
    await expect(settings.getByRole('button')).toHaveCount(0);
    await expect(settings.getByRole('link')).toHaveCount(0);
    await expect(page.getByRole('switch')).toHaveCount(0);
    await expect(page.getByRole('link', { name: /Configure|Edit|Continue the setup/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Delete configuration|Sync now|Dry run/ })).toHaveCount(0);
    await expectPageWorks(page, phone.width);
    await page.screenshot({ path: test.info().outputPath('read-only-app-page.png'), fullPage: true });
  });
});

// SPEC W-5: "Search groups" by keyboard on a phone; leaving without saving keeps the scope.
test('W-5: the keyboard path through "Search groups" on a phone', async ({ page }) => {
  await openAppPage(page);
  await page.getByRole('link', { name: 'Configure scope' }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Provisioning scope for GoToMeeting' });
  await expect(heading).toBeVisible();
  const editor = page.url();
  const before = await scopeGroups(page);

  // A group not in the scope yet, found by its first letters. When every group is in it (the Google
  // directory has one), one is taken out first, by mouse, and picked back by keyboard.
  const { items } = (await (await page.request.get('/api/directory/groups')).json()) as { items: { name: string }[] };
  let wanted = items.find((g) => !before.includes(g.name))?.name;
  if (!wanted) {
    wanted = before.at(-1)!;
    await page.getByRole('button', { name: `Remove ${wanted}` }).click();
    await expect(page.getByRole('button', { name: `Remove ${wanted}` })).toHaveCount(0);
  }
  const search = page.getByRole('combobox', { name: 'Search groups' });
  await search.focus();
  await page.keyboard.type(wanted.slice(0, 3));
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  const highlighted = page.locator(`[id="${await search.getAttribute('aria-activedescendant')}"]`);
  const picked = (await highlighted.locator('span').first().textContent())!;
  await page.keyboard.press('Enter');
  const remove = page.getByRole('button', { name: `Remove ${picked}` });
  await expect(remove).toBeVisible();
  // Enter picked; it did not submit the form (no impact dialog, same page).
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(heading).toBeVisible();
  expect(page.url()).toBe(editor);
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();
  await expectPageWorks(page, phone.width);
  await page.screenshot({ path: test.info().outputPath('scope-by-keyboard.png'), fullPage: true });

  // Removed again by keyboard: the focus goes to the row that took its place, or the one before, never lost.
  await remove.press('Enter');
  await expect(remove).toHaveCount(0);
  const focused = page.locator(':focus');
  await expect(focused).toHaveCount(1);
  const focusName = (await focused.getAttribute('aria-label')) ?? (await focused.innerText());
  expect(/^Remove\s/.test(focusName.trim()) || (await search.evaluate((el) => el === document.activeElement))).toBe(true);
  // With no group left, the search takes the focus back, and the editor says who would be in scope.
  if ((await scopeGroups(page)).length === 0) {
    await expect(search).toBeFocused();
    await expect(page.getByText('No group chosen: every user for whom the app is ON is in scope.')).toBeVisible();
  }
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Leave without saving: the scope is as it was.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'GoToMeeting' })).toBeVisible();
  await page.getByRole('link', { name: 'Configure scope' }).click();
  expect(await scopeGroups(page)).toEqual(before);
});
