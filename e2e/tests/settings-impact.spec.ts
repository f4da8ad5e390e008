import { expect, test, type Locator, type Page } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';
import { idpCertificate } from '../support/idp-certificate.js';

const { demoApp } = e2eServer;
/** The provisioning journey changes the demo app's admin password (M-5); run alone, it is the first one. */
const demoAppPasswords = [demoApp.adminPassword, 'a brand new password'];

test.use({ storageState: e2eServer.superAdminState, viewport: { width: 1440, height: 900 } });

/** Signs in on the demo app's sign-in form in front of us, with whichever admin password is current. */
async function signInToDemoApp(page: Page, signedIn: Locator) {
  for (const password of demoAppPasswords) {
    await page.getByLabel('E-mail').fill(demoApp.adminEmail);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    if (await signedIn.isVisible({ timeout: 3_000 }).catch(() => false)) return;
  }
  await expect(signedIn).toBeVisible();
}

/** The demo app's Admin Center in its own tab: the accounts GoToMeeting really holds. */
async function openDemoApp(page: Page) {
  const app = await page.context().newPage();
  await app.goto(`${demoApp.url}/admin`);
  const users = app.getByRole('heading', { name: /^Users \(/ });
  if (!(await users.isVisible())) await signInToDemoApp(app, users);
  return app;
}

/** The demo app's status of each listed account, by e-mail. */
async function statusesInApp(app: Page) {
  await app.goto(`${demoApp.url}/admin`);
  const rows = await app.getByRole('row').allInnerTexts();
  return new Map(rows.slice(1).map((r) => r.split('\t')).map((cells) => [cells[1]!.trim(), cells[2]!.trim()]));
}

/** The e-mail addresses a preview lists under `label`. */
async function listed(dialog: Locator, label: string) {
  const items = await dialog.getByRole('list', { name: label }).getByRole('listitem').allInnerTexts();
  return items.map((t) => /\S+@\S+/.exec(t)?.[0] ?? t).filter((t) => t.includes('@'));
}

/** Dates as the console shows them ("on …"), per listed e-mail. */
async function datesListed(dialog: Locator, label: string) {
  const items = await dialog.getByRole('list', { name: label }).getByRole('listitem').allInnerTexts();
  return new Map(items.map((t) => [/\S+@\S+/.exec(t)?.[0] ?? '', /— (?:suspended|deleted) on (.+?)(?: instead of .*)?$/.exec(t)?.[1] ?? '']));
}

// SPEC M-6 (impact first), M-1 (edit scope), M-2 (edit deprovisioning), M-4 (delete the configuration).
test('every change to live accounts shows its impact first, then says what was done', async ({ page }) => {
  test.setTimeout(150_000);

  // GoToMeeting with Finance (Organizer) and Managers (Admin) in scope, turned off → suspended after 7 days.
  await page.goto('/apps/gotomeeting');
  if (await page.getByRole('link', { name: 'Configure SSO' }).isVisible()) {
    await page.getByRole('link', { name: 'Configure SSO' }).click();
    await page.getByLabel('Entity ID').fill('https://sso.example.com/gotomeeting');
    await page.getByLabel('Sign-in URL').fill('https://sso.example.com/saml');
    await page.getByLabel('IdP certificate').fill(idpCertificate);
    await page.getByRole('button', { name: 'Save' }).click();
  }
  await page.getByRole('button', { name: 'Set up automatic provisioning' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Authorize in GoToMeeting' }).click();
  await signInToDemoApp(page, page.getByRole('heading', { name: 'Allow autoprov to manage users?' }));
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/What .+@example\.com would become in GoToMeeting/)).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Search groups').fill('fin');
  await page.getByRole('option', { name: /^Finance / }).click();
  await page.getByLabel('Search groups').fill('man');
  await page.getByRole('option', { name: /^Managers / }).click();
  await page.getByLabel('Access level for Managers').selectOption({ label: 'GoToMeeting Admin' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.locator('#app_off-delay').selectOption({ label: 'After 7 days' });
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('switch', { name: 'Provisioning' }).click();
  await page.getByRole('dialog', { name: 'Activate provisioning for GoToMeeting?' }).getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText('Provisioning for GoToMeeting is on: the first sync has started.')).toBeVisible();
  await expect(page.getByText(/Sync succeeded: \d+ (created|updated|adopted)/)).toBeVisible({ timeout: 30_000 });
  const accounts = Number((await page.getByText('Accounts managed', { exact: true }).locator('xpath=following-sibling::dd[1]').innerText()).replace(/\D/g, ''));
  expect(accounts).toBeGreaterThanOrEqual(24);

  // M-1: removing Managers names who starts a deprovisioning delay, and when it fires, before anything is saved.
  await page.getByRole('link', { name: 'Configure scope' }).click();
  await page.getByRole('button', { name: 'Remove Managers' }).click();
  await page.getByRole('button', { name: 'Update' }).click();
  const scopeDialog = page.getByRole('dialog', { name: 'Update the scope of GoToMeeting?' });
  // Managers: the 4 people at the top of the demo organisation and 3 each in Engineering and Sales.
  await expect(scopeDialog.getByRole('heading', { name: '10 users will start a deprovisioning delay' })).toBeVisible();
  const leaving = await listed(scopeDialog, 'Users who will start a deprovisioning delay');
  expect(leaving).toHaveLength(10);
  const firstDue = (await datesListed(scopeDialog, 'Users who will start a deprovisioning delay')).get(leaving[0]!)!;
  await expect(scopeDialog.getByRole('list', { name: 'Users who will start a deprovisioning delay' })).toContainText(`suspended on ${firstDue}`);
  await expect(scopeDialog.getByRole('heading', { name: /will get an account/ })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('scope-impact.png') });
  await scopeDialog.getByRole('button', { name: 'Update scope' }).click();
  await expect(page.getByText('Scope of GoToMeeting updated. 10 users start a deprovisioning delay.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'GoToMeeting', level: 1 })).toBeVisible();
  await expect(page.getByText('Pending deprovisioning', { exact: true }).locator('xpath=following-sibling::dd[1]')).toHaveText('10 users', { timeout: 20_000 });

  // M-1: emptying the scope says, before it is applied, that everyone gets an account; cancelled here.
  await page.getByRole('link', { name: 'Configure scope' }).click();
  await page.getByRole('button', { name: 'Remove Finance' }).click();
  await page.getByRole('button', { name: 'Update' }).click();
  const emptyDialog = page.getByRole('dialog', { name: 'Update the scope of GoToMeeting?' });
  const everyone = emptyDialog.getByRole('heading', { name: /^\d+ users will get an account$/ });
  await expect(everyone).toBeVisible();
  const newcomers = Number(/^(\d+)/.exec(await everyone.innerText())![1]);
  expect(newcomers).toBeGreaterThan(150);
  await expect(emptyDialog.getByRole('list', { name: 'Users who will get an account' }).getByRole('listitem')).toHaveCount(11);
  await expect(emptyDialog.getByText(`and ${newcomers - 10} more`)).toBeVisible();
  await expect(emptyDialog.getByRole('heading', { name: '10 pending timers are cancelled: they keep their access' })).toBeVisible();
  await emptyDialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Pending deprovisioning', { exact: true }).locator('xpath=following-sibling::dd[1]')).toHaveText('10 users');

  // M-2: a shorter delay says which timers move, and to when; then the new delays are the ones pending.
  await page.getByRole('link', { name: 'Configure deprovisioning' }).click();
  await page.locator('#app_off-delay').selectOption({ label: 'After 1 day' });
  await page.getByRole('button', { name: 'Update' }).click();
  const delayDialog = page.getByRole('dialog', { name: 'Update deprovisioning for GoToMeeting?' });
  await expect(delayDialog.getByRole('heading', { name: '10 pending timers move' })).toBeVisible();
  const moved = await datesListed(delayDialog, 'Pending timers that move');
  expect([...moved.keys()].sort()).toEqual([...leaving].sort());
  // The preview said "in 7 days" when it was made; the timer started at the sync a moment later: same day.
  const dayOf = (shown: string) => shown.split(',')[0]!;
  await expect(delayDialog.getByRole('list', { name: 'Pending timers that move' })).toContainText(
    `suspended on ${moved.get(leaving[0]!)} instead of ${dayOf(firstDue)}`,
  );
  expect(dayOf(moved.get(leaving[0]!)!)).not.toBe(dayOf(firstDue));
  await page.screenshot({ path: test.info().outputPath('deprovisioning-impact.png') });
  await delayDialog.getByRole('button', { name: 'Update deprovisioning' }).click();
  await expect(page.getByText('Deprovisioning for GoToMeeting updated. 10 pending timers moved.')).toBeVisible();

  // SPEC §1 availability: turning GoToMeeting OFF for /Finance says who would start a delay (1 day now); cancelled here.
  const finance = page.getByLabel('Availability for /Finance');
  await finance.selectOption({ label: 'OFF' });
  const offDialog = page.getByRole('dialog', { name: 'Availability of GoToMeeting for /Finance: OFF?' });
  const financeLeaving = offDialog.getByRole('heading', { name: /^\d+ users will start a deprovisioning delay$/ });
  await expect(financeLeaving).toBeVisible();
  expect(Number(/^(\d+)/.exec(await financeLeaving.innerText())![1])).toBeGreaterThanOrEqual(14);
  const financeListed = await listed(offDialog, 'Users who will start a deprovisioning delay');
  expect(financeListed.filter((e) => leaving.includes(e))).toEqual([]);
  await offDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(finance).toHaveValue('inherit');

  // M-4: the deletion says who is waiting for a delay, with the new due dates, and that they would keep their access.
  const app = await openDemoApp(page);
  const before = await statusesInApp(app);
  await page.getByRole('button', { name: 'Delete configuration' }).click();
  const deleteDialog = page.getByRole('dialog', { name: 'Turn off and delete the configuration?' });
  await expect(deleteDialog.getByText('10 users are waiting for a deprovisioning delay')).toBeVisible();
  await expect(deleteDialog).toContainText('They keep their access.');
  const waiting = await datesListed(deleteDialog, 'Users waiting for a deprovisioning delay');
  expect(waiting).toEqual(moved);
  await page.screenshot({ path: test.info().outputPath('delete-impact.png') });
  await deleteDialog.getByRole('button', { name: 'Carry them out first' }).click();
  await expect(page.getByText(/Carrying out the pending deprovisioning of 10 users now/)).toBeVisible();
  // E-14 still stands: 10 of the accounts at once waits for a super-admin.
  await expect(page.getByText(new RegExp(`would suspend or delete 10 of ${accounts} accounts`)).first()).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Allow the run' }).click();
  await page.getByRole('dialog', { name: 'Allow the held run?' }).getByRole('button', { name: 'Allow the run' }).click();
  await expect(page.getByText('Pending deprovisioning', { exact: true }).locator('xpath=following-sibling::dd[1]')).toHaveText('0 users', { timeout: 20_000 });

  // The demo app: exactly the 10 people the previews named are suspended, nobody else changed.
  const after = await statusesInApp(app);
  for (const email of leaving) expect(after.get(email)).toBe('Suspended');
  const changed = [...after].filter(([email, status]) => before.get(email) !== status).map(([email]) => email);
  expect(changed.sort()).toEqual([...leaving].sort());

  // Nobody waits any more: the deletion says only what it does, and then that it was done.
  await page.getByRole('button', { name: 'Delete configuration' }).click();
  await expect(deleteDialog).toContainText('The sync history and reports are kept in Reports.');
  await expect(deleteDialog.getByText(/waiting for a deprovisioning delay/)).toHaveCount(0);
  await deleteDialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('The GoToMeeting configuration was deleted. Its accounts were left in the app; its sync history is kept in Reports.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set up automatic provisioning' })).toBeVisible();
  expect((await statusesInApp(app)).size).toBe(after.size);

  // M-6: the deleted configuration's sync history and reports are reachable from Reports.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('link', { name: 'Deleted configurations' }).click();
  await page.getByRole('table', { name: 'Deleted configurations' }).getByRole('link', { name: /GoToMeeting/ }).first().click();
  const runs = page.getByRole('table', { name: 'Sync runs' });
  await expect(runs.getByRole('row').filter({ hasText: '10 suspended' })).toHaveCount(1);
  await runs.getByRole('row').filter({ hasText: '10 suspended' }).getByRole('link', { name: /Report/ }).click();
  const lines = page.getByRole('table', { name: 'Report lines' });
  for (const email of leaving) await expect(lines.getByRole('row', { name: new RegExp(email.replace(/[.+]/g, '\\$&')) })).toContainText('Suspended');
  await app.close();
});
