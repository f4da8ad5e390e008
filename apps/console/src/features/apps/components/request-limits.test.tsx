import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { catalogEntry, type AppDetail, type CatalogLimits } from '@autoprov/contract';
import { appDetail } from '../../../test/app-detail';
import { renderAt, session } from '../../../test/render';

const entry = catalogEntry('slack')!;

function detail(override: CatalogLimits | null): AppDetail {
  return appDetail('slack', { requestLimits: { override, effective: override ? { perOperation: entry.limits.perOperation, ...override } : entry.limits } });
}

const card = () => screen.findByRole('region', { name: 'Request limits' });

describe('the request limits card (E-18)', () => {
  it("shows the catalog's limits with their source; a super-admin changes them, the server's field errors go next to their fields", async () => {
    let page = detail(null);
    const { calls } = renderAt('/apps/slack', (method, path, body) => {
      if (path === '/session') return session('super_admin');
      if (method === 'GET' && path === '/apps/slack') return { status: 200, body: page };
      if (method === 'PUT' && path === '/apps/slack/configuration/limits') {
        const sent = body as CatalogLimits;
        // What only the server knows: it refuses the first try on one field.
        if (sent.concurrency === 3) return { status: 400, body: { error: { code: 'validation_failed', message: 'Some fields need attention.', fields: { concurrency: 'Slack takes 2 at once at most' } } } };
        page = detail(sent);
        return { status: 200, body: page };
      }
      return undefined;
    });
    const user = userEvent.setup();
    const region = await card();
    expect(within(region).getByRole('list', { name: "The catalog's limits" }).textContent).toMatch(/5 a second, bursts of 10, 2 at once.*POST \/Users: 2.9 a second, bursts of 5.*PUT \/Users and PATCH \/Users/);
    expect(within(region).getByRole('link', { name: entry.limitsSource! }).getAttribute('href')).toBe(entry.limitsSource);
    expect(region.textContent).toContain("The catalog's.");
    expect(within(region).queryByRole('button', { name: "Back to the catalog's limits" })).toBeNull();

    const form = within(region).getByRole('form', { name: 'Change the request limits' });
    const rate = within(form).getAllByLabelText(/Requests per second/)[0]!;
    expect((rate as HTMLInputElement).value).toBe('5');
    // Checked in the browser first, as the server checks it: nothing is sent.
    await user.clear(rate);
    await user.type(rate, '0');
    await user.click(within(form).getByRole('button', { name: 'Save request limits' }));
    expect(await within(form).findByText(/At least 0\.01/)).toBeTruthy();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.clear(rate);
    await user.type(rate, '2');
    const atOnce = within(form).getByLabelText(/Requests at once/);
    await user.clear(atOnce);
    await user.type(atOnce, '3');
    await user.click(within(form).getByRole('button', { name: 'Save request limits' }));
    const refused = await within(form).findByText('Slack takes 2 at once at most');
    expect(atOnce.getAttribute('aria-describedby')).toContain(refused.id);

    await user.clear(atOnce);
    await user.type(atOnce, '1');
    await user.click(within(form).getByRole('button', { name: 'Save request limits' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    expect(calls.filter((c) => c.method === 'PUT')[1]!.body).toEqual({ ratePerSecond: 2, burst: 10, concurrency: 1, perOperation: entry.limits.perOperation });
    await waitFor(async () => expect((await card()).textContent).toContain('Set by a super-admin:'));
    expect(within(await card()).getByRole('list', { name: 'The limits in use' }).textContent).toMatch(/2 a second, bursts of 10, 1 at once/);
  });

  it("a super-admin goes back to the catalog's limits", async () => {
    let page = detail({ ratePerSecond: 1, burst: 1, concurrency: 1 });
    const { calls } = renderAt('/apps/slack', (method, path) => {
      if (path === '/session') return session('super_admin');
      if (method === 'GET' && path === '/apps/slack') return { status: 200, body: page };
      if (method === 'DELETE' && path === '/apps/slack/configuration/limits') {
        page = detail(null);
        return { status: 200, body: page };
      }
      return undefined;
    });
    const user = userEvent.setup();
    const region = await card();
    expect(within(region).getByRole('list', { name: 'The limits in use' }).textContent).toMatch(/^1 a second, bursts of 1, 1 at once/);
    await user.click(within(region).getByRole('button', { name: "Back to the catalog's limits" }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.path === '/apps/slack/configuration/limits')).toBe(true));
    await waitFor(async () => expect((await card()).textContent).toContain("The catalog's."));
    expect((within(await card()).getAllByLabelText(/Requests per second/)[0] as HTMLInputElement).value).toBe('5');
  });

  it('a read-only admin sees the limits in use, with no form', async () => {
    renderAt('/apps/slack', (method, path) => {
      if (path === '/session') return session('read_only');
      if (method === 'GET' && path === '/apps/slack') return { status: 200, body: detail({ ratePerSecond: 1, burst: 1, concurrency: 1 }) };
      return undefined;
    });
    const region = await card();
    expect(within(region).getByRole('list', { name: 'The limits in use' }).textContent).toMatch(/^1 a second, bursts of 1, 1 at once/);
    expect(within(region).getByRole('list', { name: "The catalog's limits" })).toBeTruthy();
    expect(within(region).queryByRole('form')).toBeNull();
    expect(within(region).queryByRole('button')).toBeNull();
  });
});
