import type { SyncRun } from '@autoprov/contract';
import { countsText, runStateLabels } from '../../../lib/labels';

/** L-4: how far the run has gone, for sighted users and screen readers alike. */
export function SyncProgress({ run }: { run: SyncRun }) {
  const label = run.dryRun ? 'Dry run' : run.trigger === 'reconcile' ? 'Reconciliation' : 'Sync';
  if (run.state === 'pending') {
    return (
      <p role="status" className="notice">
        {label} waiting to start…
      </p>
    );
  }
  if (run.state === 'running') {
    return (
      <div className="progress" role="status">
        <label>
          {label} in progress: {run.done.toLocaleString()} of {run.planned.toLocaleString()} changes
          <progress value={run.done} max={Math.max(run.planned, 1)} />
        </label>
      </div>
    );
  }
  return (
    <p role="status" className={run.state === 'succeeded' ? 'notice success' : 'notice'}>
      {label} {runStateLabels[run.state].toLowerCase()}: {countsText(run.counts)}.{run.error ? ` ${run.error}` : ''}
    </p>
  );
}
