import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { signInInputSchema } from '@autoprov/contract';
import { Standalone } from '../../components/layout/standalone';
import { Field } from '../../components/ui/field';
import { FormAlert, Loading } from '../../components/ui/states';
import { ApiError } from '../../lib/api-client';
import { setupStatusQueryOptions, useSession, useSignIn } from '../../lib/session';
import { paths } from '../../lib/paths';
import { useSchemaForm } from '../../lib/use-schema-form';

export function SignInRoute() {
  const setup = useQuery(setupStatusQueryOptions);
  const session = useSession();
  const signIn = useSignIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // After a right password, when the admin has two-factor sign-in on (S-6).
  const [needsCode, setNeedsCode] = useState(false);
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : paths.apps;
  const { form, alert, setAlert, onSubmit } = useSchemaForm({
    schema: signInInputSchema,
    defaultValues: { email: '', password: '', code: '' },
    serverFields: ['email', 'password', 'code'],
    submit: (values) => signIn.mutateAsync({ email: values.email, password: values.password, ...(needsCode && values.code ? { code: values.code } : {}) }),
    onSuccess: () => navigate(next, { replace: true }),
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'second_factor_required') {
        setNeedsCode(true);
      } else if (err instanceof ApiError && err.code === 'invalid_credentials' && err.fields.code) {
        form.setError('code', { type: 'server', message: err.fields.code }, { shouldFocus: true });
      } else if (err instanceof ApiError && err.code === 'invalid_credentials') {
        // One message for a wrong address or a wrong password (S-3): never say which.
        setAlert('Wrong e-mail or password.');
      } else return false;
      return true;
    },
  });
  useEffect(() => {
    if (needsCode) form.setFocus('code');
  }, [needsCode, form]);

  if (setup.isPending || session.isPending) {
    return (
      <Standalone>
        <Loading />
      </Standalone>
    );
  }
  if (session.data) return <Navigate to={next} replace />;

  return (
    <Standalone>
      <form className="card narrow" onSubmit={onSubmit} noValidate>
        <h1>Sign in</h1>
        {setup.data?.needsSetup ? (
          <p className="notice">
            autoprov has no admin yet. Open the one-time setup link that the start command printed in its terminal to create
            the super-admin.
          </p>
        ) : null}
        <FormAlert message={alert} />
        <Field label="E-mail" error={form.formState.errors.email}>
          {(a) => <input {...a} type="email" autoComplete="username" {...form.register('email')} />}
        </Field>
        <Field label="Password" error={form.formState.errors.password}>
          {(a) => <input {...a} type="password" autoComplete="current-password" {...form.register('password')} />}
        </Field>
        {needsCode ? (
          <Field
            label="Authentication code"
            error={form.formState.errors.code}
            hint="The 6-digit code from your authenticator app, or one of your recovery codes."
          >
            {(a) => <input {...a} autoComplete="one-time-code" {...form.register('code')} />}
          </Field>
        ) : null}
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Sign in
        </button>
      </form>
    </Standalone>
  );
}
