import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { reportActionLabels, reportResultLabels, userStatusLabels, type OnDemandPlan, type OnDemandRun, type ScimExchange } from '@autoprov/contract';
import { Page } from '../../../components/ui/page';
import { SearchCombobox } from '../../../components/ui/search-combobox';
import { ErrorState, Loading } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { notify } from '../../../lib/notify';
import { useDebounced } from '../../../lib/use-debounced';
import { useCanWrite } from '../../../lib/session';
import { usersQueryOptions } from '../../../lib/api/users';
import { useApp } from '../../../lib/api/apps';
import { useOnDemandPlan, useOnDemandRun, useProvisionNow } from '../api/on-demand';
import { countsText, runStateLabels } from '../../../lib/labels';
import { paths } from '../../../lib/paths';

const actionLabels: Record<OnDemandPlan['actions'][number]['action'], string> = {
  create: 'Create the account',
  update: 'Update the account',
  unsuspend: 'Reactivate the account',
  suspend: 'Suspend the account',
  delete: 'Delete the account',
  start_timer: 'Start the deprovisioning delay',
  cancel_timer: 'Cancel the deprovisioning delay',
  nothing: 'Nothing to do',
};

const ruleLabels: Record<OnDemandPlan['checks'][number]['rule'], string> = {
  status: 'Status',
  domain: 'Domain',
  org_unit: 'Org unit',
  scope_group: 'Scope groups',
};

/** E-20: pick a directory user, see the plan for them and why, provision them now, see every request and answer. */
export function OnDemandPage() {
  const { key = '' } = useParams();
  const app = useApp(key);
  const [search, setSearch] = useSearchParams();
  const userId = search.get('userId');
  const runId = search.get('run');
  const pick = (id: string) => setSearch({ userId: id });
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  const name = app.data.app.name;
  return (
    <Page title={`Provision one user now: ${name}`} actions={<Link to={paths.app(key)}>Back to {name}</Link>}>
      <div className="sections">
        <section className="card" aria-labelledby="user-heading">
          <h2 id="user-heading">User</h2>
          <UserSearch onPick={pick} />
        </section>
        {userId ? (
          <PlanSection appKey={key} userId={userId} runId={runId} onRun={(id) => setSearch({ userId, run: id })} onReset={() => setSearch({ userId })} />
        ) : null}
        {runId ? <RunSection appKey={key} runId={runId} /> : null}
      </div>
    </Page>
  );
}

function UserSearch({ onPick }: { onPick: (id: string) => void }) {
  const [query, setQuery] = useState('');
  const q = useDebounced(query.trim());
  const found = useQuery({ ...usersQueryOptions({ q, pageSize: 8 }), enabled: q !== '' });
  const options = q ? found.data?.items.map((u) => ({ id: u.id, label: `${u.givenName} ${u.familyName}`, detail: u.primaryEmail })) : undefined;
  return (
    <SearchCombobox
      label="Search users"
      placeholder="Type a name or an address"
      query={query}
      onQueryChange={setQuery}
      options={options}
      loading={found.isFetching || query.trim() !== q}
      noMatch={(t) => `No user matches “${t}”.`}
      onPick={(o) => {
        setQuery('');
        onPick(o.id);
      }}
    />
  );
}

interface PlanSectionProps {
  appKey: string;
  userId: string;
  runId: string | null;
  onRun: (runId: string) => void;
  onReset: () => void;
}

function PlanSection({ appKey, userId, runId, onRun, onReset }: PlanSectionProps) {
  const plan = useOnDemandPlan(appKey, userId);
  const provision = useProvisionNow(appKey);
  const canWrite = useCanWrite();
  if (plan.isPending) return <Loading label="Working out the plan…" />;
  if (plan.isError) return <ErrorState error={plan.error} onRetry={() => void plan.refetch()} />;
  const p = plan.data;
  const start = () =>
    provision.mutate(userId, {
      onSuccess: (started) => {
        onRun(started.runId);
        notify.done(started.queued ? `Provisioning of ${p.user.primaryEmail} waits for the run in progress to end.` : `Provisioning ${p.user.primaryEmail} now.`);
      },
      onError: (err) => notify.failed(err instanceof ApiError ? err.message : 'The run could not be started.'),
    });
  return (
    <section className="card" aria-labelledby="plan-heading">
      <h2 id="plan-heading">Plan for {p.user.primaryEmail}</h2>
      <dl className="details">
        <dt>Name</dt>
        <dd>{p.user.name ?? '—'}</dd>
        <dt>Directory status</dt>
        <dd>{userStatusLabels[p.user.status]}</dd>
        <dt>Org unit</dt>
        <dd>{p.user.orgUnitPath}</dd>
        <dt>Scope</dt>
        <dd>
          <span className={`badge ${p.inScope ? 'badge-active' : 'badge-archived'}`}>{p.inScope ? 'In scope' : 'Not in scope'}</span>
        </dd>
        <dt>Account in the app</dt>
        <dd>{p.account ? `${p.account.userName} (${p.account.state})` : 'None'}</dd>
        {p.timer ? (
          <>
            <dt>Deprovisioning delay</dt>
            <dd>
              {p.timer.action === 'delete' ? 'Deletion' : 'Suspension'} due {new Date(p.timer.dueAt).toLocaleString()}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Why</h3>
      <ul className="plain-list" aria-label="Why">
        {p.checks.map((c) => (
          <li key={c.rule}>
            <span aria-hidden="true">{c.passed ? '✓' : '✗'}</span> <strong>{ruleLabels[c.rule]}</strong>
            <span className="visually-hidden">{c.passed ? ' (passes)' : ' (fails)'}</span>: {c.detail}
          </li>
        ))}
      </ul>
      <h3>A run would</h3>
      <ol aria-label="A run would">
        {p.actions.map((a, i) => (
          <li key={i}>
            <strong>{actionLabels[a.action]}</strong>: {a.detail}
            {a.changes ? (
              <ul>
                {Object.entries(a.changes).map(([field, c]) => (
                  <li key={field}>
                    {field}: {c.before ?? '—'} → {c.after ?? '—'}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ol>
      <div className="actions start">
        {canWrite ? (
          <button type="button" className="primary" disabled={!p.canRun || provision.isPending || runId !== null} onClick={start}>
            Provision now
          </button>
        ) : (
          <p className="muted">Only a super-admin can provision a user.</p>
        )}
        {runId !== null ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              onReset();
              void plan.refetch();
            }}
          >
            Plan again
          </button>
        ) : null}
      </div>
      {p.blockedBecause ? <p className="notice">{p.blockedBecause}</p> : null}
    </section>
  );
}

function RunSection({ appKey, runId }: { appKey: string; runId: string }) {
  const run = useOnDemandRun(appKey, runId);
  if (run.isPending) return <Loading label="Starting…" />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => void run.refetch()} />;
  const { run: r, exchanges, lines, truncated } = run.data;
  const over = r.state !== 'pending' && r.state !== 'running';
  return (
    <section className="card" aria-labelledby="run-heading">
      <h2 id="run-heading">Result</h2>
      <RunStatus data={run.data} />
      {lines.length > 0 ? (
        <ul aria-label="What was done">
          {lines.map((l, i) => (
            <li key={i}>
              {reportActionLabels[l.action as keyof typeof reportActionLabels] ?? l.action}: {reportResultLabels[l.result]}
              {l.reason ? ` (${l.reason})` : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {over ? <Link to={paths.runReport(appKey, r.id)}>Open the run's report</Link> : null}
      <h3 id="exchanges-heading">Requests and answers ({exchanges.length})</h3>
      <p className="muted">Authorization headers, tokens, passwords and other secrets are masked.</p>
      {exchanges.length === 0 ? <p className="muted">{over ? 'No request was sent to the app.' : 'None yet.'}</p> : null}
      <ol className="exchanges" aria-labelledby="exchanges-heading">
        {exchanges.map((e) => (
          <Exchange key={e.seq} exchange={e} />
        ))}
      </ol>
      {truncated ? <p className="notice">Only the first {exchanges.length} requests are kept.</p> : null}
    </section>
  );
}

function RunStatus({ data }: { data: OnDemandRun }) {
  const r = data.run;
  if (r.state === 'pending') return <p role="status" className="notice">Waiting for the run in progress to end (one run per app at a time)…</p>;
  if (r.state === 'running') return <p role="status" className="notice">Provisioning…</p>;
  return (
    <p role="status" className={r.state === 'succeeded' ? 'notice success' : 'notice'}>
      {runStateLabels[r.state]}: {countsText(r.counts)}.{r.error ? ` ${r.error}` : ''}
    </p>
  );
}

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
};

function Exchange({ exchange: e }: { exchange: ScimExchange }) {
  const answer = e.status === null ? `no answer: ${e.error ?? 'unknown error'}` : `HTTP ${e.status}`;
  return (
    <li>
      <details>
        <summary>
          <code>
            {e.method} {pathOf(e.url)}
          </code>{' '}
          → <span className={e.status !== null && e.status < 400 ? 'ok' : 'danger-text'}>{answer}</span> ({e.durationMs} ms)
        </summary>
        <dl className="details">
          <dt>URL</dt>
          <dd>
            <code>{e.url}</code>
          </dd>
          <dt>Request headers</dt>
          <dd>
            <pre>{Object.entries(e.requestHeaders).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
          </dd>
          <dt>Request body</dt>
          <dd>{e.requestBody ? <pre>{e.requestBody}</pre> : '—'}</dd>
          <dt>Response body</dt>
          <dd>{e.responseBody ? <pre>{e.responseBody}</pre> : '—'}</dd>
        </dl>
      </details>
    </li>
  );
}
