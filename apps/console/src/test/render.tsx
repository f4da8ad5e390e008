import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { makeQueryClient } from '../app/provider';
import { routes } from '../app/router';

type Responder = (method: string, path: string, body: unknown) => { status: number; body?: unknown } | undefined;

/** Renders the real routes at `path`, with `fetch` answered by `respond` (the API's own shapes). */
export function renderAt(path: string, respond: Responder) {
  const calls: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const apiPath = url.replace(/^\/api/, '');
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: apiPath, body, headers: (init.headers ?? {}) as Record<string, string> });
    const answer = respond(method, apiPath, body) ??
      (apiPath === '/directory/source' ? { status: 200, body: { kind: 'built_in', google: null, previousGoogleDomain: null } } : undefined) ?? {
        status: 404,
        body: { error: { code: 'not_found', message: `No stub for ${method} ${apiPath}` } },
      };
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = makeQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { calls, router };
}

export const session = (role: 'super_admin' | 'read_only') => ({
  status: 200,
  body: { admin: { id: 'a1', email: 'ada@example.com', name: 'Ada', role }, twoFactor: { enabled: false, setupRequired: false }, csrfToken: 'csrf-123' },
});

export const orgUnits = {
  status: 200,
  body: { items: [{ id: 'ou-sales', parentId: null, name: 'Sales', path: '/Sales', description: null, userCount: 3 }] },
};

export const aUser = {
  id: 'u1',
  primaryEmail: 'zoe@example.com',
  givenName: 'Zoé',
  familyName: 'Martin',
  status: 'active',
  orgUnitId: 'ou-sales',
  orgUnitPath: '/Sales',
  photoUrl: null,
  jobTitle: 'Seller',
  department: null,
  phone: null,
  employeeId: null,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T10:00:00.000Z',
  deletedAt: null,
  groups: [],
};
