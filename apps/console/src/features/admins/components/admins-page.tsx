import { useState } from 'react';
import { adminRoleLabels, adminRoles, createAdminInputSchema, type Admin, type CreateAdminInput } from '@autoprov/contract';
import { ConfirmDialog, Dialog } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useCanWrite, useSession } from '../../../lib/session';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { useAddAdmin, useAdmins, useRemoveAdmin } from '../api/admins';
import { ResetLinkDialog } from './reset-link-dialog';
import { TwoFactorPolicy } from './two-factor-policy';

export function AdminsPage() {
  const admins = useAdmins();
  const canWrite = useCanWrite();
  const me = useSession().data?.admin.id;
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Admin | null>(null);
  const [resetting, setResetting] = useState<Admin | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const remove = useRemoveAdmin();

  return (
    <Page
      title="Admins"
      actions={
        canWrite ? (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add admin
          </button>
        ) : null
      }
    >
      <FormAlert message={alert} />
      {admins.isPending ? (
        <Loading />
      ) : admins.isError ? (
        <ErrorState error={admins.error} onRetry={() => admins.refetch()} />
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Two-factor</th>
              <th scope="col">Last sign-in</th>
              {canWrite ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {admins.data.items.map((a) => (
              <tr key={a.id}>
                <td>{a.name}</td>
                <td>{a.email}</td>
                <td>{adminRoleLabels[a.role]}</td>
                <td>{a.twoFactorEnabled ? 'On' : 'Off'}</td>
                <td>{a.lastSignInAt ? new Date(a.lastSignInAt).toLocaleString() : 'Never'}</td>
                {canWrite ? (
                  <td>
                    {a.id !== me ? (
                      <div className="actions">
                        <button type="button" className="secondary small" onClick={() => setResetting(a)}>
                          Reset password<span className="visually-hidden"> of {a.email}</span>
                        </button>
                        <button type="button" className="secondary small" onClick={() => setRemoving(a)}>
                          Remove<span className="visually-hidden"> {a.email}</span>
                        </button>
                      </div>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TwoFactorPolicy canWrite={canWrite} />
      {canWrite ? <AddAdminDialog open={adding} onClose={() => setAdding(false)} /> : null}
      {resetting ? <ResetLinkDialog admin={resetting} onClose={() => setResetting(null)} /> : null}
      {removing ? (
        <ConfirmDialog
          open
          title="Remove this admin?"
          message={<p>{removing.email} will be signed out and can no longer sign in.</p>}
          confirmLabel="Remove"
          danger
          pending={remove.isPending}
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            setAlert(null);
            try {
              await remove.mutateAsync(removing.id);
            } catch (err) {
              setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
            }
            setRemoving(null);
          }}
        />
      ) : null}
    </Page>
  );
}

const emptyAdmin: CreateAdminInput = { name: '', email: '', role: 'read_only', password: '' };

function AddAdminDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const add = useAddAdmin();
  const { form, alert, setAlert, onSubmit: submit } = useSchemaForm({
    schema: createAdminInputSchema,
    defaultValues: emptyAdmin,
    serverFields: ['name', 'email', 'role', 'password'],
    submit: add.mutateAsync,
    onSuccess: () => close(),
  });
  const { errors } = form.formState;
  const close = () => {
    form.reset(emptyAdmin);
    setAlert(null);
    onClose();
  };
  return (
    <Dialog open={open} title="Add admin" onClose={close}>
      <form onSubmit={submit} noValidate className="stack">
        <FormAlert message={alert} />
        <Field label="Name" error={errors.name}>
          {(a) => <input {...a} {...form.register('name')} />}
        </Field>
        <Field label="E-mail" error={errors.email}>
          {(a) => <input {...a} type="email" {...form.register('email')} />}
        </Field>
        <Field label="Role" error={errors.role} hint="A read-only admin sees logs, history and reports, and changes nothing.">
          {(a) => (
            <select {...a} {...form.register('role')}>
              {adminRoles.map((r) => (
                <option key={r} value={r}>
                  {adminRoleLabels[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Password" error={errors.password} hint="At least 12 characters and hard to guess. Give it to them in person, or send them a reset link afterwards.">
          {(a) => <input {...a} type="password" autoComplete="new-password" {...form.register('password')} />}
        </Field>
        <div className="actions">
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
            Add admin
          </button>
        </div>
      </form>
    </Dialog>
  );
}
