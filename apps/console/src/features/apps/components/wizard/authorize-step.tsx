import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { bearerTokenInputSchema, oauthClientInputSchema, type OAuthClientInput } from '@autoprov/contract';
import { Field } from '../../../../components/ui/field';
import { FormAlert } from '../../../../components/ui/states';
import { notify } from '../../../../lib/notify';
import { useSchemaForm } from '../../../../lib/use-schema-form';
import { useReachStep, useSaveBearerToken, useStartAuthorization } from '../../../../lib/api/apps';
import { FormActions } from '../../../../components/ui/form-actions';
import { type StepProps, useRemembered } from './step';

/**
 * W-2: the admin goes to the app's own authorization page (OAuth 2.0 code + PKCE) and comes
 * back; apps that take one may be given a bearer token instead. Tokens never reach the browser.
 */
export function AuthorizeStep({ detail, configuration, next, back }: StepProps) {
  const [search] = useSearchParams();
  const returnedError = search.get('authorization_error');
  const key = detail.app.key;
  const start = useStartAuthorization(key);
  const reach = useReachStep(key);
  // Most SaaS SCIM APIs take only a token made in their admin settings (the catalog says which).
  const tokenOnly = detail.app.authorization === 'bearer';
  const [method, setMethod] = useState<'oauth' | 'bearer'>(tokenOnly ? 'bearer' : (configuration.authorization ?? 'oauth'));
  const [alert, setAlert] = useState<string | null>(returnedError);
  const authorized = configuration.authorization !== null;

  const goAuthorize = (client?: OAuthClientInput) =>
    start.mutateAsync(client).then(({ authorizationUrl }) => window.location.assign(authorizationUrl));

  return (
    <div className="stack">
      <FormAlert message={alert} />
      {authorized ? (
        <p className="notice success" role="status">
          autoprov is authorized in {detail.app.name} ({configuration.authorization === 'oauth' ? 'OAuth' : 'bearer token'})
          {configuration.authorizedOrigin ? <>, for {configuration.authorizedOrigin} only</> : null}.
        </p>
      ) : tokenOnly ? (
        <p>
          autoprov needs a token from {detail.app.name} to manage its accounts. {detail.app.endpointHelp}
        </p>
      ) : (
        <p>
          autoprov needs {detail.app.name}'s permission to manage its accounts. You will sign in to {detail.app.name} as one of its admins and
          allow autoprov, then come back here.
        </p>
      )}
      {detail.app.authorization === 'oauth_or_bearer' ? (
        <fieldset>
          <legend>How autoprov signs in to {detail.app.name}</legend>
          <label className="inline">
            <input type="radio" name="method" checked={method === 'oauth'} onChange={() => setMethod('oauth')} /> OAuth 2.0 (the app's sign-in and
            consent)
          </label>
          <label className="inline">
            <input type="radio" name="method" checked={method === 'bearer'} onChange={() => setMethod('bearer')} /> A bearer token from the app
          </label>
        </fieldset>
      ) : null}
      {method === 'bearer' ? (
        <BearerForm
          appKey={key}
          endpointUrl={configuration.endpointUrl ?? detail.app.endpointTemplate ?? ''}
          onSaved={() => {
            notify.done(`Token saved: autoprov is authorized in ${detail.app.name}.`);
            next();
          }}
          back={back}
        />
      ) : detail.app.builtInOAuth ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (authorized) reach.mutate('endpoint', { onSuccess: next });
          }}
        >
          <div>
            <button
              type="button"
              className={authorized ? 'secondary' : 'primary'}
              disabled={start.isPending}
              onClick={() => {
                setAlert(null);
                goAuthorize().catch((err: unknown) => setAlert(err instanceof Error ? err.message : 'The authorization could not start.'));
              }}
            >
              {authorized ? `Authorize again in ${detail.app.name}` : `Authorize in ${detail.app.name}`}
            </button>
          </div>
          <FormActions onBack={back} disabled={!authorized} pending={reach.isPending} />
        </form>
      ) : (
        <OAuthClientForm onSubmit={goAuthorize} endpointUrl={configuration.endpointUrl ?? ''} back={back} authorized={authorized} next={next} />
      )}
    </div>
  );
}

const endpointHint = 'The address of its SCIM service. autoprov sends the authorization to this address only: another one needs a new authorization.';

function BearerForm({ appKey, endpointUrl, onSaved, back }: { appKey: string; endpointUrl: string; onSaved: () => void; back: () => void }) {
  const save = useSaveBearerToken(appKey);
  const { remember } = useRemembered<{ endpointUrl: string }>('endpoint');
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema: bearerTokenInputSchema,
    defaultValues: { token: '', endpointUrl },
    serverFields: ['token', 'endpointUrl'],
    submit: save.mutateAsync,
    onSuccess: (_, input) => {
      // The endpoint step starts from the address just given.
      if (input.endpointUrl) remember({ endpointUrl: input.endpointUrl });
      onSaved();
    },
  });
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <Field label="Endpoint URL" required error={form.formState.errors.endpointUrl} hint={endpointHint}>
        {(a) => <input {...a} type="url" className="wide" {...form.register('endpointUrl')} />}
      </Field>
      <Field label="Bearer token" required error={form.formState.errors.token} hint="Stored encrypted; it is never shown again.">
        {(a) => <input {...a} type="password" autoComplete="off" {...form.register('token')} />}
      </Field>
      <FormActions onBack={back} pending={save.isPending} submitLabel="Save the token and continue" />
    </form>
  );
}

const clientFields = ['endpointUrl', 'authorizationUrl', 'tokenUrl', 'clientId', 'clientSecret', 'scope'] as const;

function OAuthClientForm({
  onSubmit,
  endpointUrl,
  back,
  authorized,
  next,
}: {
  onSubmit: (c: OAuthClientInput) => Promise<void>;
  endpointUrl: string;
  back: () => void;
  authorized: boolean;
  next: () => void;
}) {
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema: oauthClientInputSchema,
    defaultValues: { authorizationUrl: '', tokenUrl: '', clientId: '', clientSecret: '', scope: '', endpointUrl },
    serverFields: clientFields.map((f) => `client.${f}`),
    submit: onSubmit,
  });
  const { errors } = form.formState;
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <p className="muted">
        Register this redirect URI with the app's OAuth client: <code>{`${window.location.origin}/api/oauth/callback`}</code>
      </p>
      <Field label="Endpoint URL" required error={errors.endpointUrl} hint={endpointHint}>
        {(a) => <input {...a} type="url" className="wide" {...form.register('endpointUrl')} />}
      </Field>
      <Field label="Authorization URL" required error={errors.authorizationUrl}>
        {(a) => <input {...a} type="url" {...form.register('authorizationUrl')} />}
      </Field>
      <Field label="Token URL" required error={errors.tokenUrl}>
        {(a) => <input {...a} type="url" {...form.register('tokenUrl')} />}
      </Field>
      <Field label="Client ID" required error={errors.clientId}>
        {(a) => <input {...a} autoComplete="off" {...form.register('clientId')} />}
      </Field>
      <Field label="Client secret" required error={errors.clientSecret}>
        {(a) => <input {...a} type="password" autoComplete="off" {...form.register('clientSecret')} />}
      </Field>
      <Field label="Scope" error={errors.scope} hint="Space-separated, as the app's documentation gives it">
        {(a) => <input {...a} {...form.register('scope')} />}
      </Field>
      <div className="actions start">
        <button type="button" className="secondary" onClick={back}>
          Back
        </button>
        <button type="submit" className="primary">
          Authorize in the app
        </button>
        {authorized ? (
          <button type="button" className="secondary" onClick={next}>
            Keep the current authorization and continue
          </button>
        ) : null}
      </div>
    </form>
  );
}
