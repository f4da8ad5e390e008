import type { AppDatabase } from '@autoprov/db';
import { transaction } from "@autoprov/db";

/**
 * Groups the database writes that follow app calls into one transaction per batch: a commit
 * per user was a third of a large run's CPU. Losing an unflushed batch in a crash is safe: the
 * next run finds those accounts in the app and adopts them (E-10), and repeats idempotent
 * updates. Batches of up to 1,000 (a quarter of a second): each commit writes every page it
 * touched to the WAL, and a user's rows land on random pages of several indexes, so larger
 * batches write fewer pages per user (issue 14).
 */
export class WriteBatcher {
  private queue: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  readonly errors: Error[] = [];

  constructor(
    private readonly db: AppDatabase,
    private readonly maxBatch = 1000,
    private readonly maxDelayMs = 250,
  ) {}

  async write(fn: () => void): Promise<void> {
    this.queue.push(fn);
    if (this.queue.length >= this.maxBatch) await this.flush();
    else this.timer ??= setTimeout(async () => await this.flush(), this.maxDelayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    await transaction(this.db, async () => {
      for (const fn of batch) {
        try {
          fn();
        } catch (err) {
          // One bad row must not undo the others' records.
          this.errors.push(err as Error);
        }
      }
    });
  }
}
