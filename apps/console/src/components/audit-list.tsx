import type { ReactNode } from 'react';
import { formatTime } from '../lib/labels';
import { DataTable } from './ui/data-table';

/** One change in an audit trail: who did what, and when. */
export interface AuditEntry {
  id: number | string;
  /** ISO time of the change. */
  at: string;
  who: string;
  what: ReactNode;
  detail?: string | null;
}

/** L-6 and the directory's change history: who changed what, and when, newest first. */
export function AuditList({ entries, empty }: { entries: readonly AuditEntry[]; empty: string }) {
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  return (
    <DataTable
      rows={entries}
      rowKey={(e) => e.id}
      columns={[
        {
          header: 'When',
          cell: (e) => <time dateTime={e.at}>{formatTime(e.at)}</time>,
        },
        { header: 'Who', cell: (e) => e.who },
        {
          header: 'What',
          cell: (e) => (
            <>
              {e.what}
              {e.detail ? <div className="muted">{e.detail}</div> : null}
            </>
          ),
        },
      ]}
    />
  );
}
