import { transaction, type AppDatabase, type Tx } from '@autoprov/db';

/**
 * Groups the database writes that follow app calls into one transaction per batch: a commit
 * per user was a third of a large run's CPU. Losing an unflushed batch in a crash is safe: the
 * next run finds those accounts in the app and adopts them (E-10), and repeats idempotent
 * updates. Batches of up to 1,000 (a quarter of a second): each commit writes every page it
 * touched to the WAL, and a user's rows land on random pages of several indexes, so larger
 * batches write fewer pages per user (issue 14).
 */
export class WriteBatcher {
  private queue: ((tx: Tx) => Promise<void>)[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The batch being written: a flush waits for it, so that "flushed" means every earlier write landed. */
  private writing: Promise<void> = Promise.resolve();
  readonly errors: Error[] = [];

  constructor(
    private readonly db: AppDatabase,
    private readonly maxBatch = 1000,
    private readonly maxDelayMs = 250,
  ) {}

  /**
   * Queues a write; a full batch is written before this returns. The write must go through the
   * `tx` it is given: on PostgreSQL the batch's transaction has a connection of its own.
   */
  async write(fn: (tx: Tx) => Promise<void>): Promise<void> {
    this.queue.push(fn);
    if (this.queue.length >= this.maxBatch) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.maxDelayMs);
  }

  /** Writes what is queued, in one transaction. Never throws: what failed is in `errors`. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    const previous = this.writing;
    this.writing = (async () => {
      await previous;
      if (batch.length > 0) await this.writeBatch(batch);
    })();
    await this.writing;
  }

  private async writeBatch(batch: ((tx: Tx) => Promise<void>)[]): Promise<void> {
    try {
      await transaction(this.db, async (tx) => {
        for (const fn of batch) {
          try {
            // A savepoint each: one bad row must not undo the others' records (and on
            // PostgreSQL a failed statement would otherwise void the whole transaction).
            await transaction(tx, fn);
          } catch (err) {
            this.errors.push(err as Error);
          }
        }
      });
    } catch (err) {
      // The transaction itself failed (the database went away): the whole batch is unrecorded.
      for (let i = 0; i < batch.length; i++) this.errors.push(err as Error);
    }
  }
}
