import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { passwordResetInputSchema, routes, type PasswordResetInput } from '@autoprov/contract';
import { Field } from '../../components/ui/field';
import { ErrorState, FormAlert, Loading } from '../../components/ui/states';
import { api } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { useSchemaForm } from '../../lib/use-schema-form';

/** S-6: a one-time link from a super-admin, or printed by `reset-admin` on the server. */
export function ResetPasswordRoute() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const status = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => api(routes.passwordResetStatus, { query: { token } }),
    enabled: token !== '',
  });
  const reset = useMutation({ mutationFn: (input: PasswordResetInput) => api(routes.resetPassword, { body: input }) });
  const { form, alert, onSubmit } = useSchemaForm({
    schema: passwordResetInputSchema,
    defaultValues: { token, password: '' },
    serverFields: ['password'],
    submit: reset.mutateAsync,
  });

  let body;
  if (token === '') body = <p>This link is incomplete: open the whole link you were given.</p>;
  else if (reset.isSuccess) {
    body = (
      <>
        <p role="status">Your new password is set. Every session of yours was signed out.</p>
        <Link to={paths.signIn}>Sign in</Link>
      </>
    );
  } else if (status.isPending) body = <Loading />;
  else if (status.isError) body = <ErrorState error={status.error} />;
  else {
    body = (
      <form className="stack" onSubmit={onSubmit} noValidate>
        <p>
          Choose a new password for <strong>{status.data.email}</strong>. The link works once.
          {status.data.clearsTwoFactor ? ' It also turns two-factor sign-in off: set it up again once you are in.' : ''}
        </p>
        <FormAlert message={alert} />
        <input type="email" hidden readOnly autoComplete="username" value={status.data.email} />
        <Field label="New password" error={form.formState.errors.password} hint="At least 12 characters and hard to guess: a few unrelated words work well; not your name or e-mail.">
          {(a) => <input {...a} type="password" autoComplete="new-password" {...form.register('password')} />}
        </Field>
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Set the new password
        </button>
      </form>
    );
  }
  return (
    <main className="centered">
      <div className="card narrow">
        <h1>Reset your password</h1>
        {body}
      </div>
    </main>
  );
}
