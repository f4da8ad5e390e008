import { useState } from 'react';
import { Link } from 'react-router';
import { Page } from '../../../components/ui/page';
import { Pagination } from '../../../components/ui/pagination';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useGroups } from '../api/groups';
import { useDebounced } from '../../../lib/use-debounced';
import { paths } from '../../../lib/paths';

export function GroupsList() {
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const q = useDebounced(search);
  const groups = useGroups({ q: q || undefined, page, pageSize: 25 });
  return (
    <Page title="Groups">
      <div className="filters">
        <label>
          <span className="visually-hidden">Search groups</span>
          <input
            type="search"
            placeholder="Search by name or e-mail"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setPage(1);
            }}
          />
        </label>
      </div>
      {groups.isPending ? (
        <Loading />
      ) : groups.isError ? (
        <ErrorState error={groups.error} onRetry={() => groups.refetch()} />
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Direct members</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {groups.data.items.map((g) => (
                <tr key={g.id}>
                  <td>
                    <Link to={paths.group(g.id)}>{g.name}</Link>
                  </td>
                  <td>{g.email}</td>
                  <td>{g.directMemberCount}</td>
                  <td>{g.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} pageSize={25} total={groups.data.total} onPage={setPage} />
        </>
      )}
    </Page>
  );
}
