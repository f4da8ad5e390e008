import type { AppDetail } from '@autoprov/contract';
import { formatTime } from '../lib/labels';

/** L-6: who changed the configuration, what, and when. */
export function AuditList({ entries }: { entries: AppDetail['audit'] }) {
  if (entries.length === 0) return <p className="muted">No changes yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id}>
            <td>{formatTime(e.at)}</td>
            <td>{e.adminLabel}</td>
            <td>
              {e.action}
              {e.detail ? <div className="muted">{e.detail}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
