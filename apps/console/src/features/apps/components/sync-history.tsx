import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useRunHistory } from '../api/apps';
import { countsText, formatTime, runStateLabels, triggerLabels } from './labels';

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
        <>
          <table aria-label="Sync runs">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Trigger</th>
                <th scope="col">State</th>
                <th scope="col">Counts</th>
                <th scope="col">Report</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((run) => (
                <tr key={run.id}>
                  <td>{formatTime(run.startedAt ?? run.requestedAt)}</td>
                  <td>{formatTime(run.endedAt)}</td>
                  <td>
                    {triggerLabels[run.trigger]}
                    {run.dryRun ? ' (dry run)' : ''}
                  </td>
                  <td>{runStateLabels[run.state]}</td>
                  <td>{countsText(run.counts)}</td>
                  <td>
                    <Link to={`/apps/${appKey}/runs/${run.id}`}>
                      Report<span className="visually-hidden"> of the run started {formatTime(run.startedAt ?? run.requestedAt)}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pagination" aria-label="Sync history pages">
            <button type="button" className="secondary" disabled={stack.length <= 1} onClick={() => setStack(stack.slice(0, -1))}>
              Newer
            </button>
            <button type="button" className="secondary" disabled={!history.data.nextCursor} onClick={() => setStack([...stack, history.data.nextCursor])}>
              Older
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
