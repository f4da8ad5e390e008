import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { Link, useSearchParams } from 'react-router';
import { usageEventKinds, usageEventLabels, usageLogFilterSchema, type UsageLogFilter, type UsageLogFilterInput } from '@autoprov/contract';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states';
import { useDebounced } from '../../../lib/use-debounced';
import { useApps } from '../../../lib/api/apps';
import { formatTime } from '../../../lib/labels';
import { usageCsvHref, useUsageLog, useUsageSummary } from '../api/usage-log';
import { EventsChart } from './events-chart';
import { paths } from '../../../lib/paths';
import { DataTable } from '../../../components/ui/data-table';

const filterKeys = ['kind', 'app', 'user', 'from', 'to'] as const;

/** L-1: the usage log of the last 30 days, across apps: filters, counts, a chart, the events, CSV. */
export function UsageLogPage() {
  const [search, setSearch] = useSearchParams();
  const apps = useApps();
  // Read as typed; the schema decides what is valid.
  const fromUrl = Object.fromEntries(filterKeys.map((k) => [k, search.get(k) ?? ''])) as UsageLogFilterInput;
  const form = useForm<UsageLogFilterInput, unknown, UsageLogFilter>({ resolver: zodResolver(usageLogFilterSchema), defaultValues: fromUrl, mode: 'onChange' });
  const typed = useWatch({ control: form.control });
  const debounced = useDebounced(JSON.stringify(typed), 300);

  // The filters live in the address, so a filtered view can be shared and survives a reload.
  useEffect(() => {
    const values = JSON.parse(debounced) as Record<string, string | undefined>;
    const parsed = usageLogFilterSchema.safeParse(values);
    if (!parsed.success) return;
    const next = new URLSearchParams();
    for (const k of filterKeys) if (values[k]) next.set(k, values[k]);
    if (next.toString() !== search.toString()) setSearch(next, { replace: true });
  }, [debounced, search, setSearch]);

  const filter = useMemo<UsageLogFilter>(() => {
    const parsed = usageLogFilterSchema.safeParse(Object.fromEntries(filterKeys.map((k) => [k, search.get(k) ?? ''])));
    return parsed.success ? parsed.data : usageLogFilterSchema.parse({});
  }, [search]);
  const filterKey = JSON.stringify(filter);
  const [cursors, setCursors] = useState<{ key: string; stack: (string | null)[] }>({ key: filterKey, stack: [null] });
  const stack = cursors.key === filterKey ? cursors.stack : [null];
  const cursor = stack.at(-1) ?? null;
  const log = useUsageLog(filter, cursor);
  const summary = useUsageSummary(filter);
  const { errors } = form.formState;

  return (
    <Page
      title="Usage log"
      actions={
        <>
          <Link className="button secondary" to={paths.deletedConfigurations}>
            Deleted configurations
          </Link>
          <a className="button" href={usageCsvHref(filter)} download>
            Export CSV
          </a>
        </>
      }
    >
      <p className="muted">What automatic provisioning did in the last 30 days, in every app.</p>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="Event" error={errors.kind}>
          {(a) => (
            <select {...a} {...form.register('kind')}>
              <option value="">All events</option>
              {usageEventKinds.map((k) => (
                <option key={k} value={k}>
                  {usageEventLabels[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="App" error={errors.app}>
          {(a) => (
            <select {...a} {...form.register('app')}>
              <option value="">All apps</option>
              {apps.data?.items.map((app) => (
                <option key={app.key} value={app.key}>
                  {app.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="User" error={errors.user} hint="The start of the e-mail address">
          {(a) => <input {...a} type="search" autoComplete="off" {...form.register('user')} />}
        </Field>
        <Field label="From" error={errors.from}>
          {(a) => <input {...a} type="date" {...form.register('from')} />}
        </Field>
        <Field label="To" error={errors.to}>
          {(a) => <input {...a} type="date" {...form.register('to')} />}
        </Field>
      </form>

      {summary.data ? (
        <section aria-labelledby="counts-heading" className="stack">
          <h2 id="counts-heading" className="visually-hidden">
            Events by kind
          </h2>
          <ul className="tiles">
            {usageEventKinds.map((k) => (
              <li key={k} className={k === 'failure' ? 'tile failure' : 'tile'}>
                <span className="tile-count">{summary.data.counts[k].toLocaleString()}</span>
                <span>{usageEventLabels[k]}</span>
              </li>
            ))}
          </ul>
          <EventsChart summary={summary.data} />
        </section>
      ) : null}

      {log.isPending ? (
        <Loading />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} />
      ) : log.data.items.length === 0 ? (
        <EmptyState title="No events">
          <p>Nothing matches these filters in the last 30 days.</p>
        </EmptyState>
      ) : (
        <>
          <DataTable
            aria-label="Events"
            rows={log.data.items}
            rowKey={(e) => e.id}
            columns={[
              { header: 'Time', cell: (e) => formatTime(e.occurredAt) },
              { header: 'Event', cell: (e) => usageEventLabels[e.kind] },
              { header: 'App', cell: (e) => e.appName },
              { header: 'User', cell: (e) => e.userEmail },
              { header: 'Details', cell: (e) => e.detail },
            ]}
          />
          <nav className="pagination" aria-label="Pages">
            <button type="button" className="secondary" disabled={stack.length <= 1} onClick={() => setCursors({ key: filterKey, stack: stack.slice(0, -1) })}>
              Newer
            </button>
            <span>Page {stack.length}</span>
            <button
              type="button"
              className="secondary"
              disabled={!log.data.nextCursor}
              onClick={() => setCursors({ key: filterKey, stack: [...stack, log.data.nextCursor] })}
            >
              Older
            </button>
          </nav>
        </>
      )}
    </Page>
  );
}
