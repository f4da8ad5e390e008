import { expect, test } from '@playwright/test';
import { idpCertificate } from '../support/idp-certificate.js';
import { e2eServer } from '../support/server-config.js';

test.use({ storageState: e2eServer.superAdminState, viewport: { width: 1440, height: 900 } });

// Issue 15 item 3 (SPEC §1 "App", W-1, W-2, W-3): the catalog of real apps in the console. Each
// app is listed; its page says in words what the app allows; a token-only app asks for its
// token at once, with its endpoint template to fill in, and refuses a placeholder left in it.
test('the catalog of real apps: listed, their limits in words, and a token-only app set up with its endpoint template', async ({ page }) => {
  await page.goto('/apps');
  const catalog = page.getByRole('table', { name: 'Apps in the catalog' });
  for (const name of ['GoToMeeting', 'Workleap', 'Custom SCIM 2.0 app', 'Slack', 'GitHub Enterprise Managed Users', 'AWS IAM Identity Center', 'Zoom', 'Miro', 'Atlassian Cloud', 'Dropbox']) {
    await expect(catalog.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await catalog.getByRole('link', { name: 'AWS IAM Identity Center', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'AWS IAM Identity Center', level: 1 })).toBeVisible();
  const allows = page.getByRole('region', { name: 'What AWS IAM Identity Center allows' });
  await expect(allows.getByText('A group change carries at most 100 member changes: autoprov splits larger ones.')).toBeVisible();
  await expect(allows.getByText('A list page holds at most 50 accounts: autoprov reads page after page.')).toBeVisible();

  // W-1: SSO first.
  await page.getByRole('link', { name: 'Configure SSO' }).click();
  await page.getByLabel('Entity ID').fill('https://sso.example.com/aws');
  await page.getByLabel('Sign-in URL').fill('https://sso.example.com/saml');
  await page.getByLabel('IdP certificate').fill(idpCertificate);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: 'AWS IAM Identity Center', level: 1 })).toBeVisible();

  // W-2: no OAuth for this app: the token form, with the endpoint template and where to find both.
  await page.getByRole('button', { name: 'Set up automatic provisioning' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText(/autoprov needs a token from AWS IAM Identity Center/)).toBeVisible();
  await expect(page.getByRole('radio')).toHaveCount(0);
  const endpoint = page.getByRole('textbox', { name: 'Endpoint URL' });
  await expect(endpoint).toHaveValue('https://scim.{Region}.amazonaws.com/{TenantId}/scim/v2');
  await page.getByLabel(/Bearer token/).fill('aws-scim-token');
  await page.getByRole('button', { name: 'Save the token and continue' }).click();
  await expect(page.getByText('Replace {Region} with your value (see the help below).')).toBeVisible();
  await expect(endpoint).toHaveAttribute('aria-invalid', 'true');

  await endpoint.fill('https://scim.eu-west-1.amazonaws.com/a1b2c3d4/scim/v2');
  await page.getByRole('button', { name: 'Save the token and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 7: Endpoint URL' })).toBeVisible();
  await expect(page.getByText('Replace {Region} and {TenantId} with your values.', { exact: false })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Endpoint URL' })).toHaveValue('https://scim.eu-west-1.amazonaws.com/a1b2c3d4/scim/v2');
});
