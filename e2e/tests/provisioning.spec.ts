import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { parse } from 'csv-parse/sync';
import { expect, test, type Page } from '@playwright/test';
import { idpCertificate } from '../support/idp-certificate.js';
import { e2eServer } from '../support/server-config.js';

const { demoApp } = e2eServer;
const readOnly = { name: 'Olga Observer', email: 'olga@example.com', password: 'looking but never touching' };

test.use({ storageState: e2eServer.superAdminState });

/** The demo app's Admin Center, in its own tab: what an admin of the app sees. */
async function openDemoApp(page: Page) {
  const app = await page.context().newPage();
  await app.goto(`${demoApp.url}/admin`);
  if (await app.getByRole('heading', { name: 'Admin Center sign-in' }).isVisible()) {
    await app.getByLabel('E-mail').fill(demoApp.adminEmail);
    await app.getByLabel('Password').fill(demoApp.adminPassword);
    await app.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(app.getByRole('heading', { name: /^Users \(/ })).toBeVisible();
  return app;
}

/** Reloads the app's user list until the row for `email` says what is expected (within seconds, E-11). */
async function expectInApp(app: Page, email: string, text: RegExp | string | null) {
  await expect(async () => {
    await app.goto(`${demoApp.url}/admin`);
    const row = app.getByRole('row', { name: new RegExp(email.replace(/[.+]/g, '\\$&')) });
    if (text === null) await expect(row).toHaveCount(0, { timeout: 500 });
    else await expect(row).toContainText(text, { timeout: 500 });
  }).toPass({ timeout: 20_000, intervals: [250, 500, 1000] });
}

async function noAccessibilityViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function addUserToGroup(page: Page, user: { given: string; family: string; email: string; unit: string }, group: string) {
  await page.goto('/directory/users/new');
  await page.getByLabel('First name').fill(user.given);
  await page.getByLabel('Last name').fill(user.family);
  await page.getByLabel('Primary e-mail').fill(user.email);
  await page.getByLabel(/org(anisational)? unit/i).selectOption({ label: user.unit });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: `${user.given} ${user.family}` })).toBeVisible();
  await page.goto('/directory/groups');
  await page.getByRole('link', { name: group, exact: true }).click();
  await page.getByRole('button', { name: 'Add member' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Search users').fill(user.email);
  await dialog.getByRole('option', { name: new RegExp(user.email.replace(/[.+]/g, '\\$&')) }).click();
  await dialog.getByRole('button', { name: 'Add member' }).click();
  await expect(page.getByRole('row', { name: new RegExp(user.email.replace(/[.+]/g, '\\$&')) })).toBeVisible();
}

async function openUser(page: Page, email: string) {
  await page.goto('/directory/users');
  await page.getByRole('searchbox').fill(email);
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('row').nth(1).getByRole('link').first().click();
}

// SPEC §2 W-1…W-8, §3 M-3…M-5, L-4, L-5: the whole path of issue 4, against the built-in demo app.
test('a super-admin sets up GoToMeeting with the wizard, and directory changes reach the app', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  let shot = 0;
  const screenshot = async (name: string) => page.screenshot({ path: testInfo.outputPath(`${String(++shot).padStart(2, '0')}-${name}.png`), fullPage: true });

  // A read-only admin, to look at the configured app later.
  await page.goto('/admins');
  await page.getByRole('button', { name: 'Add admin' }).click();
  const addAdmin = page.getByRole('dialog');
  await addAdmin.getByLabel('Name').fill(readOnly.name);
  await addAdmin.getByLabel('E-mail').fill(readOnly.email);
  await addAdmin.getByLabel('Role').selectOption({ label: 'Read-only admin' });
  await addAdmin.getByLabel('Password').fill(readOnly.password);
  await addAdmin.getByRole('button', { name: 'Add admin' }).click();
  await expect(page.getByRole('row', { name: new RegExp(readOnly.email) })).toBeVisible();

  // The catalog.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps' }).click();
  await expect(page.getByRole('heading', { name: 'Web and mobile apps' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Workleap/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /Custom SCIM 2\.0 app/ })).toBeVisible();
  await page.getByRole('link', { name: 'GoToMeeting' }).click();

  // W-1: SSO first.
  await expect(page.getByRole('button', { name: 'Set up automatic provisioning' })).toBeDisabled();
  await page.getByRole('link', { name: 'Configure SSO' }).click();
  await page.getByLabel('Entity ID').fill('https://sso.example.com/gotomeeting');
  await page.getByLabel('Sign-in URL').fill('not a url');
  await page.getByLabel('IdP certificate').fill(idpCertificate);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Enter a full URL, starting with https://')).toBeVisible();
  await page.getByLabel('Sign-in URL').fill('https://sso.example.com/saml');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('button', { name: 'Set up automatic provisioning' }).click();

  await expect(page.getByRole('heading', { name: 'Step 1 of 7: Prerequisite' })).toBeVisible();
  await noAccessibilityViolations(page);
  await screenshot('prerequisite');
  await page.getByRole('button', { name: 'Continue' }).click();

  // W-2: the demo app's own sign-in and consent pages, and back.
  await expect(page.getByRole('heading', { name: 'Step 2 of 7: Authorize' })).toBeVisible();
  await noAccessibilityViolations(page);
  await screenshot('authorize');
  await page.getByRole('button', { name: 'Authorize in GoToMeeting' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to GoToMeeting' })).toBeVisible();
  expect(page.url()).toContain(demoApp.url);
  await page.getByLabel('E-mail').fill(demoApp.adminEmail);
  await page.getByLabel('Password').fill(demoApp.adminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Allow autoprov to manage users?' })).toBeVisible();
  await page.getByRole('button', { name: 'Allow' }).click();

  // W-3: back in the wizard; the placeholder and a wrong key are refused in words.
  await expect(page.getByRole('heading', { name: 'Step 3 of 7: Endpoint URL' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Authorized: GoToMeeting allowed autoprov to manage its accounts.' })).toBeVisible();
  await noAccessibilityViolations(page);
  const endpoint = page.getByRole('textbox', { name: 'Endpoint URL' });
  await expect(endpoint).toHaveValue(`${demoApp.url}/scim/v2/accounts/{AccountKey}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/Replace \{AccountKey\} with your value/)).toBeVisible();
  await endpoint.fill(`${demoApp.url}/scim/v2/accounts/1111111`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/The app has no account with this key/)).toBeVisible();
  await expect(endpoint).toHaveAttribute('aria-invalid', 'true');
  await endpoint.fill(`${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/^Connected: the app answered as a SCIM 2\.0 service/)).toBeVisible();
  await screenshot('endpoint');
  await page.getByRole('button', { name: 'Continue' }).click();

  // W-4: a required attribute left unmapped is refused; the preview shows a real user.
  await expect(page.getByRole('heading', { name: 'Step 4 of 7: Attribute mapping' })).toBeVisible();
  await noAccessibilityViolations(page);
  await expect(page.getByText(/What .+@example\.com would become in GoToMeeting/)).toBeVisible();
  const lastName = page.getByRole('combobox', { name: 'Last name (required)' });
  await lastName.selectOption('');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Last name is required: map it to a directory attribute')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Step 4 of 7: Attribute mapping' })).toBeVisible();
  await lastName.selectOption({ label: 'Last name' });
  await screenshot('mapping');
  await page.getByRole('button', { name: 'Continue' }).click();

  // W-5: search as you type, two groups with access levels, one removed again.
  await expect(page.getByRole('heading', { name: 'Step 5 of 7: Provisioning scope' })).toBeVisible();
  await expect(page.getByText(/in a secondary domain, are never provisioned/)).toBeVisible();
  const search = page.getByLabel('Search groups');
  await search.fill('fin');
  await page.getByRole('option', { name: /^Finance / }).click();
  await search.fill('man');
  await page.getByRole('option', { name: /^Managers / }).click();
  await search.fill('sal');
  await page.getByRole('option', { name: /^Sales / }).click();
  await page.getByRole('button', { name: 'Remove Sales' }).click();
  await page.getByLabel('Access level for Managers').selectOption({ label: 'GoToMeeting Admin' });
  await noAccessibilityViolations(page);
  await screenshot('scope');
  // Back keeps what was entered.
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('heading', { name: 'Step 4 of 7: Attribute mapping' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel('Access level for Managers')).toHaveValue('admin');
  await expect(page.getByRole('button', { name: 'Remove Finance' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();

  // W-6: a reload loses nothing that was saved.
  await expect(page.getByRole('heading', { name: 'Step 6 of 7: Deprovisioning' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Step 6 of 7: Deprovisioning' })).toBeVisible();
  await expect(page.getByLabel('Delay').nth(1)).toHaveValue('next_sync');
  await page.locator('#deleted-action').selectOption({ label: 'Delete the account in the app' });
  await page.locator('#deleted-delay').selectOption({ label: 'After 7 days' });
  await noAccessibilityViolations(page);
  await screenshot('deprovisioning');
  await page.getByRole('button', { name: 'Continue' }).click();

  // W-7: the summary, saved as a draft.
  await expect(page.getByRole('heading', { name: 'Step 7 of 7: Finish' })).toBeVisible();
  await expect(page.getByText('Managers: GoToMeeting Admin')).toBeVisible();
  await noAccessibilityViolations(page);
  await screenshot('finish');
  await page.getByRole('button', { name: 'Finish' }).click();

  // W-8: nothing reaches the app until the switch and its confirmation.
  await expect(page.getByRole('heading', { name: 'GoToMeeting', level: 1 })).toBeVisible();
  const app = await openDemoApp(page);
  await expect(app.getByRole('heading', { name: 'Users (0)' })).toBeVisible();
  await page.getByRole('switch', { name: 'Provisioning' }).click();
  const activate = page.getByRole('dialog', { name: 'Activate provisioning for GoToMeeting?' });
  await noAccessibilityViolations(page);
  await screenshot('activate');
  await activate.getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByRole('switch', { name: 'Provisioning' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByText(/Sync succeeded: \d+ created/)).toBeVisible({ timeout: 20_000 });
  await screenshot('active');

  // A user added to a scoped group arrives within seconds, with the group's access, and is welcomed.
  const nadia = { given: 'Nadia', family: 'Testeur', email: 'nadia.testeur@example.com', unit: '/Finance' };
  await addUserToGroup(page, nadia, 'Finance');
  await expectInApp(app, nadia.email, /Nadia\s+Testeur.*Active.*GoToMeeting Organizer/s);
  await app.goto(`${demoApp.url}/admin/outbox`);
  await expect(app.getByText(`To: ${nadia.email}`)).toBeVisible();

  // Suspended with "within 24 hours" → suspended in the app; restored → active again.
  await openUser(page, nadia.email);
  await page.getByRole('button', { name: 'Suspend' }).click();
  await page.getByRole('dialog', { name: 'Suspend this user?' }).getByRole('button', { name: 'Suspend' }).click();
  await expectInApp(app, nadia.email, 'Suspended');
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.getByRole('dialog', { name: 'Restore this user?' }).getByRole('button', { name: 'Restore' }).click();
  await expectInApp(app, nadia.email, 'Active');

  // A secondary-domain user in the group is never provisioned (E-2)…
  const omar = { given: 'Omar', family: 'Secondaire', email: 'omar.secondaire@example.org', unit: '/Finance' };
  await addUserToGroup(page, omar, 'Finance');

  // …and a rename made after it arrives (so the run that saw Omar is over).
  await openUser(page, nadia.email);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Last name').fill('Testeur-Martin');
  await page.getByRole('button', { name: 'Save' }).click();
  await expectInApp(app, nadia.email, /Testeur-Martin.*Active/s);
  await expectInApp(app, omar.email, null);

  // M-5: the app's admin changes the password; the console says so; re-authorizing catches up.
  await app.goto(`${demoApp.url}/admin/password`);
  await app.getByLabel('Current password').fill(demoApp.adminPassword);
  await app.getByLabel('New password').fill(demoApp.changedAdminPassword);
  await app.getByRole('button', { name: 'Change password' }).click();
  await expect(app.getByText('Password changed. Every authorization was revoked.')).toBeVisible();
  await openUser(page, nadia.email);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('First name').fill('Nadia-Rose');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.goto('/apps/gotomeeting');
  await expect(page.getByText(/no longer accepts autoprov's authorization/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('heading', { name: /Automatic provisioning/ })).toContainText('Needs re-authorization');
  await screenshot('needs-reauthorization');
  await page.getByRole('button', { name: 'Re-authorize' }).click();
  // The new password revoked the app's sign-in sessions too: the admin signs in again.
  await expect(page.getByRole('heading', { name: 'Sign in to GoToMeeting' })).toBeVisible();
  await page.getByLabel('E-mail').fill(demoApp.adminEmail);
  await page.getByLabel('Password').fill(demoApp.changedAdminPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await expect(page.getByText(/authorized again/)).toBeVisible();
  await expectInApp(app, nadia.email, /Nadia-Rose\s+Testeur-Martin/);

  // L-1, L-3: the app stops accepting example.com addresses; the next user fails with its reason.
  await app.goto(`${demoApp.url}/admin/domains`);
  await app.getByRole('button', { name: 'Remove example.com' }).click();
  await expect(app.getByRole('button', { name: 'Remove example.com' })).toHaveCount(0);
  const lina = { given: 'Lina', family: 'Refusée', email: 'lina.refusee@example.com', unit: '/Finance' };
  await addUserToGroup(page, lina, 'Finance');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Usage log' })).toBeVisible();
  const events = page.getByRole('table', { name: 'Events', exact: true });
  await expect(async () => {
    await page.reload();
    await expect(events.getByRole('row', { name: /lina\.refusee@example\.com/ })).toContainText(/Failures.*example\.com is not a verified domain/s, { timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await noAccessibilityViolations(page);
  await screenshot('usage-log');

  // The CSV has exactly the rows on screen, for any filter.
  const csvRows = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
    const records = parse(readFileSync((await download.path())!, 'utf8'), { bom: true, columns: true }) as Record<string, string>[];
    return records.map((r) => `${r.Event} ${r.User}`);
  };
  const screenRows = async () =>
    (await events.getByRole('row').allInnerTexts()).slice(1).map((t) => {
      const cells = t.split('\t');
      return `${cells[1]} ${cells[3]}`;
    });
  await page.getByLabel('App', { exact: true }).selectOption({ label: 'GoToMeeting' });
  await expect(page).toHaveURL(/app=gotomeeting/);
  const all = await screenRows();
  expect(all.length).toBeGreaterThan(10);
  expect(await csvRows()).toEqual(all);
  await page.getByLabel('Event', { exact: true }).selectOption({ label: 'Failures' });
  await expect(page).toHaveURL(/kind=failure/);
  // Lina, and the run the revoked authorization stopped (M-5): a failure of the whole run, no user.
  await expect(events.getByRole('row')).toHaveCount(3);
  expect(await screenRows()).toEqual([`Failures ${lina.email}`, 'Failures ']);
  await expect(events.getByRole('row').nth(2)).toContainText(/no longer accepts autoprov's authorization.*re-authorize/);
  expect(await csvRows()).toEqual([`Failures ${lina.email}`, 'Failures ']);
  await expect(page.getByRole('listitem').filter({ hasText: 'Failures' })).toContainText('2');

  // The run's report says the same, in the app's own words; filtering by result narrows it.
  await page.goto('/apps/gotomeeting');
  await expect(page.getByRole('heading', { name: 'Sync history' })).toBeVisible();
  await page.getByRole('table', { name: 'Sync runs' }).getByRole('row').filter({ hasText: 'Failed' }).first().getByRole('link', { name: /Report/ }).click();
  await expect(page.getByRole('heading', { name: /Sync report/ })).toBeVisible();
  const lines = page.getByRole('table', { name: 'Report lines' });
  await expect(lines.getByRole('row', { name: /lina\.refusee@example\.com/ })).toContainText('The e-mail domain example.com is not a verified domain of this organisation');
  await page.getByLabel('Result', { exact: true }).selectOption({ label: 'Succeeded' });
  await expect(page.getByText('No line matches these filters.')).toBeVisible();
  await page.getByLabel('Result', { exact: true }).selectOption({ label: 'Failed' });
  await expect(lines.getByRole('row')).toHaveCount(2);
  await noAccessibilityViolations(page);
  await screenshot('sync-report');
  await app.goto(`${demoApp.url}/admin/domains`);
  await app.getByLabel('Domain').fill('example.com');
  await app.getByRole('button', { name: 'Add domain' }).click();

  // M-1 and L-3: with no group in scope everyone for whom the app is ON is provisioned; the report
  // of that (longer) run says it is still going, then opens when it ends.
  await page.goto('/apps/gotomeeting');
  await page.getByRole('link', { name: 'Configure scope' }).click();
  await page.getByRole('button', { name: 'Remove Finance' }).click();
  await page.getByRole('button', { name: 'Remove Managers' }).click();
  await page.getByRole('button', { name: 'Update' }).click();
  // M-6: the impact first (everyone for whom the app is ON gets an account), then the update.
  const emptyScope = page.getByRole('dialog', { name: 'Update the scope of GoToMeeting?' });
  await expect(emptyScope.getByRole('heading', { name: /^\d+ users will get an account$/ })).toBeVisible();
  await emptyScope.getByRole('button', { name: 'Update scope' }).click();
  await expect(page.getByRole('heading', { name: 'GoToMeeting', level: 1 })).toBeVisible();
  await page.getByRole('table', { name: 'Sync runs' }).getByRole('row').filter({ hasText: /Running|Pending/ }).first().getByRole('link', { name: /Report/ }).click();
  await expect(page.getByText(/This sync is (still running|waiting to start): its report opens when it ends/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveCount(0);
  await screenshot('report-pending');
  await expect(page.getByRole('table', { name: 'Report lines' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('link', { name: 'Export CSV' })).toBeVisible();
  await expect(page.getByText(/^\d+ created/)).toBeVisible();

  // A read-only admin sees the app page and no control that changes anything.
  // Contexts take the file's storage state by default: this one starts signed out.
  const reader = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const readerPage = await reader.newPage();
  await readerPage.goto('/sign-in');
  await readerPage.getByLabel('E-mail').fill(readOnly.email);
  await readerPage.getByLabel('Password').fill(readOnly.password);
  await readerPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(readerPage.getByRole('banner')).toContainText(readOnly.name);
  await readerPage.goto('/apps/gotomeeting');
  await expect(readerPage.getByRole('heading', { name: /Automatic provisioning/ })).toContainText('Active');
  await expect(readerPage.getByText('Accounts managed')).toBeVisible();
  // Paging through the sync history is all a reader can press.
  await expect(readerPage.getByRole('main').getByRole('button').filter({ hasNotText: /^(Newer|Older)$/ })).toHaveCount(0);
  await expect(readerPage.getByRole('main').getByRole('combobox')).toHaveCount(0);
  await expect(readerPage.getByRole('switch')).toHaveCount(0);
  await expect(readerPage.getByRole('link', { name: /Edit|Configure|Re-authorize|Continue the setup/ })).toHaveCount(0);
  await reader.close();

  // M-3, M-4: disable, then delete: the accounts stay in the app.
  await app.goto(`${demoApp.url}/admin`);
  const before = await app.getByRole('heading', { name: /^Users \(/ }).textContent();
  await page.goto('/apps/gotomeeting');
  await page.getByRole('switch', { name: 'Provisioning' }).click();
  await page.getByRole('dialog', { name: 'Turn off automatic provisioning?' }).getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByRole('switch', { name: 'Provisioning' })).toHaveAttribute('aria-checked', 'false');
  await page.getByRole('button', { name: 'Delete configuration' }).click();
  const remove = page.getByRole('dialog', { name: 'Turn off and delete the configuration?' });
  await expect(remove).toContainText('left there, untouched');
  await remove.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Set up automatic provisioning' })).toBeVisible();
  await app.goto(`${demoApp.url}/admin`);
  await expect(app.getByRole('heading', { name: /^Users \(/ })).toHaveText(before!);
  await expect(app.getByRole('row', { name: /nadia\.testeur@example\.com/ })).toBeVisible();
});
