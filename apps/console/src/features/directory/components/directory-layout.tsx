import { NavLink, Outlet } from 'react-router';
import { useDirectorySource } from '../../../lib/api/source';
import { paths } from '../../../lib/paths';

const tabs = [
  { to: paths.users(), label: 'Users' },
  { to: paths.groups, label: 'Groups' },
  { to: paths.orgUnits, label: 'Org units' },
  { to: paths.changes, label: 'Change history' },
  { to: paths.directorySource, label: 'Source' },
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
