import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { RouteErrorPage } from './simple-pages';

function Broken(): never {
  throw new Error('boom');
}

describe('RouteErrorPage', () => {
  it('shows a page that failed to render as a page: a main landmark, one h1 and a way back', async () => {
    // React reports the thrown error on the console; it is the point of this test.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const router = createMemoryRouter([{ path: '/', element: <Broken />, errorElement: <RouteErrorPage /> }]);
    render(<RouterProvider router={router} />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Something went wrong' })).toBeTruthy();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(screen.getByRole('link', { name: 'Go to the console' }).getAttribute('href')).toBe('/apps');
  });
});
