import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { makeServiceAccountKey, startFakeGoogle, type FakeGoogle } from '@autoprov/google-directory/testing';
import { e2eServer } from '../support/server-config.js';

const { demoApp } = e2eServer;
/** The provisioning journey changed it (M-5). */
const demoAppPassword = e2eServer.demoApp.changedAdminPassword;

test.use({ storageState: e2eServer.superAdminState });

let google: FakeGoogle;
const key = makeServiceAccountKey();

test.beforeAll(async () => {
  // Google's APIs, stood in for on the port autoprov was told about at start.
  google = await startFakeGoogle({ port: e2eServer.googleFake.port });
  google.registerKey(key);
  google.addOrgUnit('/Sales');
  google.addUser({ primaryEmail: 'admin@example.com', givenName: 'Ada', familyName: 'Admin', orgUnitPath: '/' }, false);
  google.addUser({ primaryEmail: 'greta.google@example.com', givenName: 'Greta', familyName: 'Google', orgUnitPath: '/Sales', title: 'Account Executive' }, false);
  google.addUser({ primaryEmail: 'hugo.google@example.com', givenName: 'Hugo', familyName: 'Google', orgUnitPath: '/Sales' }, false);
  google.addUser({ primaryEmail: 'ivan.elsewhere@example.com', givenName: 'Ivan', familyName: 'Elsewhere', orgUnitPath: '/' }, false);
  google.addGroup(
    {
      email: 'hosts@example.com',
      name: 'Google hosts',
      members: [
        { email: 'greta.google@example.com', type: 'USER' },
        { email: 'hugo.google@example.com', type: 'USER' },
      ],
    },
    false,
  );
});
test.afterAll(() => google?.close());

async function expectInDemoApp(page: Page, email: string) {
  const app = await page.context().newPage();
  await app.goto(`${demoApp.url}/admin`);
  if (await app.getByRole('heading', { name: 'Admin Center sign-in' }).isVisible()) {
    await app.getByLabel('E-mail').fill(demoApp.adminEmail);
    await app.getByLabel('Password').fill(demoAppPassword);
    await app.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(async () => {
    await app.goto(`${demoApp.url}/admin`);
    await expect(app.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toContainText('Active', { timeout: 500 });
  }).toPass({ timeout: 30_000, intervals: [500, 1000, 2000] });
  await app.close();
}

// Issue 6, seeds 000 and 003, G-1: connect a Google organisation, see its people, provision from it; a rename stays one person.
test('a super-admin switches the directory to Google Workspace and provisions from it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/directory/source');
  await expect(page.getByRole('heading', { name: 'Built-in directory' })).toBeVisible();

  // Test connection says what is wrong, next to the field it concerns.
  await page.getByLabel('Service account key (JSON)').setInputFiles({ name: 'not-a-key.json', mimeType: 'application/json', buffer: Buffer.from('{"type":"authorized_user"}') });
  await page.getByLabel('Super-admin e-mail to act as').fill('greta.google@example.com');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/This key is not a service account key/).first()).toBeVisible();
  await page.getByLabel('Service account key (JSON)').setInputFiles({ name: 'autoprov-reader.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(key)) });
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText(/greta\.google@example\.com is not a super-admin/).first()).toBeVisible();
  await expect(page.getByLabel('Super-admin e-mail to act as')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Super-admin e-mail to act as').fill('admin@example.com');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByText('Connected to example.com as admin@example.com.')).toBeVisible();

  // The switch says what will happen before anything happens.
  await page.getByRole('button', { name: 'Review the switch' }).click();
  const dialog = page.getByRole('dialog', { name: 'Switch the directory to Google Workspace?' });
  await expect(dialog).toContainText('example.com: 4 users, 1 groups');
  await expect(dialog).toContainText(/users here are not in Google: they will be marked deleted/);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await dialog.getByRole('button', { name: 'Switch to Google Workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Google Workspace (example.com)' })).toBeVisible();

  // Its people are the directory now, read-only here.
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('searchbox').fill('google');
  await expect(page.getByRole('row', { name: /greta\.google@example\.com/ })).toBeVisible();
  await expect(page.getByText(/read from Google Workspace \(example\.com\)/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add user' })).toHaveCount(0);

  // Provisioning from Google works as from the built-in directory: the wizard, scope on a Google group.
  await page.goto('/apps/gotomeeting');
  await page.getByRole('button', { name: 'Set up automatic provisioning' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Authorize in GoToMeeting' }).click();
  await page.getByLabel('E-mail').fill(demoApp.adminEmail);
  await page.getByLabel('Password').fill(demoAppPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(`${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/What .+@example\.com would become in GoToMeeting/)).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Search groups').fill('google');
  await page.getByRole('option', { name: /^Google hosts / }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /Deprovisioning/ })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('switch', { name: 'Provisioning' }).click();
  await page.getByRole('dialog', { name: 'Activate provisioning for GoToMeeting?' }).getByRole('button', { name: 'Activate' }).click();
  await expect(page.getByText(/Sync succeeded: 2 created/)).toBeVisible({ timeout: 20_000 });
  await expectInDemoApp(page, 'greta.google@example.com');

  // A change made in Google reaches the app within minutes (here: the next look, seconds).
  google.addUser({ primaryEmail: 'ines.google@example.com', givenName: 'Inès', familyName: 'Google', orgUnitPath: '/Sales' });
  google.addMember('hosts@example.com', 'ines.google@example.com');
  await expectInDemoApp(page, 'ines.google@example.com');

  // G-1: a user renamed in Google is the same person: the console shows one user under the new
  // address, and the app has the same account renamed, not a new one beside a deprovisioned one.
  google.renameUser('greta.google@example.com', 'greta.renamed@example.com');
  await expectInDemoApp(page, 'greta.renamed@example.com');
  const app = await page.context().newPage();
  await app.goto(`${demoApp.url}/admin`);
  await expect(app.getByRole('row', { name: /greta\.renamed@example\.com/ })).toHaveCount(1);
  await expect(app.getByRole('row', { name: /greta\.google@example\.com/ })).toHaveCount(0);
  await app.close();
  await page.goto('/directory/users');
  await page.getByRole('searchbox').fill('greta');
  await expect(page.getByRole('row', { name: /greta\.renamed@example\.com/ })).toHaveCount(1);
  await expect(page.getByRole('row', { name: /greta\.google@example\.com/ })).toHaveCount(0);

  // Disconnecting keeps what was read, editable again.
  await page.goto('/directory/source');
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('dialog', { name: 'Disconnect Google Workspace?' }).getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.getByRole('heading', { name: 'Built-in directory' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Directory' }).getByRole('link', { name: 'Users' }).click();
  await page.getByRole('searchbox').fill('ines.google');
  await expect(page.getByRole('row', { name: /ines\.google@example\.com/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Add user' })).toBeVisible();
});
