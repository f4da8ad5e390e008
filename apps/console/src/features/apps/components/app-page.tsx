import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AppDetail, AvailabilityInput } from '@autoprov/contract';
import { notify } from '../../../lib/notify';
import { Page } from '../../../components/ui/page';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useCanWrite } from '../../../lib/session';
import { fetchAvailabilityImpact, useApp, useImpactPreview, useSetAvailability } from '../../../lib/api/apps';
import { ImpactDialog, impactSentence, levelLabelOf } from './impact-summary';
import { AuditList } from '../../../components/audit-list';
import { DriftSetting } from './drift-setting';
import { ProvisioningSection } from './provisioning-section';
import { RequestLimits } from './request-limits';
import { SettingsSummary } from './settings-summary';
import { SyncHistory } from './sync-history';
import { paths } from '../../../lib/paths';

/** One app: SSO (W-1), availability per org unit (SPEC §1), automatic provisioning (L-5). */
export function AppPage() {
  const { key = '' } = useParams();
  const app = useApp(key);
  const [search] = useSearchParams();
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  const detail = app.data;
  return (
    <Page title={detail.app.name}>
      <p className="muted">{detail.app.description}</p>
      {search.get('authorized') ? (
        <p className="notice" role="status">
          autoprov is authorized again. Changes made in the meantime are being sent to the app.
        </p>
      ) : null}
      <div className="sections">
        <ProvisioningSection detail={detail} />
        {detail.configuration ? <SettingsSummary detail={detail} configuration={detail.configuration} /> : null}
        {detail.configuration?.setupComplete ? <DriftSetting detail={detail} configuration={detail.configuration} /> : null}
        {detail.configuration?.setupComplete ? <SyncHistory appKey={detail.app.key} /> : null}
        <VendorNotes detail={detail} />
        <RequestLimits detail={detail} configuration={detail.configuration} />
        <SsoSection detail={detail} />
        <AvailabilitySection detail={detail} />
        <section className="card" aria-labelledby="audit-heading">
          <h2 id="audit-heading">Configuration changes</h2>
          <AuditList
            entries={detail.audit.map((e) => ({ id: e.id, at: e.at, who: e.adminLabel, what: e.action, detail: e.detail }))}
            empty="No changes yet."
          />
        </section>
      </div>
    </Page>
  );
}

/** The app's published limits and quirks, which autoprov keeps to (issue 15 item 3). */
function VendorNotes({ detail }: { detail: AppDetail }) {
  if (detail.app.notes.length === 0) return null;
  return (
    <section className="card" aria-labelledby="vendor-notes-heading">
      <h2 id="vendor-notes-heading">What {detail.app.name} allows</h2>
      <ul>
        {detail.app.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    </section>
  );
}

function SsoSection({ detail }: { detail: AppDetail }) {
  const canWrite = useCanWrite();
  return (
    <section className="card" aria-labelledby="sso-heading">
      <h2 id="sso-heading">Single sign-on (SSO)</h2>
      {detail.sso ? (
        <dl className="details">
          <dt>Status</dt>
          <dd>Configured</dd>
          <dt>Entity ID</dt>
          <dd>{detail.sso.entityId}</dd>
          <dt>Sign-in URL</dt>
          <dd>{detail.sso.ssoUrl}</dd>
        </dl>
      ) : (
        <p>SSO is not configured for {detail.app.name}.</p>
      )}
      {canWrite ? (
        <Link className="button" to={paths.appSso(detail.app.key)}>
          Configure SSO
        </Link>
      ) : null}
    </section>
  );
}

const settingWords = { on: 'ON', off: 'OFF', inherit: 'inherited from the parent unit' } as const;

function AvailabilitySection({ detail }: { detail: AppDetail }) {
  const canWrite = useCanWrite();
  const change = useSetAvailability(detail.app.key);
  // M-6: with provisioning set up, who is affected is shown before the setting changes.
  const preview = useImpactPreview((input: AvailabilityInput) => fetchAvailabilityImpact(detail.app.key, input));
  const [proposed, setProposed] = useState<Awaited<ReturnType<typeof preview.mutateAsync>> | null>(null);
  const pathOf = (orgUnitId: string) => detail.availability.find((u) => u.orgUnitId === orgUnitId)?.path ?? '';
  const apply = (input: AvailabilityInput, sentence: string) =>
    change.mutate(input, {
      onSuccess: () => notify.done(`${detail.app.name} is now ${settingWords[input.setting]} for ${pathOf(input.orgUnitId)}. ${sentence}`.trim()),
      onSettled: () => setProposed(null),
    });
  const choose = (input: AvailabilityInput) => {
    if (!detail.configuration?.setupComplete) apply(input, '');
    else preview.mutate(input, { onSuccess: setProposed });
  };
  return (
    <section className="card" aria-labelledby="availability-heading">
      <h2 id="availability-heading">Availability</h2>
      <p className="muted">
        Whether {detail.app.name} is ON for the users of each organisational unit. A unit without its own setting takes its parent's. Turning the
        app OFF for users starts their deprovisioning delay.
      </p>
      {change.error ? <ErrorState error={change.error} /> : null}
      {preview.error ? <ErrorState error={preview.error} /> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">Organisational unit</th>
            <th scope="col">Status</th>
            {canWrite ? <th scope="col">Setting</th> : null}
          </tr>
        </thead>
        <tbody>
          {detail.availability.map((unit) => (
            <tr key={unit.orgUnitId}>
              <td>{unit.path}</td>
              <td>
                {unit.effective === 'on' ? 'ON' : 'OFF'}
                {unit.own === null ? <span className="muted"> (inherited)</span> : null}
              </td>
              {canWrite ? (
                <td>
                  <select
                    aria-label={`Availability for ${unit.path}`}
                    value={unit.own ?? 'inherit'}
                    disabled={change.isPending || preview.isPending}
                    onChange={(e) => choose({ orgUnitId: unit.orgUnitId, setting: e.target.value as AvailabilityInput['setting'] })}
                  >
                    <option value="inherit">{unit.path === '/' ? 'Default (ON)' : 'Inherit'}</option>
                    <option value="on">ON</option>
                    <option value="off">OFF</option>
                  </select>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <ImpactDialog
        title={proposed ? `Availability of ${detail.app.name} for ${pathOf(proposed.input.orgUnitId)}: ${settingWords[proposed.input.setting]}?` : ''}
        impact={proposed?.impact ?? null}
        appName={detail.app.name}
        levelLabel={levelLabelOf(detail.app.accessLevels)}
        confirmLabel="Change availability"
        pending={change.isPending}
        onConfirm={() => proposed && apply(proposed.input, impactSentence(proposed.impact))}
        onClose={() => setProposed(null)}
      />
    </section>
  );
}
