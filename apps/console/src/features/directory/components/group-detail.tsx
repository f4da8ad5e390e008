import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Page } from '../../../components/ui/page';
import { ErrorState, FormAlert, Loading } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useCanEditDirectory } from '../../../lib/api/source';
import { useGroup, useRemoveGroupMember } from '../api/groups';
import { AddMemberDialog } from './add-member-dialog';
import { StatusBadge } from './status-badge';
import { paths } from '../../../lib/paths';

export function GroupDetail() {
  const { id = '' } = useParams();
  const group = useGroup(id);
  const canWrite = useCanEditDirectory();
  const [adding, setAdding] = useState(false);
  const [alert, setAlert] = useState<string | null>(null);
  const remove = useRemoveGroupMember(id);

  if (group.isPending) return <Loading />;
  if (group.isError) return <ErrorState error={group.error} onRetry={() => group.refetch()} />;
  const g = group.data;

  return (
    <Page
      title={g.name}
      actions={
        canWrite ? (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            Add member
          </button>
        ) : null
      }
    >
      <p className="muted">
        {g.email}
        {g.description ? ` · ${g.description}` : ''}
      </p>
      <FormAlert message={alert} />
      <table>
        <caption className="visually-hidden">Members of {g.name}</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            {canWrite ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {g.members.map((m) => (
            <tr key={m.id}>
              <td>
                {m.user ? (
                  <Link to={paths.user(m.user.id)}>
                    {m.user.givenName} {m.user.familyName} ({m.user.primaryEmail})
                  </Link>
                ) : m.group ? (
                  <Link to={paths.group(m.group.id)}>
                    {m.group.name} ({m.group.email})
                  </Link>
                ) : (
                  m.externalEmail
                )}
              </td>
              <td>{m.kind === 'user' ? 'User' : m.kind === 'group' ? 'Group (nested)' : 'External'}</td>
              <td>{m.user ? <StatusBadge status={m.user.status} /> : null}</td>
              {canWrite ? (
                <td>
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Remove ${m.user?.primaryEmail ?? m.group?.email ?? m.externalEmail}`}
                    onClick={async () => {
                      setAlert(null);
                      try {
                        await remove.mutateAsync(m.id);
                      } catch (err) {
                        setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
                      }
                    }}
                  >
                    Remove
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {g.members.length === 0 ? <p className="muted">This group has no members.</p> : null}
      {canWrite ? <AddMemberDialog groupId={g.id} open={adding} onClose={() => setAdding(false)} /> : null}
    </Page>
  );
}
