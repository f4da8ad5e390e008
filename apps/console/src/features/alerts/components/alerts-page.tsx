import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { alertKindLabels, alertSettingsInputSchema, type AlertDelivery, type AlertSettings, type AlertSettingsInput, type Notification } from '@autoprov/contract';
import { DataTable, type Column } from '../../../components/ui/data-table';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { EmptyState, ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { notify } from '../../../lib/notify';
import { useCanWrite } from '../../../lib/session';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { alertSettingsQueryOptions, notificationsQueryOptions, useReplaceWebhookSecret, useSaveAlertSettings, useTestDelivery } from '../api/alerts';

/** L-7: the notifications every admin reads, and where super-admins send alerts. */
export function AlertsPage() {
  const canWrite = useCanWrite();
  return (
    <Page title="Alerts">
      <Notifications />
      <SettingsSection canWrite={canWrite} />
    </Page>
  );
}

function Notifications() {
  const list = useQuery(notificationsQueryOptions);
  return (
    <section className="stack" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">Notifications</h2>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState title="No alerts yet">
          <p>Super-admins are told here, by e-mail and by webhook, when a configuration needs re-authorization, an app is quarantined, a run is held or a run partly fails: once each time, until it is over.</p>
        </EmptyState>
      ) : (
        <DataTable aria-labelledby="notifications-heading" rows={list.data.items} rowKey={(n) => n.id} columns={notificationColumns} />
      )}
    </section>
  );
}

const notificationColumns: Column<Notification>[] = [
  { header: 'When', cell: (n) => new Date(n.startedAt).toLocaleString() },
  { header: 'App', cell: (n) => <Link to={n.link}>{n.appName}</Link> },
  {
    header: 'Alert',
    cell: (n) => (
      <>
        <strong>{alertKindLabels[n.kind]}</strong>
        <p className="hint">{n.message}</p>
      </>
    ),
  },
  { header: 'Status', cell: (n) => (n.endedAt ? `Ended ${new Date(n.endedAt).toLocaleString()}` : 'Ongoing') },
  { header: 'Delivered', cell: (n) => (n.deliveries.length === 0 ? 'Console only' : n.deliveries.map((d) => <DeliveryLine key={d.channel} d={d} />)) },
];

function DeliveryLine({ d }: { d: AlertDelivery }) {
  const what = d.channel === 'email' ? 'E-mail' : 'Webhook';
  return <p>{d.ok ? `${what} to ${d.to}` : `${what} failed after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}: ${d.error ?? 'unknown error'}`}</p>;
}

const fieldNames = ['smtpHost', 'smtpPort', 'smtpSecure', 'smtpUser', 'smtpPassword', 'smtpFrom', 'recipients', 'webhookUrl'] as const;

const formValues = (s: AlertSettings): AlertSettingsInput => ({
  smtpHost: s.smtpHost,
  smtpPort: s.smtpPort,
  smtpSecure: s.smtpSecure,
  smtpUser: s.smtpUser,
  smtpPassword: '',
  clearSmtpPassword: false,
  smtpFrom: s.smtpFrom,
  recipients: s.recipients,
  webhookUrl: s.webhookUrl,
});

function SettingsSection({ canWrite }: { canWrite: boolean }) {
  const settings = useQuery(alertSettingsQueryOptions);
  if (settings.isPending) return <Loading />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  return <SettingsForm settings={settings.data} canWrite={canWrite} />;
}

function SettingsForm({ settings, canWrite }: { settings: AlertSettings; canWrite: boolean }) {
  const save = useSaveAlertSettings();
  const replaceSecret = useReplaceWebhookSecret();
  const testEmail = useTestDelivery('email');
  const testWebhook = useTestDelivery('webhook');
  const [secret, setSecret] = useState<string | null>(null);
  const { form, alert, setAlert, onSubmit: submit } = useSchemaForm({
    schema: alertSettingsInputSchema,
    defaultValues: formValues(settings),
    serverFields: fieldNames,
    submit: save.mutateAsync,
    onSuccess: (saved) => {
      form.reset(formValues(saved));
      if (saved.webhookSecret) setSecret(saved.webhookSecret);
      notify.done('Alert settings saved.');
    },
  });
  const { errors } = form.formState;

  const runTest = async (test: typeof testEmail, what: string) => {
    setAlert(null);
    try {
      const { delivery } = await test.mutateAsync();
      if (delivery.ok) notify.done(`Test ${what} sent to ${delivery.to}.`);
      else notify.failed(`The test ${what} failed: ${delivery.error ?? 'unknown error'}`);
    } catch (err) {
      setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
    }
  };

  const dirty = form.formState.isDirty;
  return (
    <form onSubmit={submit} noValidate className="stack" aria-labelledby="alert-settings-heading">
      <h2 id="alert-settings-heading">Where alerts go</h2>
      <FormAlert message={alert} />
      <fieldset className="card stack" disabled={!canWrite}>
        <legend>E-mail (SMTP)</legend>
        <Field label="SMTP server" error={errors.smtpHost} hint="Leave empty to send no e-mail.">
          {(a) => <input {...a} {...form.register('smtpHost')} />}
        </Field>
        <Field label="Port" error={errors.smtpPort}>
          {(a) => <input {...a} type="number" inputMode="numeric" {...form.register('smtpPort', { valueAsNumber: true })} />}
        </Field>
        <label>
          <input type="checkbox" {...form.register('smtpSecure')} /> TLS from the start (usually port 465; otherwise STARTTLS is used when offered)
        </label>
        <Field label="User name" error={errors.smtpUser} hint="Leave empty if the server takes mail without signing in.">
          {(a) => <input {...a} autoComplete="off" {...form.register('smtpUser')} />}
        </Field>
        <Field label="Password" error={errors.smtpPassword} hint={settings.smtpPasswordSet ? 'A password is stored. Leave empty to keep it.' : undefined}>
          {(a) => <input {...a} type="password" autoComplete="new-password" {...form.register('smtpPassword')} />}
        </Field>
        {settings.smtpPasswordSet ? (
          <label>
            <input type="checkbox" {...form.register('clearSmtpPassword')} /> Forget the stored password
          </label>
        ) : null}
        <Field label="Sender address" error={errors.smtpFrom}>
          {(a) => <input {...a} type="email" {...form.register('smtpFrom')} />}
        </Field>
        <Field
          label="Recipients"
          error={errors.recipients}
          hint={`Separate addresses with commas. Leave empty to send to every super-admin (now: ${settings.effectiveRecipients.join(', ') || 'nobody'}).`}
        >
          {(a) => <input {...a} {...form.register('recipients')} />}
        </Field>
        {canWrite ? (
          <div className="actions start">
            <button type="button" className="secondary" disabled={dirty || !settings.smtpHost || testEmail.isPending} onClick={() => runTest(testEmail, 'e-mail')}>
              {testEmail.isPending ? 'Sending…' : 'Send a test e-mail'}
            </button>
            {dirty ? <p className="hint">Save first to test these settings.</p> : null}
          </div>
        ) : null}
      </fieldset>
      <fieldset className="card stack" disabled={!canWrite}>
        <legend>Webhook</legend>
        <Field
          label="Webhook address"
          error={errors.webhookUrl}
          hint="autoprov POSTs each alert as JSON, signed: X-Autoprov-Signature is sha256= and the hex HMAC-SHA256 of X-Autoprov-Timestamp, a dot and the body, with the secret."
        >
          {(a) => <input {...a} type="url" {...form.register('webhookUrl')} />}
        </Field>
        {secret ? (
          <div className="card" role="status">
            <p>
              The webhook secret, shown once. Give it to the receiver now: <code>{secret}</code>
            </p>
          </div>
        ) : settings.webhookSecretSet ? (
          <p className="hint">A secret is set. It is not shown again; replace it if the receiver lost it.</p>
        ) : null}
        {canWrite ? (
          <div className="actions start">
            <button type="button" className="secondary" disabled={dirty || !settings.webhookUrl || testWebhook.isPending} onClick={() => runTest(testWebhook, 'webhook')}>
              {testWebhook.isPending ? 'Sending…' : 'Send a test webhook'}
            </button>
            {settings.webhookSecretSet ? (
              <button
                type="button"
                className="secondary"
                disabled={replaceSecret.isPending}
                onClick={async () => {
                  try {
                    const saved = await replaceSecret.mutateAsync();
                    setSecret(saved.webhookSecret ?? null);
                    notify.done('A new webhook secret was made; the old one no longer works.');
                  } catch (err) {
                    setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
                  }
                }}
              >
                Replace the secret
              </button>
            ) : null}
          </div>
        ) : null}
      </fieldset>
      {canWrite ? (
        <div className="actions start">
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? 'Saving…' : 'Save'}
          </button>
        </div>
      ) : null}
    </form>
  );
}
