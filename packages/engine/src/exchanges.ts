import type { AppDatabase } from '@autoprov/db';
import type { TransportExchange } from '@autoprov/scim-client';
import type { Clock } from './ports.js';
import { loadRunExchanges, writeExchange } from './store.js';

/** E-20: at most this many exchanges are kept per run, each body cut at `maxBodyChars`. */
export const maxExchangesPerRun = 200;
export const maxBodyChars = 16_000;

export const MASK = '••••••••';

/** Names of fields, headers and query parameters that carry a secret. */
const secretName = /pass(?:word)?|secret|token|api[-_]?key|authori[sz]ation|credential|cookie|private[-_]?key/i;

function maskValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, secretName.test(k) && v !== null && typeof v !== 'object' ? MASK : maskValue(v)]));
  }
  return value;
}

/** A body as shown: JSON with every secret-like field masked; other text with bearer tokens masked. */
export function maskBody(text: string | null): string | null {
  if (text === null || text === '') return text;
  let shown: string;
  try {
    shown = JSON.stringify(maskValue(JSON.parse(text)), null, 2);
  } catch {
    shown = text.replace(/(bearer|basic)\s+[^\s"',;]+/gi, `$1 ${MASK}`).replace(new RegExp(`(${secretName.source})(["']?\\s*[:=]\\s*["']?)[^\\s"'&,;}]+`, 'gi'), `$1$2${MASK}`);
  }
  return shown.length > maxBodyChars ? `${shown.slice(0, maxBodyChars)}\n… (${shown.length - maxBodyChars} more characters not kept)` : shown;
}

/** Headers as shown: the Authorization scheme stays, its credentials never do. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!secretName.test(name)) return [name, value];
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      return [name, scheme ? `${scheme} ${MASK}` : MASK];
    }),
  );
}

export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? MASK : '';
    parsed.password = parsed.password ? MASK : '';
  }
  for (const name of [...parsed.searchParams.keys()]) if (secretName.test(name)) parsed.searchParams.set(name, MASK);
  return parsed.toString();
}

/**
 * The observer an E-20 run hands to its app client: each exchange is stored masked, in the order
 * it happened. The client tells it synchronously; the writes follow one another, and the run
 * waits for them (`settled`) before it ends, so its page never misses the last ones.
 */
export function exchangeRecorder(db: AppDatabase, runId: string, clock: Clock) {
  let seq = 0;
  let tail: Promise<void> = Promise.resolve();
  const failures: Error[] = [];
  return {
    record(exchange: TransportExchange): void {
      seq++;
      // One more than the cap is counted, not kept: the console says the list was cut.
      if (seq > maxExchangesPerRun + 1) return;
      const row = {
        runId,
        seq,
        at: clock.now(),
        method: exchange.method,
        url: maskUrl(exchange.url),
        requestHeaders: maskHeaders(exchange.requestHeaders),
        requestBody: maskBody(exchange.requestBody),
        status: exchange.status,
        responseBody: maskBody(exchange.responseBody),
        durationMs: Math.round(exchange.durationMs),
        error: exchange.error,
      };
      tail = tail.then(async () => await writeExchange(db, row)).catch((err: unknown) => void failures.push(err as Error));
    },
    /** Every exchange told so far is written (or failed: how many is returned). */
    async settled(): Promise<number> {
      await tail;
      return failures.length;
    },
  };
}

/** The kept exchanges of a run, in the order they happened, and whether more happened. */
export async function loadExchanges(db: AppDatabase, runId: string) {
  const rows = await loadRunExchanges(db, runId);
  const truncated = rows.length > maxExchangesPerRun;
  return { exchanges: rows.slice(0, maxExchangesPerRun), truncated };
}
