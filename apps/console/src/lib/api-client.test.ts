import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ACTIVITY_HEADER } from '@autoprov/contract';
import { api } from './api-client';

describe('the idle timeout sees only the admin\'s own reads (S-3)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('marks a read right after a click, and not a poll that runs by itself later', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const headers: Record<string, string>[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      headers.push(init.headers as Record<string, string>);
      return new Response('{}', { status: 200 });
    });
    window.dispatchEvent(new Event('pointerdown'));
    await api.get('/apps', z.unknown());
    vi.advanceTimersByTime(60_000);
    await api.get('/apps', z.unknown());
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await api.get('/apps', z.unknown());
    expect(headers.map((h) => h[ACTIVITY_HEADER] ?? null)).toEqual(['1', null, '1']);
  });
});
