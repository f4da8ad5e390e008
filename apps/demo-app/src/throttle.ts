/**
 * The demo app's admin sign-in, throttled (S-6 for the app side): after 10 failures from one
 * address within 15 minutes, that address waits out the rest of the window. In memory: the
 * demo app is one process.
 */
export function signInThrottle(options: { failures?: number; windowMs?: number; now?: () => number } = {}) {
  const limit = options.failures ?? 10;
  const windowMs = options.windowMs ?? 15 * 60 * 1000;
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (client: string) => (failures.get(client) ?? []).filter((at) => now() - at < windowMs);
  return {
    blocked: (client: string) => recent(client).length >= limit,
    failed: (client: string) => {
      const kept = recent(client);
      kept.push(now());
      failures.set(client, kept);
      // Forget addresses whose window has passed, so the map cannot grow without bound.
      if (failures.size > 10_000) for (const [key] of failures) if (recent(key).length === 0) failures.delete(key);
    },
    succeeded: (client: string) => void failures.delete(client),
  };
}
