import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { reportActionLabels } from '@autoprov/contract';
import { DataTable } from '../../../components/ui/data-table';
import { Page } from '../../../components/ui/page';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states';
import { countsText, formatTime, runStateLabels } from '../../../lib/labels';
import { useDeletedConfigurationReport, useDeletedConfigurationRuns, useDeletedConfigurations } from '../api/deleted-configurations';
import { RunsTable } from '../../../components/runs-table';
import { paths } from '../../../lib/paths';

/** M-4, M-6: deleted configurations keep their sync history and reports (the audit trail). */
export function DeletedConfigurationsPage() {
  const list = useDeletedConfigurations();
  return (
    <Page title="Deleted configurations">
      <p className="muted">
        The sync history and reports of provisioning configurations that were deleted. They are kept as the record of what autoprov did.{' '}
        <Link to={paths.reports}>Back to the usage log</Link>
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="No configuration has been deleted" />
      ) : (
        <DataTable
          aria-label="Deleted configurations"
          rows={list.data.items}
          rowKey={(c) => c.id}
          columns={[
            {
              header: 'App',
              cell: (c) => (
                <Link to={paths.deletedConfiguration(c.id)}>
                  {c.appName}
                  <span className="visually-hidden"> (deleted {formatTime(c.deletedAt)})</span>
                </Link>
              ),
            },
            { header: 'Set up', cell: (c) => formatTime(c.createdAt) },
            { header: 'Deleted', cell: (c) => formatTime(c.deletedAt) },
            { header: 'Sync runs', cell: (c) => c.runs.toLocaleString() },
          ]}
        />
      )}
    </Page>
  );
}

/** L-2 for a deleted configuration. */
export function DeletedConfigurationHistoryPage() {
  const { id = '' } = useParams();
  const list = useDeletedConfigurations();
  const config = list.data?.items.find((c) => c.id === id);
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const history = useDeletedConfigurationRuns(id, stack.at(-1) ?? null);
  return (
    <Page title={`Sync history${config ? ` — ${config.appName} (deleted ${formatTime(config.deletedAt)})` : ''}`}>
      <p>
        <Link to={paths.deletedConfigurations}>Back to deleted configurations</Link>
      </p>
      {history.isPending ? (
        <Loading />
      ) : history.isError ? (
        <ErrorState error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.items.length === 0 ? (
        <EmptyState title="No sync ran for this configuration" />
      ) : (
        <RunsTable
          runs={history.data.items}
          reportPath={(runId) => paths.deletedConfigurationReport(id, runId)}
          hasNewer={stack.length > 1}
          hasOlder={Boolean(history.data.nextCursor)}
          onNewer={() => setStack(stack.slice(0, -1))}
          onOlder={() => setStack([...stack, history.data.nextCursor])}
        />
      )}
    </Page>
  );
}

/** L-3 for a run of a deleted configuration. */
export function DeletedConfigurationReportPage() {
  const { id = '', runId = '' } = useParams();
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const report = useDeletedConfigurationReport(id, runId, stack.at(-1) ?? null);
  return (
    <Page title="Sync report of a deleted configuration">
      <p>
        <Link to={paths.deletedConfiguration(id)}>Back to its sync history</Link>
      </p>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <dl className="details">
            <dt>Started</dt>
            <dd>{formatTime(report.data.run.startedAt ?? report.data.run.requestedAt)}</dd>
            <dt>State</dt>
            <dd>{runStateLabels[report.data.run.state]}</dd>
            <dt>Counts</dt>
            <dd>{countsText(report.data.run.counts)}</dd>
          </dl>
          {report.data.items.length === 0 ? (
            <EmptyState title="This run touched nobody" />
          ) : (
            <DataTable
              aria-label="Report lines"
              rows={report.data.items}
              rowKey={(line) => line.id}
              columns={[
                { header: 'User', cell: (line) => line.userEmail },
                { header: 'Action', cell: (line) => reportActionLabels[line.action as keyof typeof reportActionLabels] ?? line.action },
                { header: 'Result', cell: (line) => line.result },
                { header: 'Reason', cell: (line) => line.reason ?? '' },
              ]}
            />
          )}
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
    </Page>
  );
}
