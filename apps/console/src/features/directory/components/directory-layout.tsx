import { NavLink, Outlet } from 'react-router';

const tabs = [
  { to: '/directory/users', label: 'Users' },
  { to: '/directory/groups', label: 'Groups' },
  { to: '/directory/org-units', label: 'Org units' },
  { to: '/directory/changes', label: 'Change history' },
];

export function DirectoryLayout() {
  return (
    <div>
      <nav className="tabs" aria-label="Directory">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to}>
            {t.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
