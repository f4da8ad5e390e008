import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { DirectoryUserDetail } from '@autoprov/contract';
import { ConfirmDialog } from '../../../components/ui/dialog';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useApps } from '../../../lib/api/apps';
import { useCanEditDirectory } from '../../../lib/api/source';
import { useUpdateUser, useUser, useUserStatusAction, type UserStatusAction } from '../../../lib/api/users';
import { StatusBadge } from './status-badge';
import { UserForm } from './user-form';
import { paths } from '../../../lib/paths';

const confirmations: Record<UserStatusAction, { title: string; message: string; label: string; danger: boolean }> = {
  suspend: { title: 'Suspend this user?', message: 'They can no longer sign in. Apps provisioned for them follow the deprovisioning rules.', label: 'Suspend', danger: false },
  restore: { title: 'Restore this user?', message: 'They become active again.', label: 'Restore', danger: false },
  archive: { title: 'Archive this user?', message: 'Archived users are left alone by provisioning.', label: 'Archive', danger: false },
  delete: {
    title: 'Delete this user?',
    message: 'The user is marked deleted and kept so that their app accounts can be deprovisioned. This cannot be undone.',
    label: 'Delete',
    danger: true,
  },
};

export function UserDetail() {
  const { id = '' } = useParams();
  const user = useUser(id);
  if (user.isPending) return <Loading />;
  if (user.isError) return <ErrorState error={user.error} onRetry={() => user.refetch()} />;
  return <UserView user={user.data} />;
}

function UserView({ user }: { user: DirectoryUserDetail }) {
  const canWrite = useCanEditDirectory() && user.status !== 'deleted';
  const [editing, setEditing] = useState(false);
  const [pending, setPending] = useState<UserStatusAction | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  const update = useUpdateUser(user.id);
  const statusAction = useUserStatusAction(user.id);
  const navigate = useNavigate();

  const actions: UserStatusAction[] = [];
  if (user.status === 'active') actions.push('suspend', 'archive', 'delete');
  if (user.status === 'suspended') actions.push('restore', 'archive', 'delete');
  if (user.status === 'archived') actions.push('restore', 'delete');

  const confirm = async () => {
    if (!pending) return;
    setAlert(null);
    try {
      await statusAction.mutateAsync(pending);
      if (pending === 'delete') navigate(paths.users());
    } catch (err) {
      setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
    } finally {
      setPending(null);
    }
  };

  return (
    <Page
      title={`${user.givenName} ${user.familyName}`}
      actions={
        canWrite && !editing ? (
          <>
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              Edit
            </button>
            {actions.map((a) => (
              <button key={a} type="button" className={a === 'delete' ? 'danger' : 'secondary'} onClick={() => setPending(a)}>
                {confirmations[a].label}
              </button>
            ))}
          </>
        ) : null
      }
    >
      <FormAlert message={alert} />
      {editing ? (
        <UserForm
          defaultValues={{
            primaryEmail: user.primaryEmail,
            givenName: user.givenName,
            familyName: user.familyName,
            orgUnitId: user.orgUnitId,
            jobTitle: user.jobTitle ?? '',
            department: user.department ?? '',
            phone: user.phone ?? '',
            employeeId: user.employeeId ?? '',
            photoUrl: user.photoUrl ?? '',
          }}
          currentOrgUnitPath={user.orgUnitPath}
          submitLabel="Save"
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await update.mutateAsync(values);
            setEditing(false);
          }}
        />
      ) : (
        <div className="card">
          <dl className="details">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={user.status} />
            </dd>
            <dt>Primary e-mail</dt>
            <dd>{user.primaryEmail}</dd>
            <dt>Org unit</dt>
            <dd>{user.orgUnitPath}</dd>
            <dt>Job title</dt>
            <dd>{user.jobTitle ?? '—'}</dd>
            <dt>Department</dt>
            <dd>{user.department ?? '—'}</dd>
            <dt>Phone</dt>
            <dd>{user.phone ?? '—'}</dd>
            <dt>Employee ID</dt>
            <dd>{user.employeeId ?? '—'}</dd>
            <dt>Groups</dt>
            <dd>
              {user.groups.length === 0
                ? 'None'
                : user.groups.map((g, i) => (
                    <span key={g.id}>
                      {i > 0 ? ', ' : ''}
                      <Link to={paths.group(g.id)}>{g.name}</Link>
                    </span>
                  ))}
            </dd>
          </dl>
        </div>
      )}
      <ProvisionNow userId={user.id} />
      {pending ? (
        <ConfirmDialog
          open
          title={confirmations[pending].title}
          message={<p>{confirmations[pending].message}</p>}
          confirmLabel={confirmations[pending].label}
          danger={confirmations[pending].danger}
          pending={statusAction.isPending}
          onConfirm={confirm}
          onClose={() => setPending(null)}
        />
      ) : null}
    </Page>
  );
}

/** E-20: the apps this user can be provisioned to right away, each opening the plan for them. */
function ProvisionNow({ userId }: { userId: string }) {
  const apps = useApps();
  const active = apps.data?.items.filter((a) => a.provisioningState === 'active') ?? [];
  if (active.length === 0) return null;
  return (
    <section className="card" aria-labelledby="provision-now-heading">
      <h2 id="provision-now-heading">Provision now</h2>
      <p className="muted">See what a run would do for this user in an app, and provision them right away.</p>
      <div className="actions start">
        {active.map((a) => (
          <Link key={a.key} className="button" to={paths.onDemand(a.key, { userId })}>
            Provision in {a.name}
          </Link>
        ))}
      </div>
    </section>
  );
}
