import { Link } from 'react-router';
import type { SyncRun } from '@autoprov/contract';
import { countsText, formatTime, runStateLabels, triggerLabels } from '../lib/labels';
import { DataTable } from './ui/data-table';

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
      <DataTable
        aria-label="Sync runs"
        rows={runs}
        rowKey={(run) => run.id}
        columns={[
          { header: 'Started', cell: (run) => formatTime(run.startedAt ?? run.requestedAt) },
          { header: 'Ended', cell: (run) => formatTime(run.endedAt) },
          {
            header: 'Trigger',
            cell: (run) => (
              <>
                {triggerLabels[run.trigger]}
                {run.dryRun ? ' (dry run)' : ''}
              </>
            ),
          },
          { header: 'State', cell: (run) => runStateLabels[run.state] },
          { header: 'Counts', cell: (run) => countsText(run.counts) },
          {
            header: 'Report',
            cell: (run) => (
              <Link to={reportPath(run.id)}>
                Report<span className="visually-hidden"> of the run started {formatTime(run.startedAt ?? run.requestedAt)}</span>
              </Link>
            ),
          },
        ]}
      />
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
