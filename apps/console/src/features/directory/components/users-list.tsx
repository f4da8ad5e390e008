import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { userStatuses, userStatusLabels, type UserStatus } from '@autoprov/contract';
import { Page } from '../../../components/ui/page';
import { Pagination } from '../../../components/ui/pagination';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useCanEditDirectory } from '../../../lib/api/source';
import { useOrgUnits } from '../api/org-units';
import { useUsers } from '../../../lib/api/users';
import { StatusBadge } from './status-badge';
import { useDebounced } from '../../../lib/use-debounced';
import { paths } from '../../../lib/paths';

/** Users, searched and paged on the server; the filters live in the URL. */
export function UsersList() {
  const canWrite = useCanEditDirectory();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search);
  const status = (params.get('status') ?? '') as UserStatus | '';
  const orgUnitId = params.get('orgUnit') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const orgUnits = useOrgUnits();
  const users = useUsers({ q: q || undefined, status: status || undefined, orgUnitId: orgUnitId || undefined, page, pageSize: 25 });

  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: true });
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== q) update({ q, page: '' });
    // Only the debounced search term drives the URL.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q]);

  return (
    <Page
      title="Users"
      actions={
        canWrite ? (
          <Link className="button primary" to={paths.newUser}>
            Add user
          </Link>
        ) : null
      }
    >
      <div className="filters">
        <label>
          <span className="visually-hidden">Search users</span>
          <input type="search" placeholder="Search by name or e-mail" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Status{' '}
          <select value={status} onChange={(e) => update({ status: e.target.value, page: '' })}>
            <option value="">Active, suspended and archived</option>
            {userStatuses.map((s) => (
              <option key={s} value={s}>
                {userStatusLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Org unit{' '}
          <select value={orgUnitId} onChange={(e) => update({ orgUnit: e.target.value, page: '' })}>
            <option value="">All org units</option>
            {orgUnits.data?.items.map((ou) => (
              <option key={ou.id} value={ou.id}>
                {ou.path}
              </option>
            ))}
          </select>
        </label>
      </div>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorState error={users.error} onRetry={() => users.refetch()} />
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Org unit</th>
                <th scope="col">Job title</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={paths.user(u.id)}>
                      {u.givenName} {u.familyName}
                    </Link>
                  </td>
                  <td>{u.primaryEmail}</td>
                  <td>
                    <StatusBadge status={u.status} />
                  </td>
                  <td>{u.orgUnitPath}</td>
                  <td>{u.jobTitle ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {users.data.items.length === 0 ? <p className="muted">No user matches.</p> : null}
          <Pagination page={page} pageSize={25} total={users.data.total} onPage={(p) => update({ page: String(p) })} />
        </>
      )}
    </Page>
  );
}
