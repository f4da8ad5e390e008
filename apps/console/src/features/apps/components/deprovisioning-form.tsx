import { useEffect, useState } from 'react';
import {
  deprovisionActions,
  deprovisionDelays,
  deprovisioningInputSchema,
  deprovisionTriggerLabels,
  deprovisionTriggers,
  type AppDetail,
  type DeprovisioningInput,
} from '@autoprov/contract';
import { FormActions } from '../../../components/ui/form-actions';
import { FormAlert } from '../../../components/ui/states';
import { notify } from '../../../lib/notify';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { fetchDeprovisioningImpact, useImpactPreview, useSaveDeprovisioning } from '../../../lib/api/apps';
import { ImpactDialog, impactSentence, levelLabelOf } from './impact-summary';
import { actionLabels, delayLabels } from '../../../lib/labels';

interface Props {
  detail: AppDetail;
  initial: DeprovisioningInput;
  submitLabel: string;
  onSaved: () => void;
  onBack: () => void;
  backLabel?: string;
  onLeave?: (values: DeprovisioningInput) => void;
}

/** W-6 and M-2: per trigger, a delay and an action. */
export function DeprovisioningForm({ detail, initial, submitLabel, onSaved, onBack, backLabel = 'Back', onLeave }: Props) {
  const save = useSaveDeprovisioning(detail.app.key);
  // M-6: once the setup is finished, new delays move the pending timers: that is shown first.
  const live = Boolean(detail.configuration?.setupComplete);
  const preview = useImpactPreview((input: DeprovisioningInput) => fetchDeprovisioningImpact(detail.app.key, input));
  const [proposed, setProposed] = useState<Awaited<ReturnType<typeof preview.mutateAsync>> | null>(null);
  const apply = async (values: DeprovisioningInput) => {
    await save.mutateAsync(values);
    onSaved();
  };
  const { form, alert, onSubmit: submit, fail: showError } = useSchemaForm({
    schema: deprovisioningInputSchema,
    defaultValues: initial,
    serverFields: deprovisionTriggers.flatMap((t) => [`${t}.delay`, `${t}.action`]),
    submit: async (values) => (live ? setProposed(await preview.mutateAsync(values)) : apply(values)),
  });
  useEffect(() => () => onLeave?.(form.getValues()), [form, onLeave]);
  const confirm = async () => {
    if (!proposed) return;
    try {
      await apply(proposed.input);
      notify.done(`Deprovisioning for ${detail.app.name} updated. ${impactSentence(proposed.impact)}`);
    } catch (err) {
      showError(err);
    } finally {
      setProposed(null);
    }
  };
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p>What autoprov does to a user's {detail.app.name} account, and when, in each of these cases.</p>
      <FormAlert message={alert} />
      {deprovisionTriggers.map((trigger) => (
        <fieldset key={trigger} className="rule">
          <legend>{deprovisionTriggerLabels[trigger]}</legend>
          <div className="field">
            <label htmlFor={`${trigger}-delay`}>Delay</label>
            <select id={`${trigger}-delay`} {...form.register(`${trigger}.delay`)}>
              {deprovisionDelays.map((d) => (
                <option key={d} value={d}>
                  {delayLabels[d]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${trigger}-action`}>Action</label>
            <select id={`${trigger}-action`} {...form.register(`${trigger}.action`)}>
              {deprovisionActions.map((a) => (
                <option key={a} value={a}>
                  {actionLabels[a]}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      ))}
      <FormActions onBack={onBack} backLabel={backLabel} submitLabel={submitLabel} pending={save.isPending || preview.isPending} />
      <ImpactDialog
        title={`Update deprovisioning for ${detail.app.name}?`}
        impact={proposed?.impact ?? null}
        appName={detail.app.name}
        levelLabel={levelLabelOf(detail.app.accessLevels)}
        confirmLabel="Update deprovisioning"
        pending={save.isPending}
        onConfirm={() => void confirm()}
        onClose={() => setProposed(null)}
      />
    </form>
  );
}
