import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { AppDetail } from '@autoprov/contract';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { ErrorState } from '../../../components/ui/states';
import { useCanWrite } from '../../../lib/session';
import { notify } from '../../../lib/notify';
import {
  useAllowHeldRun,
  useCancelHeldRun,
  useCarryOutTimers,
  useDeleteConfiguration,
  useDeletionImpact,
  useReconcileNow,
  useRun,
  useSetActive,
  useStartAuthorization,
  useStartSetup,
  useSyncNow,
} from '../../../lib/api/apps';
import { countsText, formatTime, nextRunText, runStateLabels, stateLabels } from '../../../lib/labels';
import { PeopleList, whenText } from './impact-summary';
import { SyncProgress } from './sync-progress';
import { paths } from '../../../lib/paths';
import { EscrowList, QuarantineNotice } from './app-health';

type Dialog = 'activate' | 'disable' | 'delete' | 'allow' | 'cancel' | null;

/** L-5 at a glance, and every management action (W-8, M-1…M-5, L-4, E-14). */
export function ProvisioningSection({ detail }: { detail: AppDetail }) {
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const key = detail.app.key;
  const config = detail.configuration;
  const startSetup = useStartSetup(key);
  const [dialog, setDialog] = useState<Dialog>(null);
  const setActive = useSetActive(key);
  const remove = useDeleteConfiguration(key);
  const syncNow = useSyncNow(key);
  const reconcile = useReconcileNow(key);
  const allow = useAllowHeldRun(key);
  const cancel = useCancelHeldRun(key);
  const reauthorize = useStartAuthorization(key);
  const carryOut = useCarryOutTimers(key);
  const deletion = useDeletionImpact(key, dialog === 'delete');
  const [runId, setRunId] = useState<string | null>(null);
  const run = useRun(key, runId);
  const failure = setActive.error ?? remove.error ?? syncNow.error ?? reconcile.error ?? allow.error ?? cancel.error ?? reauthorize.error ?? startSetup.error ?? carryOut.error;

  const heading = (
    <h2 id="provisioning-heading">
      Automatic provisioning{' '}
      {config?.setupComplete ? <span className={`badge state-${config.state}`}>{stateLabels[config.state]}</span> : null}
    </h2>
  );

  if (!config) {
    return (
      <section className="card" aria-labelledby="provisioning-heading">
        {heading}
        <p>autoprov can create, update, suspend and delete {detail.app.name} accounts as your directory changes.</p>
        {!detail.sso ? <p className="notice">Configure SSO for this app first: provisioning is set up once SSO is configured.</p> : null}
        {failure ? <ErrorState error={failure} /> : null}
        {canWrite ? (
          <button
            type="button"
            className="primary"
            disabled={!detail.sso || startSetup.isPending}
            onClick={() => startSetup.mutate(undefined, { onSuccess: () => navigate(paths.setupStep(key, 'prerequisite')) })}
          >
            Set up automatic provisioning
          </button>
        ) : null}
      </section>
    );
  }

  if (!config.setupComplete) {
    return (
      <section className="card" aria-labelledby="provisioning-heading">
        {heading}
        <p>The setup was started but is not finished yet. Nothing is sent to the app until it is finished and activated.</p>
        {canWrite ? (
          <Link className="button primary" to={paths.setupStep(key, config.wizardStep)}>
            Continue the setup
          </Link>
        ) : null}
      </section>
    );
  }

  const active = config.state === 'active';
  const shownRun = run.data && (run.data.state === 'pending' || run.data.state === 'running' || !config.currentRun) ? run.data : config.currentRun;

  return (
    <section className="card stack" aria-labelledby="provisioning-heading">
      {heading}
      {config.state === 'needs_reauthorization' ? (
        <div className="form-alert" role="alert">
          <p>
            {detail.app.name} no longer accepts autoprov's authorization (its admin password may have changed). Nothing is lost: changes wait
            and are sent once autoprov is authorized again.
          </p>
          {canWrite ? (
            <button
              type="button"
              className="primary"
              disabled={reauthorize.isPending}
              onClick={() => reauthorize.mutate(undefined, { onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl) })}
            >
              Re-authorize
            </button>
          ) : null}
        </div>
      ) : null}
      {config.heldRun ? (
        <div className="form-alert" role="alert">
          <p>
            A sync was held before it changed anything: {config.heldRun.error} Check the directory, then allow the run or cancel it (cancelling
            disables provisioning and deprovisions nobody).
          </p>
          {canWrite ? (
            <div className="actions">
              <button type="button" className="danger" onClick={() => setDialog('allow')}>
                Allow the run
              </button>
              <button type="button" className="secondary" onClick={() => setDialog('cancel')}>
                Cancel the run
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {config.quarantine && active ? <QuarantineNotice appKey={key} appName={detail.app.name} quarantine={config.quarantine} /> : null}
      {failure ? <ErrorState error={failure} /> : null}

      <dl className="details">
        <dt>State</dt>
        <dd>{stateLabels[config.state]}</dd>
        <dt>Last run</dt>
        <dd>
          {config.lastRun
            ? `${formatTime(config.lastRun.endedAt)} — ${runStateLabels[config.lastRun.state]}${config.lastRun.dryRun ? ' (dry run)' : ''}: ${countsText(config.lastRun.counts)}`
            : 'None yet'}
        </dd>
        <dt>Next run</dt>
        <dd>{nextRunText(config)}</dd>
        <dt>Pending deprovisioning</dt>
        <dd>{config.pendingTimers === 1 ? '1 user' : `${config.pendingTimers.toLocaleString()} users`}</dd>
        <dt>Failures, last 24 h</dt>
        <dd>{config.failuresLast24h.toLocaleString()}</dd>
        <dt>Accounts managed</dt>
        <dd>{config.accounts.toLocaleString()}</dd>
      </dl>

      {shownRun ? <SyncProgress run={shownRun} /> : null}
      <EscrowList appKey={key} escrow={config.escrow} />

      {canWrite ? (
        <>
          <div className="switch-row">
            <button
              type="button"
              role="switch"
              aria-checked={active}
              className={`switch ${active ? 'on' : ''}`}
              disabled={config.state === 'needs_reauthorization' || setActive.isPending}
              onClick={() => setDialog(active ? 'disable' : 'activate')}
            >
              <span className="visually-hidden">Provisioning</span>
              <span aria-hidden="true">{active ? 'ON' : 'OFF'}</span>
            </button>
            <span>{active ? 'Provisioning is on' : 'Provisioning is off: nothing is sent to the app'}</span>
          </div>
          <div className="actions start">
            <button
              type="button"
              className="primary"
              disabled={!active || Boolean(config.currentRun) || syncNow.isPending}
              onClick={() => syncNow.mutate({ dryRun: false }, { onSuccess: (r) => setRunId(r.runId) })}
            >
              Sync now
            </button>
            <button
              type="button"
              className="secondary"
              disabled={Boolean(config.currentRun) || syncNow.isPending}
              onClick={() => syncNow.mutate({ dryRun: true }, { onSuccess: (r) => setRunId(r.runId) })}
            >
              Dry run
            </button>
            <button
              type="button"
              className="secondary"
              disabled={!active || Boolean(config.currentRun) || reconcile.isPending}
              onClick={() =>
                reconcile.mutate(
                  { dryRun: false },
                  {
                    onSuccess: (r) => {
                      setRunId(r.runId);
                      notify.done(
                        config.driftMode === 'correct'
                          ? `Reconciliation started: ${detail.app.name}'s accounts are read and any changed by hand are set back.`
                          : `Reconciliation started: ${detail.app.name}'s accounts are read and any drift is reported, not changed.`,
                      );
                    },
                  },
                )
              }
            >
              Reconcile now
            </button>
            <Link className="button" to={paths.onDemand(key)}>
              Provision a user now
            </Link>
            <Link className="button" to={paths.editScope(key)}>
              Configure scope
            </Link>
            <Link className="button" to={paths.editDeprovisioning(key)}>
              Configure deprovisioning
            </Link>
            {config.state === 'needs_reauthorization' ? null : (
              <Link className="button" to={paths.setupStep(key, 'authorize')}>
                Re-authorize
              </Link>
            )}
            <button type="button" className="secondary danger-text" onClick={() => setDialog('delete')}>
              Delete configuration
            </button>
          </div>
        </>
      ) : null}

      <ConfirmDialog
        open={dialog === 'activate'}
        title={`Activate provisioning for ${detail.app.name}?`}
        message={<p>autoprov will start creating, updating and deprovisioning {detail.app.name} accounts for the users in scope, now.</p>}
        confirmLabel="Activate"
        pending={setActive.isPending}
        onConfirm={() =>
          setActive.mutate(true, {
            onSuccess: (d) => {
              setRunId(d.configuration?.currentRun?.id ?? null);
              notify.done(`Provisioning for ${detail.app.name} is on: the first sync has started.`);
            },
            onSettled: () => setDialog(null),
          })
        }
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'disable'}
        title="Turn off automatic provisioning?"
        message={<p>Nothing more is sent to {detail.app.name}. The configuration is kept, and turning provisioning on again resumes it.</p>}
        confirmLabel="Turn off"
        danger
        pending={setActive.isPending}
        onConfirm={() =>
          setActive.mutate(false, { onSuccess: () => notify.done(`Provisioning for ${detail.app.name} is off: nothing more is sent to it.`), onSettled: () => setDialog(null) })
        }
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'delete'}
        title="Turn off and delete the configuration?"
        message={
          <>
            <p>
              Provisioning stops and the configuration is removed. The accounts already in {detail.app.name} are left there, untouched: delete
              them in the app if you need to. The sync history and reports are kept in Reports.
            </p>
            {deletion.isFetching ? <p className="muted">Counting the pending deprovisioning…</p> : null}
            {deletion.error ? <ErrorState error={deletion.error} /> : null}
            {deletion.data && !deletion.isFetching && deletion.data.pendingTimers.count > 0 ? (
              <div className="notice stack impact">
                <p>
                  <strong>
                    {deletion.data.pendingTimers.count === 1
                      ? '1 user is waiting for a deprovisioning delay'
                      : `${deletion.data.pendingTimers.count.toLocaleString()} users are waiting for a deprovisioning delay`}
                  </strong>
                  : once the configuration is deleted, nothing will suspend or delete their {detail.app.name} accounts. They keep their access.
                </p>
                <PeopleList
                  label="Users waiting for a deprovisioning delay"
                  list={deletion.data.pendingTimers}
                  detail={(u) => `${u.action === 'delete' ? 'deleted' : 'suspended'} ${whenText(u.at, deletion.data.now)}`}
                />
                {deletion.data.active ? (
                  <button
                    type="button"
                    className="secondary"
                    disabled={carryOut.isPending}
                    onClick={() =>
                      carryOut.mutate(undefined, {
                        onSuccess: (r) => {
                          setRunId(r.runId);
                          notify.done(`Carrying out the pending deprovisioning of ${deletion.data.pendingTimers.count.toLocaleString()} users now. Delete the configuration once the sync is over.`);
                        },
                        onSettled: () => setDialog(null),
                      })
                    }
                  >
                    Carry them out first
                  </button>
                ) : (
                  <p className="muted">Turn provisioning on to carry them out before deleting.</p>
                )}
              </div>
            ) : null}
          </>
        }
        confirmLabel="Delete"
        danger
        pending={remove.isPending || deletion.isFetching}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => notify.done(`The ${detail.app.name} configuration was deleted. Its accounts were left in the app; its sync history is kept in Reports.`),
            onSettled: () => setDialog(null),
          })
        }
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'allow'}
        title="Allow the held run?"
        message={<p>{config.heldRun?.error} The run will go ahead and suspend or delete these accounts.</p>}
        confirmLabel="Allow the run"
        danger
        pending={allow.isPending}
        onConfirm={() => allow.mutate({ dryRun: false }, { onSuccess: (r) => setRunId(r.runId), onSettled: () => setDialog(null) })}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={dialog === 'cancel'}
        title="Cancel the held run?"
        message={<p>Provisioning will be disabled and nobody is deprovisioned. Turn it on again once the directory is right.</p>}
        confirmLabel="Cancel the run"
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate(undefined, { onSettled: () => setDialog(null) })}
        onClose={() => setDialog(null)}
      />
    </section>
  );
}
