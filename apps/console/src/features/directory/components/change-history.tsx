import { useState } from 'react';
import { AuditList } from '../../../components/audit-list';
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
          <AuditList
            entries={changes.data.items.map((c) => ({ id: c.id, at: c.occurredAt, who: c.actorLabel, what: c.summary }))}
            empty="No change has been made to the directory yet."
          />
          <Pagination page={page} pageSize={25} total={changes.data.total} onPage={setPage} />
        </>
      )}
    </Page>
  );
}
