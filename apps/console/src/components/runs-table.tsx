import { Link } from 'react-router';
import type { SyncRun } from '@autoprov/contract';
import { countsText, formatTime, runStateLabels, triggerLabels } from '../lib/labels';

interface RunsTableProps {
  runs: SyncRun[];
  /** Where a run's report opens: the app's page, or a deleted configuration's kept history. */
  reportPath: (runId: string) => string;
  hasNewer: boolean;
  hasOlder: boolean;
  onNewer: () => void;
  onOlder: () => void;
}

/** L-2: one row per run, newest first, with keyset pages. */
export function RunsTable({ runs, reportPath, hasNewer, hasOlder, onNewer, onOlder }: RunsTableProps) {
  return (
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
          {runs.map((run) => (
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
                <Link to={reportPath(run.id)}>
                  Report<span className="visually-hidden"> of the run started {formatTime(run.startedAt ?? run.requestedAt)}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav className="pagination" aria-label="Sync history pages">
        <button type="button" className="secondary" disabled={!hasNewer} onClick={onNewer}>
          Newer
        </button>
        <button type="button" className="secondary" disabled={!hasOlder} onClick={onOlder}>
          Older
        </button>
      </nav>
    </>
  );
}
