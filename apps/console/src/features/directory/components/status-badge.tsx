import { userStatusLabels, type UserStatus } from '@autoprov/contract';

export function StatusBadge({ status }: { status: UserStatus }) {
  return <span className={`badge badge-${status}`}>{userStatusLabels[status]}</span>;
}
