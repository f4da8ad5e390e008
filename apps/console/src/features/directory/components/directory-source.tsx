import { useState } from 'react';
import { googleConnectInputSchema, type DirectorySource, type GoogleConnectInput, type GoogleSwitchPreview } from '@autoprov/contract';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { useCanWrite } from '../../../lib/session';
import { formatTime } from '../../../lib/labels';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { useCheckGoogle, useConnectGoogle, useDirectorySource, useDisconnectGoogle, usePreviewGoogle, useReadGoogleNow } from '../../../lib/api/source';

const fieldNames = ['serviceAccountKey', 'adminEmail'] as const;

/** Issue 6: where the directory comes from — the built-in one, or Google Workspace. */
export function DirectorySourcePage() {
  const source = useDirectorySource();
  return (
    <Page title="Directory source">
      {source.isPending ? (
        <Loading />
      ) : source.isError ? (
        <ErrorState error={source.error} onRetry={() => void source.refetch()} />
      ) : source.data.kind === 'google' && source.data.google ? (
        <GoogleStatus google={source.data.google} />
      ) : (
        <ConnectGoogle previous={source.data.previousGoogleDomain} />
      )}
    </Page>
  );
}

function GoogleStatus({ google }: { google: NonNullable<DirectorySource['google']> }) {
  const canWrite = useCanWrite();
  const readNow = useReadGoogleNow();
  const disconnect = useDisconnectGoogle();
  const [confirm, setConfirm] = useState(false);
  return (
    <section className="card stack" aria-labelledby="source-heading">
      <h2 id="source-heading">Google Workspace ({google.primaryDomain})</h2>
      <p>People, groups and org units are read from Google Workspace: change them in the Google Admin console. Changes arrive within minutes.</p>
      {google.lastError ? (
        <p className="form-alert" role="alert">
          The last read failed ({formatTime(google.lastErrorAt)}): {google.lastError} Nothing in the directory was changed by it.
        </p>
      ) : null}
      {readNow.error ? <ErrorState error={readNow.error} /> : null}
      <dl className="details">
        <dt>Acting as</dt>
        <dd>
          {google.adminEmail}
          {google.lastErrorField === 'adminEmail' ? <ToChange what="another super-admin's e-mail" /> : null}
        </dd>
        <dt>Service account</dt>
        <dd>
          {google.clientEmail} (client ID {google.clientId})
          {google.lastErrorField === 'serviceAccountKey' ? <ToChange what="the service account key" /> : null}
        </dd>
        <dt>Connected</dt>
        <dd>{formatTime(google.connectedAt)}</dd>
        <dt>Last full read</dt>
        <dd>{formatTime(google.lastFullReadAt)}</dd>
        <dt>Last look for changes</dt>
        <dd>{formatTime(google.lastChangeReadAt)}</dd>
      </dl>
      {canWrite ? (
        <div className="actions start">
          <button type="button" className="secondary" disabled={readNow.isPending} onClick={() => readNow.mutate(undefined)}>
            {readNow.isPending ? 'Reading…' : 'Read everything now'}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirm(true)}>
            Disconnect
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm}
        title="Disconnect Google Workspace?"
        message={<p>autoprov stops reading Google. The users and groups already read stay in autoprov, in the built-in directory, where they can be edited. Nothing changes in the apps.</p>}
        confirmLabel="Disconnect"
        pending={disconnect.isPending}
        onConfirm={() => disconnect.mutate(undefined, { onSettled: () => setConfirm(false) })}
        onClose={() => setConfirm(false)}
      />
    </section>
  );
}

/** G-2: the part of the connection the last failure asks to change, where it is shown. */
function ToChange({ what }: { what: string }) {
  return <span className="field-error"> This is what to change: disconnect, then connect again with {what}.</span>;
}

function ConnectGoogle({ previous }: { previous: string | null }) {
  const canWrite = useCanWrite();
  const check = useCheckGoogle();
  const preview = usePreviewGoogle();
  const connect = useConnectGoogle();
  const [checked, setChecked] = useState<string | null>(null);
  const [plan, setPlan] = useState<{ input: GoogleConnectInput; preview: GoogleSwitchPreview } | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const { form, alert, setAlert, onSubmit: onPreview, fail: failed } = useSchemaForm({
    schema: googleConnectInputSchema,
    defaultValues: { serviceAccountKey: '', adminEmail: '' },
    serverFields: fieldNames,
    submit: preview.mutateAsync,
    onSuccess: (result, input) => setPlan({ input, preview: result }),
  });
  const { errors } = form.formState;

  const onCheck = form.handleSubmit(async (input) => {
    setAlert(null);
    setChecked(null);
    try {
      setChecked((await check.mutateAsync(input)).message);
    } catch (err) {
      failed(err);
    }
  });

  return (
    <section className="card stack" aria-labelledby="source-heading">
      <h2 id="source-heading">Built-in directory</h2>
      <p>
        People are managed here, in autoprov.{' '}
        {previous ? `They were read from Google Workspace (${previous}) until it was disconnected. ` : ''}
        To use Google Workspace as the directory instead, connect it with a service account that has domain-wide delegation.
      </p>
      {canWrite ? (
        <form className="stack" onSubmit={(e) => e.preventDefault()} noValidate aria-label="Connect Google Workspace">
          <h3>Connect Google Workspace</h3>
          <p className="muted">
            In the Google Cloud console, create a service account and a JSON key for it. In the Google Admin console (Security → Access and data
            control → API controls → Domain-wide delegation), give its client ID these read-only scopes: admin.directory.user.readonly,
            admin.directory.group.readonly, admin.directory.group.member.readonly, admin.directory.orgunit.readonly,
            admin.directory.domain.readonly, admin.reports.audit.readonly. The key is stored encrypted and never shown again.
          </p>
          <FormAlert message={alert} />
          <Field label="Service account key (JSON)" required error={errors.serviceAccountKey} hint={fileName ? `Chosen: ${fileName}` : undefined}>
            {(a) => (
              <input
                {...a}
                type="file"
                accept="application/json,.json"
                onChange={async (e) => {
                  const file = e.target.files?.[0];
                  setFileName(file?.name ?? null);
                  form.setValue('serviceAccountKey', file ? await file.text() : '', { shouldValidate: true });
                }}
              />
            )}
          </Field>
          <Field label="Super-admin e-mail to act as" required error={errors.adminEmail}>
            {(a) => <input {...a} type="email" autoComplete="off" {...form.register('adminEmail')} />}
          </Field>
          {checked ? (
            <p className="notice success" role="status">
              {checked}
            </p>
          ) : null}
          <div className="actions start">
            <button type="button" className="secondary" disabled={check.isPending} onClick={() => void onCheck()}>
              {check.isPending ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" className="primary" disabled={preview.isPending} onClick={() => void onPreview()}>
              {preview.isPending ? 'Reading Google…' : 'Review the switch'}
            </button>
          </div>
        </form>
      ) : null}
      <ConfirmDialog
        open={plan !== null}
        title="Switch the directory to Google Workspace?"
        message={
          plan ? (
            <div className="stack">
              <p>
                {plan.preview.primaryDomain}: {plan.preview.usersInGoogle.toLocaleString()} users, {plan.preview.groups.toLocaleString()} groups,{' '}
                {plan.preview.orgUnits.toLocaleString()} org units.
              </p>
              <ul>
                <li>{plan.preview.matched.toLocaleString()} users already here are matched by address: their app accounts stay linked.</li>
                <li>{plan.preview.newUsers.toLocaleString()} users are new to autoprov.</li>
                <li>{plan.preview.notInGoogle.toLocaleString()} users here are not in Google: they will be marked deleted.</li>
                <li>
                  {plan.preview.appsPaused.length
                    ? `Provisioning is paused for ${plan.preview.appsPaused.join(', ')}: nothing is suspended or deleted in an app by the switch. Check each app (a dry run shows what would change), then turn provisioning on again.`
                    : 'No app is being provisioned now.'}
                </li>
              </ul>
            </div>
          ) : null
        }
        confirmLabel="Switch to Google Workspace"
        pending={connect.isPending}
        onConfirm={() =>
          plan &&
          connect.mutate(plan.input, {
            onError: (err) => failed(err),
            onSettled: () => setPlan(null),
          })
        }
        onClose={() => setPlan(null)}
      />
    </section>
  );
}
