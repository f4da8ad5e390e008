import pg from 'pg';

/**
 * Issue 16: on PostgreSQL, several processes may be ready to run the engine, but only one runs
 * it at a time: each would otherwise start the same runs. The one that holds this session-level
 * advisory lock runs the engine; the others wait, and the first to get the lock takes over when
 * the holder's connection ends (a crash, a SIGKILL, a lost machine: PostgreSQL releases the lock
 * with the session). Active/standby, not a job queue: one engine process works at a time.
 */
const engineLock = 7_224_517;

export interface EngineLease {
  /** Settles when the lock may no longer be held (the connection ended, not by `release`): stop the engine at once. */
  lost: Promise<Error>;
  release(): Promise<void>;
}

export interface EngineLeaseOptions {
  /** How often a waiting process asks again. */
  retryMs?: number;
  /** Told once, when the lock is found taken: this process is standing by. */
  onStandby?: () => void;
  /** Stops waiting (shutdown): the promise then rejects. */
  signal?: AbortSignal;
}

/** Waits until this process holds the engine lock of the database at `url`. */
export async function acquireEngineLease(url: string, options: EngineLeaseOptions = {}): Promise<EngineLease> {
  const retryMs = options.retryMs ?? 1_000;
  let toldStandby = false;
  for (;;) {
    options.signal?.throwIfAborted();
    // A connection of its own: a pooled one could be handed back and the lock with it.
    const client = new pg.Client({ connectionString: url, keepAlive: true });
    const failed = new Promise<Error>((resolve) => {
      client.on('error', resolve);
      client.once('end', () => resolve(new Error('The connection holding the engine lock ended.')));
    });
    try {
      await client.connect();
      for (;;) {
        options.signal?.throwIfAborted();
        const { rows } = await client.query<{ held: boolean }>('select pg_try_advisory_lock($1) as held', [engineLock]);
        if (rows[0]?.held) {
          return {
            lost: failed,
            release: async () => {
              // Let go on purpose: not a loss.
              client.removeAllListeners('end');
              client.removeAllListeners('error');
              client.on('error', () => undefined);
              await client.end().catch(() => undefined);
            },
          };
        }
        if (!toldStandby) options.onStandby?.();
        toldStandby = true;
        if (await Promise.race([delay(retryMs).then(() => false), failed.then(() => true)])) break;
      }
    } catch (err) {
      if (options.signal?.aborted) {
        await client.end().catch(() => undefined);
        throw err;
      }
      // The database is out of reach: ask again later, on a new connection.
    }
    await client.end().catch(() => undefined);
    await delay(retryMs);
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
