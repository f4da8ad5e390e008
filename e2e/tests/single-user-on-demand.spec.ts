import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { e2eServer } from '../support/server-config.js';
import { api, financeOnGoToMeeting } from '../support/setup-api.js';

// E-20 (issue 15, item 4): a super-admin picks one directory user, sees the plan for them and
// why, provisions them now, and sees every SCIM request and answer of that run, secrets masked.
const app = '/api/apps/gotomeeting';

test.use({ storageState: e2eServer.superAdminState, viewport: { width: 1440, height: 900 } });

test('a super-admin provisions one user now and sees the plan, why, the result and every request and answer', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const [someone] = await financeOnGoToMeeting(page);
  expect(someone).toBeDefined();

  // The job title now goes from the department: no run starts for a mapping change, so every
  // account waits for the next run; one user is tried right away.
  const detail = await api(page, 'GET', app);
  const rows = detail.app.attributes.map((a: { path: string }) => ({ attribute: a.path, source: a.path === 'title' ? 'department' : (detail.configuration.mapping[a.path] ?? '') }));
  await api(page, 'PUT', `${app}/configuration/mapping`, { rows });

  // From the app page: "Provision a user now", then pick the user.
  await page.goto('/apps/gotomeeting');
  await page.getByRole('link', { name: 'Provision a user now' }).click();
  await expect(page.getByRole('heading', { name: 'Provision one user now: GoToMeeting', level: 1 })).toBeVisible();
  await page.getByLabel('Search users').fill(someone!.primaryEmail);
  await page.getByRole('option', { name: new RegExp(someone!.primaryEmail.replace(/[.+]/g, '\\$&')) }).click();

  // The plan and why, from the planner.
  const plan = page.getByRole('region', { name: `Plan for ${someone!.primaryEmail}` });
  await expect(plan).toContainText('In scope');
  const why = plan.getByRole('list', { name: 'Why' });
  await expect(why.getByRole('listitem').filter({ hasText: 'Status' })).toContainText('The user is active in the directory.');
  await expect(why.getByRole('listitem').filter({ hasText: 'Domain' })).toContainText('is in the primary domain example.com');
  await expect(why.getByRole('listitem').filter({ hasText: 'Org unit' })).toContainText('The app is ON for the org unit');
  await expect(why.getByRole('listitem').filter({ hasText: 'Scope groups' })).toContainText('The user is in the scope group Finance.');
  const wouldDo = plan.getByRole('list', { name: 'A run would' });
  await expect(wouldDo).toContainText('Update the account');
  await expect(wouldDo).toContainText(/title: .* → Finance/);
  await page.screenshot({ path: testInfo.outputPath('01-plan.png'), fullPage: true });

  // Provision now: the result and every request and answer, within seconds.
  await plan.getByRole('button', { name: 'Provision now' }).click();
  const result = page.getByRole('region', { name: 'Result' });
  await expect(result.getByRole('status')).toHaveText('Succeeded: 1 updated.', { timeout: 10_000 });
  await expect(result.getByRole('list', { name: 'What was done' })).toHaveText('Updated: Succeeded');
  const exchanges = result.getByRole('list', { name: /^Requests and answers \(\d+\)$/ });
  const patch = exchanges.getByRole('listitem').filter({ hasText: /PATCH \/scim\/v2\/accounts\/4821937\/Users\/\S+ → HTTP 2\d\d/ });
  await expect(patch).toHaveCount(1);
  await patch.getByText(/^PATCH /).click();
  await expect(patch).toContainText('authorization: Bearer ••••••••');
  await expect(patch).toContainText('"value": "Finance"');
  // No credential reaches the page.
  expect(await page.locator('body').innerText()).not.toMatch(/Bearer (?!•)\S+/);
  await page.screenshot({ path: testInfo.outputPath('02-result.png'), fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The run is in the sync history like any other.
  await page.goto('/apps/gotomeeting');
  await expect(page.getByRole('table', { name: 'Sync runs' }).getByRole('row').filter({ hasText: 'One user on demand' })).toHaveCount(1);

  // From the user's page in Directory: the same user now has nothing left to do.
  await page.goto('/directory/users');
  await page.getByRole('searchbox').fill(someone!.primaryEmail);
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('row').nth(1).getByRole('link').first().click();
  await page.getByRole('link', { name: 'Provision in GoToMeeting' }).click();
  await expect(page.getByRole('list', { name: 'A run would' })).toHaveText(/Nothing to do: The account already holds what the directory says\./);

  // Leave GoToMeeting as the journeys found it: no configuration.
  await api(page, 'PUT', `${app}/configuration/activation`, { active: false });
  await api(page, 'DELETE', `${app}/configuration`);
});
