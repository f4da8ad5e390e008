import { useState } from 'react';
import { Page } from '../../../components/ui/page';
import { Pagination } from '../../../components/ui/pagination';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useChanges } from '../api/org-units';

export function ChangeHistory() {
  const [page, setPage] = useState(1);
  const changes = useChanges(page);
  return (
    <Page title="Change history">
      {changes.isPending ? (
        <Loading />
      ) : changes.isError ? (
        <ErrorState error={changes.error} onRetry={() => changes.refetch()} />
      ) : changes.data.total === 0 ? (
        <p className="muted">No change has been made to the directory yet.</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {changes.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <time dateTime={c.occurredAt}>{new Date(c.occurredAt).toLocaleString()}</time>
                  </td>
                  <td>{c.actorLabel}</td>
                  <td>{c.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pagination page={page} pageSize={25} total={changes.data.total} onPage={setPage} />
        </>
      )}
    </Page>
  );
}
