import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { setupInputSchema, type SetupInput } from '@autoprov/contract';
import { Standalone } from '../../components/layout/standalone';
import { Field } from '../../components/ui/field';
import { ErrorState, FormAlert, Loading } from '../../components/ui/states';
import { setupStatusQueryOptions, useSetup } from '../../lib/session';
import { paths } from '../../lib/paths';
import { useSchemaForm } from '../../lib/use-schema-form';

/** S-1 first run: the link printed at start-up creates the first super-admin, once. */
export function SetupRoute() {
  const [params] = useSearchParams();
  const status = useQuery(setupStatusQueryOptions);
  const setup = useSetup();
  const navigate = useNavigate();
  const { form, alert, onSubmit } = useSchemaForm({
    schema: setupInputSchema,
    defaultValues: { token: params.get('token') ?? '', name: '', email: '', password: '' } satisfies SetupInput,
    serverFields: ['name', 'email', 'password'],
    submit: setup.mutateAsync,
    onSuccess: () => navigate(paths.directory, { replace: true }),
  });

  if (status.isPending) {
    return (
      <Standalone>
        <Loading />
      </Standalone>
    );
  }
  if (status.isError) {
    return (
      <Standalone>
        <div className="card narrow">
          <h1>Create the super-admin</h1>
          <ErrorState error={status.error} onRetry={() => status.refetch()} />
        </div>
      </Standalone>
    );
  }
  if (!status.data.needsSetup && !setup.isSuccess) {
    return (
      <Standalone>
        <div className="card narrow">
          <h1>Create the super-admin</h1>
          <p>autoprov is already set up: this link has been used.</p>
          <Link to={paths.signIn}>Go to sign-in</Link>
        </div>
      </Standalone>
    );
  }

  const tokenError = form.formState.errors.token?.message;
  return (
    <Standalone>
      <form className="card narrow" onSubmit={onSubmit} noValidate>
        <h1>Create the super-admin</h1>
        <p>This is the first start of autoprov. The account you create here can do everything, including adding other admins.</p>
        <FormAlert message={alert ?? tokenError ?? null} />
        <Field label="Name" error={form.formState.errors.name}>
          {(a) => <input {...a} autoComplete="name" {...form.register('name')} />}
        </Field>
        <Field label="E-mail" error={form.formState.errors.email}>
          {(a) => <input {...a} type="email" autoComplete="username" {...form.register('email')} />}
        </Field>
        <Field label="Password" error={form.formState.errors.password} hint="At least 12 characters and hard to guess: a few unrelated words work well; not your name or e-mail.">
          {(a) => <input {...a} type="password" autoComplete="new-password" {...form.register('password')} />}
        </Field>
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Create the super-admin
        </button>
      </form>
    </Standalone>
  );
}
