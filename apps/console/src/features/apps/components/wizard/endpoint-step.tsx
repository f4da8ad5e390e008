import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { endpointInputSchema, type EndpointInput } from '@autoprov/contract';
import { Field } from '../../../../components/ui/field';
import { FormAlert } from '../../../../components/ui/states';
import { useCheckEndpoint, useSaveEndpoint } from '../../../../lib/api/apps';
import { useSchemaForm } from '../../../../lib/use-schema-form';
import { FormActions } from '../../../../components/ui/form-actions';
import { type StepProps, useRemembered } from './step';

/** "Replace {Region} and {TenantId} with your values." for a template with placeholders (W-3). */
function placeholderHint(template: string | null): string | null {
  const names = [...new Set(template?.match(/\{\w+\}/g) ?? [])];
  if (names.length === 0) return null;
  if (names.length === 1 && names[0] === '{AccountKey}') return 'Replace {AccountKey} with your account key. ';
  return `Replace ${names.join(' and ')} with your value${names.length > 1 ? 's' : ''}. `;
}

/** W-3: the endpoint, prefilled from the catalog; tested before it is saved. */
export function EndpointStep({ detail, configuration, next, back }: StepProps) {
  const key = detail.app.key;
  const save = useSaveEndpoint(key);
  const check = useCheckEndpoint(key);
  const { remembered, remember } = useRemembered<EndpointInput>('endpoint');
  const [checked, setChecked] = useState<string | null>(null);
  // W-2: back from the app's consent page, the screen says it worked.
  const [search] = useSearchParams();
  const justAuthorized = search.get('authorized') === '1' && configuration.authorization === 'oauth';
  const { form, alert, fail, onSubmit: submit } = useSchemaForm({
    schema: endpointInputSchema,
    // A custom app starts from the address its authorization was given for (S-5).
    defaultValues: remembered ?? { endpointUrl: configuration.endpointUrl ?? detail.app.endpointTemplate ?? configuration.authorizedOrigin ?? '' },
    serverFields: ['endpointUrl'],
    submit: ({ endpointUrl }) => save.mutateAsync(endpointUrl),
    onSuccess: next,
  });
  const { errors } = form.formState;
  useEffect(() => () => remember(form.getValues()), [form, remember]);

  const test = form.handleSubmit(async ({ endpointUrl }) => {
    setChecked(null);
    try {
      setChecked((await check.mutateAsync(endpointUrl)).message);
    } catch (err) {
      // Like Save: the reason goes next to the field, or above the form when it names no field.
      fail(err);
    }
  });

  return (
    <form className="stack" onSubmit={submit} noValidate>
      {justAuthorized ? (
        <p className="notice success" role="status">
          Authorized: {detail.app.name} allowed autoprov to manage its accounts.
        </p>
      ) : null}
      <FormAlert message={alert} />
      <Field
        label="Endpoint URL"
        required
        error={errors.endpointUrl}
        hint={
          <>
            {placeholderHint(detail.app.endpointTemplate)}
            {detail.app.endpointHelp}
          </>
        }
      >
        {(a) => <input {...a} type="url" className="wide" {...form.register('endpointUrl', { onChange: () => setChecked(null) })} />}
      </Field>
      <div>
        <button type="button" className="secondary" onClick={() => void test()} disabled={check.isPending}>
          {check.isPending ? 'Testing…' : 'Test connection'}
        </button>
      </div>
      {checked ? (
        <p className="notice success" role="status">
          {checked}
        </p>
      ) : null}
      <FormActions onBack={back} pending={save.isPending} />
    </form>
  );
}
