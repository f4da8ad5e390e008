import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  reportActionLabels,
  reportActions,
  reportField,
  reportResultLabels,
  reportResults,
  type CatalogEntry,
  type ReportFilter,
  type ReportLine,
} from '@autoprov/contract';
import { DataTable } from '../../../components/ui/data-table';
import { Page } from '../../../components/ui/page';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states';
import { useDebounced } from '../../../lib/use-debounced';
import { reportCsvHref, useApp, useReport, useRun } from '../../../lib/api/apps';
import { attemptText, countsText, formatTime, runStateLabels, triggerLabels } from '../../../lib/labels';
import { SyncProgress } from './sync-progress';
import { paths } from '../../../lib/paths';

const isResult = (v: string | null): v is NonNullable<ReportFilter['result']> => (reportResults as readonly (string | null)[]).includes(v);
const isAction = (v: string | null): v is NonNullable<ReportFilter['action']> => (reportActions as readonly (string | null)[]).includes(v);

/** The filters, the user search and the page live in the URL: a reload or a shared link keeps them. */
function useReportSearch() {
  const [params, setParams] = useSearchParams();
  const result = params.get('result');
  const action = params.get('action');
  const filter: ReportFilter = {
    result: isResult(result) ? result : undefined,
    action: isAction(action) ? action : undefined,
    user: params.get('user')?.trim().toLowerCase() || undefined,
  };
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };
  return { filter, cursor: params.get('page'), userText: params.get('user') ?? '', update };
}

/** L-3: one line per user the run touched; opens once the run is over. */
export function ReportPage() {
  const { key = '', runId = '' } = useParams();
  const app = useApp(key);
  const run = useRun(key, runId);
  const { filter, cursor, userText, update } = useReportSearch();
  const [search, setSearch] = useState(userText);
  const typed = useDebounced(search.trim());
  useEffect(() => {
    // A new search starts again from the first page.
    if (typed !== userText.trim()) update({ user: typed, page: null });
    // Only the debounced search term drives the URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed]);
  const over = run.data !== undefined && run.data.state !== 'pending' && run.data.state !== 'running';
  const report = useReport(key, runId, filter, cursor, over);
  const title = `Sync report${app.data ? ` — ${app.data.app.name}` : ''}`;

  if (run.isPending) return <Loading />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const dryRun = run.data.dryRun;

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
        <Link to={paths.app(key)}>Back to {app.data?.app.name ?? 'the app'}</Link>
      </p>
      <dl className="details">
        <dt>Trigger</dt>
        <dd>
          {triggerLabels[run.data.trigger]}
          {dryRun ? ' (dry run: nothing was sent)' : ''}
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
              <label htmlFor="report-user">User</label>
              <input id="report-user" type="search" placeholder="Part of an e-mail address" value={search} onChange={(e) => setSearch(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="report-result">Result</label>
              <select id="report-result" value={filter.result ?? ''} onChange={(e) => update({ result: e.target.value, page: null })}>
                <option value="">All results</option>
                {reportResults.map((r) => (
                  <option key={r} value={r}>
                    {reportResultLabels[r]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="report-action">Change</label>
              <select id="report-action" value={filter.action ?? ''} onChange={(e) => update({ action: e.target.value, page: null })}>
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
            // A page link that no longer holds (an old bookmark) starts again at the first page.
            <ErrorState error={report.error} onRetry={() => (cursor ? update({ page: null }) : void report.refetch())} />
          ) : report.data.items.length === 0 ? (
            <EmptyState title="No lines">
              <p>{Object.keys(report.data.totals).length ? 'No line matches these filters.' : 'This run changed nobody.'}</p>
            </EmptyState>
          ) : (
            <>
              <p className="muted" role="status">
                Lines {(report.data.offset + 1).toLocaleString()}–{(report.data.offset + report.data.items.length).toLocaleString()} of{' '}
                {report.data.matching.toLocaleString()}, by user e-mail
              </p>
              <div className="table-scroll">
                <DataTable
                  aria-label="Report lines"
                  className="report-lines"
                  rows={report.data.items}
                  rowKey={(line) => line.id}
                  columns={[
                    { header: 'User', cell: (line) => line.userEmail, className: 'user' },
                    { header: 'Change', cell: (line) => reportActionLabels[line.action as keyof typeof reportActionLabels] ?? line.action },
                    { header: 'Result', cell: (line) => reportResultLabels[line.result] },
                    {
                      header: dryRun ? 'What would be sent' : 'What was sent (before → after)',
                      cell: (line) => <Changes changes={line.changes} entry={app.data?.app} />,
                    },
                    {
                      header: 'Details',
                      cell: (line) => (
                        <>
                          {line.reason}
                          {line.attempt ? <span className="muted"> {attemptText(line.attempt, line.nextAttemptAt)}</span> : null}
                        </>
                      ),
                    },
                  ]}
                />
              </div>
              <nav className="pagination" aria-label="Report pages">
                <button type="button" className="secondary" disabled={!report.data.prevCursor} onClick={() => update({ page: report.data.prevCursor })}>
                  Previous
                </button>
                <button type="button" className="secondary" disabled={!report.data.nextCursor} onClick={() => update({ page: report.data.nextCursor })}>
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

/** The fields of one line by their catalog label (the SCIM path beside it), values in words. */
export function Changes({ changes, entry }: { changes: ReportLine['changes']; entry: Pick<CatalogEntry, 'attributes' | 'accessLevels'> | undefined }) {
  if (!changes) return null;
  return (
    <dl className="changes">
      {Object.entries(changes).map(([name, c]) => {
        const field = reportField(entry, name);
        const before = field.value(c.before);
        const after = field.value(c.after) ?? '—';
        return (
          <div key={name}>
            <dt>
              {field.label}
              {field.path ? <span className="muted scim-path">{field.path}</span> : null}
            </dt>
            <dd>{before === null ? after : `${before} → ${after}`}</dd>
          </div>
        );
      })}
    </dl>
  );
}
