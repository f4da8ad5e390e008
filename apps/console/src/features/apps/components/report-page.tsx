import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { reportActionLabels, reportActions, reportResults, type ReportFilter } from '@autoprov/contract';
import { Page } from '../../../components/ui/page';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states';
import { reportCsvHref, useApp, useReport, useRun } from '../api/apps';
import { countsText, formatTime, runStateLabels, triggerLabels } from './labels';
import { SyncProgress } from './sync-progress';

const resultLabels: Record<(typeof reportResults)[number], string> = { succeeded: 'Succeeded', failed: 'Failed', planned: 'Planned (dry run)' };

/** L-3: one line per user the run touched; opens once the run is over. */
export function ReportPage() {
  const { key = '', runId = '' } = useParams();
  const app = useApp(key);
  const run = useRun(key, runId);
  const [filter, setFilter] = useState<ReportFilter>({ result: undefined, action: undefined });
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const over = run.data !== undefined && run.data.state !== 'pending' && run.data.state !== 'running';
  const report = useReport(key, runId, filter, stack.at(-1) ?? null, over);
  const title = `Sync report${app.data ? ` — ${app.data.app.name}` : ''}`;

  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const setOne = (patch: Partial<ReportFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setStack([null]);
  };

  return (
    <Page
      title={title}
      actions={
        over ? (
          <a className="button" href={reportCsvHref(key, runId, filter)} download>
            Export CSV
          </a>
        ) : null
      }
    >
      <p>
        <Link to={`/apps/${key}`}>Back to {app.data?.app.name ?? 'the app'}</Link>
      </p>
      <dl className="details">
        <dt>Trigger</dt>
        <dd>
          {triggerLabels[run.data.trigger]}
          {run.data.dryRun ? ' (dry run: nothing was sent)' : ''}
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(run.data.startedAt ?? run.data.requestedAt)}</dd>
        <dt>Ended</dt>
        <dd>{formatTime(run.data.endedAt)}</dd>
        <dt>State</dt>
        <dd>{runStateLabels[run.data.state]}</dd>
        <dt>Counts</dt>
        <dd>{countsText(run.data.counts)}</dd>
        {run.data.error ? (
          <>
            <dt>Error</dt>
            <dd>{run.data.error}</dd>
          </>
        ) : null}
      </dl>
      {!over ? (
        <>
          <p className="notice" role="status">
            This sync is {run.data.state === 'pending' ? 'waiting to start' : 'still running'}: its report opens when it ends.
          </p>
          <SyncProgress run={run.data} />
        </>
      ) : (
        <>
          <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <div className="field">
              <label htmlFor="report-result">Result</label>
              <select id="report-result" value={filter.result ?? ''} onChange={(e) => setOne({ result: (e.target.value || undefined) as ReportFilter['result'] })}>
                <option value="">All results</option>
                {reportResults.map((r) => (
                  <option key={r} value={r}>
                    {resultLabels[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="report-action">Change</label>
              <select id="report-action" value={filter.action ?? ''} onChange={(e) => setOne({ action: (e.target.value || undefined) as ReportFilter['action'] })}>
                <option value="">All changes</option>
                {reportActions.map((a) => (
                  <option key={a} value={a}>
                    {reportActionLabels[a]}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {report.isPending ? (
            <Loading />
          ) : report.isError ? (
            <ErrorState error={report.error} onRetry={() => void report.refetch()} />
          ) : report.data.items.length === 0 ? (
            <EmptyState title="No lines">
              <p>{Object.keys(report.data.totals).length ? 'No line matches these filters.' : 'This run changed nobody.'}</p>
            </EmptyState>
          ) : (
            <>
              <table aria-label="Report lines">
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Change</th>
                    <th scope="col">Result</th>
                    <th scope="col">Fields (before → after)</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {report.data.items.map((line) => (
                    <tr key={line.id}>
                      <td>{line.userEmail}</td>
                      <td>{reportActionLabels[line.action as keyof typeof reportActionLabels] ?? line.action}</td>
                      <td>{resultLabels[line.result]}</td>
                      <td>
                        {line.changes ? (
                          <ul className="plain">
                            {Object.entries(line.changes).map(([field, c]) => (
                              <li key={field}>
                                {field}: {c.before ?? '—'} → {c.after ?? '—'}
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                      <td>{line.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <nav className="pagination" aria-label="Report pages">
                <button type="button" className="secondary" disabled={stack.length <= 1} onClick={() => setStack(stack.slice(0, -1))}>
                  Previous
                </button>
                <button type="button" className="secondary" disabled={!report.data.nextCursor} onClick={() => setStack([...stack, report.data.nextCursor])}>
                  Next
                </button>
              </nav>
            </>
          )}
        </>
      )}
    </Page>
  );
}
