import { useState } from 'react';
import {
  changePasswordInputSchema,
  confirmTwoFactorInputSchema,
  disableTwoFactorInputSchema,
  type ChangePasswordInput,
  type TwoFactorSetup,
} from '@autoprov/contract';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { notify } from '../../../lib/notify';
import { useSession } from '../../../lib/session';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { useBeginTwoFactor, useChangePassword, useConfirmTwoFactor, useDisableTwoFactor, useTwoFactorStatus } from '../api/account';

/** S-6: the signed-in admin's own password and two-factor sign-in, whatever their role. */
export function AccountSecurityPage() {
  const session = useSession().data;
  return (
    <Page title="Account security">
      <div className="sections">
        {session?.twoFactor.setupRequired ? (
          <p className="notice" role="status">
            A super-admin requires two-factor sign-in for every admin. Set it up below to use the console.
          </p>
        ) : null}
        <TwoFactorSection />
        <ChangePasswordSection />
      </div>
    </Page>
  );
}

const emptyPasswords: ChangePasswordInput = { currentPassword: '', newPassword: '' };

function ChangePasswordSection() {
  const change = useChangePassword();
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema: changePasswordInputSchema,
    defaultValues: emptyPasswords,
    serverFields: ['currentPassword', 'newPassword'],
    submit: change.mutateAsync,
    onSuccess: () => {
      form.reset(emptyPasswords);
      notify.done('Password changed. Your other sessions were signed out.');
    },
  });
  const { errors } = form.formState;
  return (
    <section className="card stack" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form className="stack narrow" onSubmit={submit} noValidate>
        <FormAlert message={alert} />
        <Field label="Current password" error={errors.currentPassword}>
          {(a) => <input {...a} type="password" autoComplete="current-password" {...form.register('currentPassword')} />}
        </Field>
        <Field label="New password" error={errors.newPassword} hint="At least 12 characters and hard to guess: a few unrelated words work well; not your name or e-mail.">
          {(a) => <input {...a} type="password" autoComplete="new-password" {...form.register('newPassword')} />}
        </Field>
        <div>
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}

function TwoFactorSection() {
  const status = useTwoFactorStatus();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  return (
    <section className="card stack" aria-labelledby="two-factor-heading">
      <h2 id="two-factor-heading">Two-factor sign-in</h2>
      {recoveryCodes ? (
        <RecoveryCodesShown codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />
      ) : status.isPending ? (
        <Loading />
      ) : status.isError ? (
        <ErrorState error={status.error} onRetry={() => status.refetch()} />
      ) : status.data.enabled ? (
        <>
          <p>
            Two-factor sign-in is on: signing in asks for a code from your authenticator app. {status.data.recoveryCodesLeft} recovery code(s)
            left.
          </p>
          <TurnOffTwoFactor />
        </>
      ) : (
        <SetUpTwoFactor onEnabled={setRecoveryCodes} />
      )}
    </section>
  );
}

function SetUpTwoFactor({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const begin = useBeginTwoFactor();
  const confirm = useConfirmTwoFactor();
  const [setup, setSetup] = useState<TwoFactorSetup | null>(null);
  const { form, alert, setAlert, onSubmit: submit, fail } = useSchemaForm({
    schema: confirmTwoFactorInputSchema,
    defaultValues: { code: '' },
    serverFields: ['code'],
    submit: confirm.mutateAsync,
    onSuccess: ({ codes }) => {
      notify.done('Two-factor sign-in is on.');
      onEnabled(codes);
    },
  });

  if (!setup) {
    return (
      <>
        <p>Two-factor sign-in is off. Turn it on to ask for a code from an authenticator app (such as 1Password, Google Authenticator or Aegis) at each sign-in.</p>
        <FormAlert message={alert} />
        <div>
          <button
            type="button"
            className="primary"
            disabled={begin.isPending}
            onClick={async () => {
              setAlert(null);
              try {
                setSetup(await begin.mutateAsync());
              } catch (err) {
                fail(err);
              }
            }}
          >
            Set up two-factor sign-in
          </button>
        </div>
      </>
    );
  }

  return (
    <form className="stack narrow" onSubmit={submit} noValidate>
      <p>1. Scan this QR code with your authenticator app.</p>
      <img src={setup.qrCode} alt="QR code to add autoprov to your authenticator app" width={200} height={200} />
      <p>
        Or type this key into the app: <code aria-label="Setup key">{setup.secret}</code>
      </p>
      <p>2. Enter the 6-digit code the app shows.</p>
      <FormAlert message={alert} />
      <Field label="Code from the app" error={form.formState.errors.code}>
        {(a) => <input {...a} inputMode="numeric" autoComplete="one-time-code" {...form.register('code')} />}
      </Field>
      <div>
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Turn on
        </button>
      </div>
    </form>
  );
}

function RecoveryCodesShown({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="stack">
      <p className="notice">
        Save these recovery codes somewhere safe now: they are shown only once. Each one signs you in once if you lose your authenticator.
      </p>
      <ul aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}

function TurnOffTwoFactor() {
  const disable = useDisableTwoFactor();
  const [open, setOpen] = useState(false);
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema: disableTwoFactorInputSchema,
    defaultValues: { password: '' },
    serverFields: ['password'],
    submit: disable.mutateAsync,
    onSuccess: () => notify.done('Two-factor sign-in is off.'),
  });
  if (!open) {
    return (
      <div>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Turn off two-factor sign-in
        </button>
      </div>
    );
  }
  return (
    <form className="stack narrow" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <Field label="Your password" error={form.formState.errors.password} hint="Needed to turn two-factor sign-in off.">
        {(a) => <input {...a} type="password" autoComplete="current-password" {...form.register('password')} />}
      </Field>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Turn off
        </button>
      </div>
    </form>
  );
}
