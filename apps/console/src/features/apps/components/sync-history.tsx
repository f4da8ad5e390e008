import { useState } from 'react';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useRunHistory } from '../../../lib/api/apps';
import { RunsTable } from '../../../components/runs-table';
import { paths } from '../../../lib/paths';

/** L-2: one row per run, newest first. */
export function SyncHistory({ appKey }: { appKey: string }) {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const history = useRunHistory(appKey, stack.at(-1) ?? null);
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Sync history</h2>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <p className="muted">No sync has run yet.</p>
      ) : (
        <RunsTable
          runs={history.data.items}
          reportPath={(runId) => paths.runReport(appKey, runId)}
          hasNewer={stack.length > 1}
          hasOlder={Boolean(history.data.nextCursor)}
          onNewer={() => setStack(stack.slice(0, -1))}
          onOlder={() => setStack([...stack, history.data.nextCursor])}
        />
      )}
    </section>
  );
}
