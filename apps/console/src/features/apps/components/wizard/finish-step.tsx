import { useState } from 'react';
import { useNavigate } from 'react-router';
import { deprovisionTriggerLabels, deprovisionTriggers, directoryAttributes } from '@autoprov/contract';
import { FormAlert } from '../../../../components/ui/states';
import { ApiError } from '../../../../lib/api-client';
import { useFinishSetup } from '../../../../lib/api/apps';
import { actionLabels, delayLabels } from '../../../../lib/labels';
import { FormActions } from '../../../../components/ui/form-actions';
import { type StepProps } from './step';
import { paths } from '../../../../lib/paths';

/** W-7: a summary, then the configuration is saved as a draft; activating (W-8) is on the app's page. */
export function FinishStep({ detail, configuration, back }: StepProps) {
  const finish = useFinishSetup(detail.app.key);
  const navigate = useNavigate();
  const [alert, setAlert] = useState<string | null>(null);
  const label = (source: string) => directoryAttributes[source as keyof typeof directoryAttributes] ?? source;
  const levelLabel = (value: string) => detail.app.accessLevels.find((l) => l.value === value)?.label ?? value;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        setAlert(null);
        finish.mutate(undefined, {
          onSuccess: () => navigate(paths.app(detail.app.key, { finished: true })),
          onError: (err) => setAlert(err instanceof ApiError ? err.message : 'The setup could not be saved.'),
        });
      }}
    >
      <p>Check the setup. Finishing saves it as a draft: nothing is sent to {detail.app.name} until you activate provisioning.</p>
      <FormAlert message={alert} />
      <dl className="details">
        <dt>Authorization</dt>
        <dd>{configuration.authorization === 'oauth' ? 'OAuth 2.0' : configuration.authorization === 'bearer' ? 'Bearer token' : 'Not authorized'}</dd>
        <dt>Endpoint URL</dt>
        <dd>{configuration.endpointUrl ?? 'Not set'}</dd>
        <dt>Mapping</dt>
        <dd>
          <ul className="plain">
            {detail.app.attributes
              .filter((a) => configuration.mapping[a.path])
              .map((a) => (
                <li key={a.path}>
                  {a.label} ← {label(configuration.mapping[a.path]!)}
                </li>
              ))}
          </ul>
        </dd>
        <dt>Scope</dt>
        <dd>
          {configuration.scope.length === 0 ? (
            `Every user for whom ${detail.app.name} is ON`
          ) : (
            <ul className="plain">
              {configuration.scope.map((g) => (
                <li key={g.groupId}>
                  {g.name}: {levelLabel(g.accessLevel)}
                  {g.teamName ? `, team “${g.teamName}”` : ''}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Deprovisioning</dt>
        <dd>
          <ul className="plain">
            {deprovisionTriggers.map((t) => (
              <li key={t}>
                {deprovisionTriggerLabels[t]}: {actionLabels[configuration.deprovisioning[t].action].toLowerCase()},{' '}
                {delayLabels[configuration.deprovisioning[t].delay].toLowerCase()}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <FormActions onBack={back} submitLabel="Finish" pending={finish.isPending} />
    </form>
  );
}
