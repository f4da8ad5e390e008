import { expect, test, type Page } from '@playwright/test';
import { authorizeLikeABrowser } from '@autoprov/demo-app/testing';
import { e2eServer } from '../support/server-config.js';
import { api, financeOnGoToMeeting } from '../support/setup-api.js';

// E-19 (issue 15, item 1): someone changes an account by hand in the demo app, through its own
// SCIM API and a token of their own. A reconciliation reads what the app holds: in "report only"
// the drift is listed and left; switched to "correct" (its impact shown first, M-6), "Reconcile
// now" sets the account back, and the run report shows "Drift corrected" with before → after.
// (Named to run after the journeys that expect GoToMeeting without SSO; it leaves no configuration.)
const { demoApp } = e2eServer;
const scim = `${demoApp.url}/scim/v2/accounts/${demoApp.accountKey}`;

test.use({ storageState: e2eServer.superAdminState, viewport: { width: 1440, height: 900 } });

/** Someone else, with a token the demo app gave them (its admin signed in and allowed). */
async function someoneElsesToken(): Promise<string> {
  for (const adminPassword of [demoApp.adminPassword, demoApp.changedAdminPassword]) {
    try {
      const { tokens } = await authorizeLikeABrowser({
        appUrl: demoApp.url,
        clientId: 'autoprov',
        clientSecret: 'autoprov-demo-secret',
        redirectUri: `${e2eServer.url}/api/oauth/callback`,
        adminEmail: demoApp.adminEmail,
        adminPassword,
      });
      return tokens.access_token;
    } catch {
      // The provisioning journey may have changed the admin password: try the other one.
    }
  }
  throw new Error('The demo app gave no token.');
}

async function scimCall(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${scim}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.ok, `${method} ${path}: ${res.status}`).toBe(true);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
}

async function accountOf(token: string, userName: string) {
  const list = await scimCall(token, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
  const [account] = list.Resources as { id: string; name?: { familyName?: string } }[];
  expect(account).toBeDefined();
  return account!;
}

/** "Reconcile now" on the app page, then the run's report from the sync history. */
async function reconcileNowAndOpenReport(page: Page, expectedCounts: RegExp) {
  await page.goto('/apps/gotomeeting');
  await page.getByRole('button', { name: 'Reconcile now' }).click();
  await expect(page.getByText(/^Reconciliation started: /)).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Reconciliation succeeded/ })).toContainText(expectedCounts, { timeout: 30_000 });
  const history = page.getByRole('table', { name: 'Sync runs' });
  await history.getByRole('row').filter({ hasText: 'Reconciliation' }).first().getByRole('link', { name: /Report/ }).click();
  await expect(page.getByRole('heading', { name: 'Sync report — GoToMeeting', level: 1 })).toBeVisible();
}

/** The report's line for one account, found as an admin would: by the User filter (the app may hold many). */
async function reportLineOf(page: Page, email: string) {
  await page.getByRole('searchbox', { name: 'User' }).fill(email);
  const row = page.getByRole('table', { name: 'Report lines' }).getByRole('row').filter({ hasText: email });
  await expect(row).toHaveCount(1);
  return row;
}

// Leave GoToMeeting as the journeys found it, whatever happened: no configuration, and someone
// else's account gone from the demo app.
let cleanUp: { token: string; id: string } | null = null;
test.afterEach(async ({ page }) => {
  if (cleanUp) await scimCall(cleanUp.token, 'DELETE', `/Users/${cleanUp.id}`);
  cleanUp = null;
  const { configuration } = await api(page, 'GET', '/api/apps/gotomeeting');
  if (!configuration) return;
  if (configuration.state === 'active') await api(page, 'PUT', '/api/apps/gotomeeting/configuration/activation', { active: false });
  await api(page, 'DELETE', '/api/apps/gotomeeting/configuration');
});

test('E-19: an account changed by hand in the app is reported, then set back by "Reconcile now", with before → after', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const [someone] = await financeOnGoToMeeting(page);
  expect(someone).toBeDefined();
  const token = await someoneElsesToken();

  // Report only first: chosen on the app page; it changes no account, and says so before applying.
  await page.goto('/apps/gotomeeting');
  const drift = page.getByRole('region', { name: 'Drift' });
  await drift.getByRole('radio', { name: /Report only/ }).check();
  await drift.getByRole('button', { name: 'Save drift setting' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change the drift setting?' });
  await expect(dialog).toContainText('No account changes now.');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Drift is only reported from now on')).toBeVisible();

  // Someone else renames the account in the app, and creates one of their own there.
  const account = await accountOf(token, someone!.primaryEmail);
  await scimCall(token, 'PATCH', `/Users/${account.id}`, {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'replace', path: 'name.familyName', value: 'ChangedByHand' }],
  });
  const theirs = await scimCall(token, 'POST', '/Users', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'hand.made@example.com',
    name: { givenName: 'Hand', familyName: 'Made' },
  });

  cleanUp = { token, id: String(theirs.id) };

  await reconcileNowAndOpenReport(page, /1 drift found \(report only\)/);
  const reportedLine = await reportLineOf(page, someone!.primaryEmail);
  await expect(reportedLine).toContainText('Drift found (report only)');
  await expect(reportedLine).toContainText(`ChangedByHand → ${someone!.familyName}`);
  await expect(await reportLineOf(page, 'hand.made@example.com')).toContainText('Not managed by autoprov');
  expect((await accountOf(token, someone!.primaryEmail)).name?.familyName).toBe('ChangedByHand');

  // Switched to "correct": the impact lists the account and what will be set back, first.
  await page.goto('/apps/gotomeeting');
  await drift.getByRole('radio', { name: /Correct/ }).check();
  await drift.getByRole('button', { name: 'Save drift setting' }).click();
  await expect(dialog).toContainText('1 account will be set back at the next reconciliation');
  await expect(dialog.getByRole('list', { name: 'Accounts that will be set back' })).toContainText(`ChangedByHand → ${someone!.familyName}`);
  await dialog.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText(/Drift is corrected from now on: the next reconciliation sets back 1 account/)).toBeVisible();

  await reconcileNowAndOpenReport(page, /1 drift corrected/);
  const correctedLine = await reportLineOf(page, someone!.primaryEmail);
  await expect(correctedLine).toContainText('Drift corrected');
  await expect(correctedLine).toContainText('Succeeded');
  await expect(correctedLine).toContainText(`ChangedByHand → ${someone!.familyName}`);
  await page.screenshot({ path: testInfo.outputPath('drift-corrected.png'), fullPage: true });

  // The account is right in the demo app; the one someone else made is as they made it.
  expect((await accountOf(token, someone!.primaryEmail)).name?.familyName).toBe(someone!.familyName);
  expect(await scimCall(token, 'GET', `/Users/${String(theirs.id)}`)).toMatchObject({ userName: 'hand.made@example.com', name: { familyName: 'Made' } });

  // The reconciliations and the setting changes are in the app's audit trail (L-6).
  await page.goto('/apps/gotomeeting');
  const audit = page.getByRole('region', { name: 'Configuration changes' });
  await expect(audit).toContainText('Reconciliation started');
  await expect(audit).toContainText('Drift setting changed');
});
