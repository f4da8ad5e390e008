import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ssoSettingsInputSchema, type SsoSettingsFormInput } from '@autoprov/contract';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { notify } from '../../../lib/notify';
import { useApp, useSaveSso } from '../../../lib/api/apps';
import { paths } from '../../../lib/paths';
import { useSchemaForm } from '../../../lib/use-schema-form';

const fieldNames = ['entityId', 'ssoUrl', 'certificate'] as const;

/** W-1: a simple "SSO configured" form with the identity provider's settings. */
export function SsoPage() {
  const { key = '' } = useParams();
  const app = useApp(key);
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  return (
    <Page title={`SSO for ${app.data.app.name}`}>
      <SsoForm appKey={key} defaultValues={app.data.sso ?? { entityId: '', ssoUrl: '', certificate: '' }} />
    </Page>
  );
}

function SsoForm({ appKey, defaultValues }: { appKey: string; defaultValues: SsoSettingsFormInput }) {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const save = useSaveSso(appKey);
  const back = search.get('from') === 'wizard' ? paths.setupStep(appKey, 'prerequisite') : paths.app(appKey);
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema: ssoSettingsInputSchema,
    defaultValues,
    serverFields: fieldNames,
    submit: save.mutateAsync,
    onSuccess: () => {
      notify.done('SSO settings saved.');
      navigate(back);
    },
  });
  const { errors } = form.formState;
  return (
    <form className="card stack" onSubmit={submit} noValidate>
      <p className="muted">Copy these from the app's SSO settings page, as your identity provider shows them.</p>
      <FormAlert message={alert} />
      <Field label="Entity ID" required error={errors.entityId}>
        {(a) => <input {...a} {...form.register('entityId')} />}
      </Field>
      <Field label="Sign-in URL" required error={errors.ssoUrl} hint="https:// only">
        {(a) => <input {...a} type="url" {...form.register('ssoUrl')} />}
      </Field>
      <Field label="IdP certificate" required error={errors.certificate} hint="The X.509 certificate your identity provider signs with, in PEM form (-----BEGIN CERTIFICATE----- …)">
        {(a) => <textarea {...a} rows={8} spellCheck={false} className="monospace" {...form.register('certificate')} />}
      </Field>
      <div className="actions start">
        <button type="button" className="secondary" onClick={() => navigate(back)}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Save
        </button>
      </div>
    </form>
  );
}
