import { useState } from 'react';
import type { AppDetail, Configuration, DriftImpact, DriftMode } from '@autoprov/contract';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { ErrorState } from '../../../components/ui/states';
import { notify } from '../../../lib/notify';
import { useCanWrite } from '../../../lib/session';
import { fetchDriftImpact, useSetDriftMode } from '../../../lib/api/apps';
import { formatTime } from '../../../lib/labels';
import { Changes } from './report-page';

export const driftModeLabels: Record<DriftMode, string> = {
  correct: 'Correct: accounts changed in the app are set back to what the directory says',
  report: 'Report only: drift is listed in the reconciliation report, nothing is changed',
};

/**
 * E-19: what a reconciliation does with accounts changed by hand in the app. A switch to
 * "correct" shows first the accounts it will set back (M-6).
 */
export function DriftSetting({ detail, configuration }: { detail: AppDetail; configuration: Configuration }) {
  const canWrite = useCanWrite();
  const key = detail.app.key;
  const save = useSetDriftMode(key);
  const [chosen, setChosen] = useState<DriftMode>(configuration.driftMode);
  const [impact, setImpact] = useState<DriftImpact | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);

  const apply = () =>
    save.mutate(
      { mode: chosen },
      {
        onSuccess: () => {
          const count = impact?.accounts.count ?? 0;
          notify.done(
            chosen === 'correct'
              ? `Drift is corrected from now on${count ? `: the next reconciliation sets back ${count === 1 ? '1 account' : `${count.toLocaleString()} accounts`}` : ''}.`
              : 'Drift is only reported from now on: reconciliations change nothing in the app.',
          );
        },
        onSettled: () => setImpact(null),
      },
    );

  const review = async () => {
    setPreviewError(null);
    try {
      setImpact(await fetchDriftImpact(key, { mode: chosen }));
    } catch (err) {
      setPreviewError(err);
    }
  };

  return (
    <section className="card stack" aria-labelledby="drift-heading">
      <h2 id="drift-heading">Drift</h2>
      <p>
        A reconciliation (daily, or "Reconcile now") reads every account {detail.app.name} holds and compares the accounts autoprov created or adopted
        with the directory. Accounts autoprov neither created nor adopted are never changed: the report lists them as not managed by autoprov.
      </p>
      {canWrite ? (
        <fieldset>
          <legend>When an account was changed in {detail.app.name}</legend>
          {(Object.keys(driftModeLabels) as DriftMode[]).map((mode) => (
            <label key={mode} className="inline">
              <input type="radio" name="drift-mode" value={mode} checked={chosen === mode} onChange={() => setChosen(mode)} /> {driftModeLabels[mode]}
            </label>
          ))}
          <div className="actions start">
            <button type="button" className="primary" disabled={chosen === configuration.driftMode || save.isPending} onClick={() => void review()}>
              Save drift setting
            </button>
          </div>
        </fieldset>
      ) : (
        <p>{driftModeLabels[configuration.driftMode]}</p>
      )}
      {previewError ? <ErrorState error={previewError} /> : null}
      {save.error ? <ErrorState error={save.error} /> : null}
      <ConfirmDialog
        open={impact !== null}
        title="Change the drift setting?"
        message={impact ? <DriftImpactSummary impact={impact} chosen={chosen} appName={detail.app.name} detail={detail} /> : null}
        confirmLabel="Apply"
        pending={save.isPending}
        onConfirm={apply}
        onClose={() => setImpact(null)}
      />
    </section>
  );
}

function DriftImpactSummary({ impact, chosen, appName, detail }: { impact: DriftImpact; chosen: DriftMode; appName: string; detail: AppDetail }) {
  if (chosen === 'report') return <p>Reconciliations will list drifted accounts and change nothing in {appName}. No account changes now.</p>;
  if (!impact.seenAt) return <p>No reconciliation has run yet: the first one will set back any account changed in {appName}.</p>;
  if (impact.accounts.count === 0) return <p>The last reconciliation ({formatTime(impact.seenAt)}) found no drift: no account changes now.</p>;
  return (
    <div className="stack impact">
      <p>
        <strong>
          {impact.accounts.count === 1 ? '1 account' : `${impact.accounts.count.toLocaleString()} accounts`} will be set back at the next reconciliation
        </strong>
        , as the last one ({formatTime(impact.seenAt)}) found them:
      </p>
      <ul aria-label="Accounts that will be set back">
        {impact.accounts.users.map((u) => (
          <li key={u.email}>
            {u.email}
            <Changes changes={u.changes} entry={detail.app} />
          </li>
        ))}
      </ul>
      {impact.accounts.count > impact.accounts.users.length ? <p className="muted">and {(impact.accounts.count - impact.accounts.users.length).toLocaleString()} more</p> : null}
    </div>
  );
}
