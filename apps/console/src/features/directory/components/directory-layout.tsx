import { NavLink, Outlet } from 'react-router';
import { useDirectorySource } from '../api/source';

const tabs = [
  { to: '/directory/users', label: 'Users' },
  { to: '/directory/groups', label: 'Groups' },
  { to: '/directory/org-units', label: 'Org units' },
  { to: '/directory/changes', label: 'Change history' },
  { to: '/directory/source', label: 'Source' },
];

export function DirectoryLayout() {
  const source = useDirectorySource();
  return (
    <div>
      <nav className="tabs" aria-label="Directory">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      {source.data?.kind === 'google' && source.data.google ? (
        <p className="notice" role="status">
          This directory is read from Google Workspace ({source.data.google.primaryDomain}): make changes in the Google Admin console.
        </p>
      ) : null}
      <Outlet />
    </div>
  );
}
