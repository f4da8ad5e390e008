import { isRetryable } from './errors.js';

export interface BackoffOptions {
  retries?: number;
  baseMs?: number;
  maxMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Google's advice for 403 rate limits, 429 and 5xx: exponential backoff with jitter. */
export async function withBackoff<T>(call: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const retries = options.retries ?? 6;
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 32_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= retries || !isRetryable(err)) throw err;
      await sleep(Math.random() * Math.min(max, base * 2 ** attempt));
    }
  }
}
