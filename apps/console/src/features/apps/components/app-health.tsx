import type { Configuration } from '@autoprov/contract';
import { ErrorState } from '../../../components/ui/states';
import { notify } from '../../../lib/notify';
import { useCanWrite } from '../../../lib/session';
import { useRetryEscrowed, useRetryQuarantined } from '../../../lib/api/apps';
import { formatTime, operationLabels } from '../../../lib/labels';

/** E-17: why the app is quarantined, its last errors, when it is tried again, and "Retry now". */
export function QuarantineNotice({ appKey, appName, quarantine }: { appKey: string; appName: string; quarantine: NonNullable<Configuration['quarantine']> }) {
  const canWrite = useCanWrite();
  const retry = useRetryQuarantined(appKey);
  return (
    <div className="form-alert stack" role="alert" aria-labelledby="quarantine-heading">
      <h3 id="quarantine-heading">{appName} is quarantined</h3>
      <p>
        Since {formatTime(quarantine.since)}: {quarantine.reason} Full syncs and changes wait; autoprov only checks whether {appName} answers
        again, less and less often. Nothing is lost: once it answers, quarantine ends by itself and the waiting operations are sent.
      </p>
      <p>
        Next check: {formatTime(quarantine.nextProbeAt)}
        {quarantine.probes > 0 ? ` (${quarantine.probes === 1 ? '1 check' : `${quarantine.probes} checks`} so far, the last at ${formatTime(quarantine.lastProbeAt)})` : ''}.
      </p>
      {quarantine.lastErrors.length > 0 ? (
        <>
          <p>Last errors:</p>
          <ul aria-label="Last errors">
            {quarantine.lastErrors.map((e) => (
              <li key={`${e.at}-${e.message}`}>
                {formatTime(e.at)} — {e.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {retry.error ? <ErrorState error={retry.error} /> : null}
      {canWrite ? (
        <div className="actions start">
          <button
            type="button"
            className="primary"
            disabled={retry.isPending}
            onClick={() =>
              // The notice goes away with the quarantine: the answer is told from the promise, which outlives it.
              void retry
                .mutateAsync()
                .then((r) => (r.ok ? notify.done(`${appName} answered: it is out of quarantine, and the waiting operations are being sent.`) : notify.failed(r.message)))
                .catch(() => undefined)
            }
          >
            {retry.isPending ? 'Checking…' : 'Retry now'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** E-16: the users whose failed operation waits, with its attempts and next try. */
export function EscrowList({ appKey, escrow }: { appKey: string; escrow: Configuration['escrow'] }) {
  const canWrite = useCanWrite();
  const retry = useRetryEscrowed(appKey);
  if (escrow.total === 0) return null;
  return (
    <div className="stack">
      <h3 id="escrow-heading">Waiting to be retried ({escrow.total.toLocaleString()})</h3>
      {retry.error ? <ErrorState error={retry.error} /> : null}
      <table aria-labelledby="escrow-heading">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Operation</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Next try</th>
            {canWrite ? <th scope="col">Action</th> : null}
          </tr>
        </thead>
        <tbody>
          {escrow.items.map((e) => (
            <tr key={e.userId}>
              <td>{e.userEmail}</td>
              <td>{operationLabels[e.operation] ?? e.operation}</td>
              <td>{e.attempts}</td>
              <td>{e.lastError}</td>
              <td>{e.nextAttemptAt ? formatTime(e.nextAttemptAt) : e.kind === 'permanent' ? 'When the user’s data changes (the app refused it)' : 'At the next full sync'}</td>
              {canWrite ? (
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={retry.isPending}
                    onClick={() => retry.mutate(e.userId, { onSuccess: () => notify.done(`Trying ${e.userEmail} again now.`) })}
                  >
                    Retry<span className="visually-hidden"> {e.userEmail}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {escrow.total > escrow.items.length ? <p className="muted">The first {escrow.items.length} are shown, the soonest due first.</p> : null}
    </div>
  );
}
