import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { adminRoleLabels } from '@autoprov/contract';
import { useSession, useSignOut } from '../../features/auth/api/session';
import { paths } from '../../features/account/components/paths';

const sections = [
  { to: '/apps', label: 'Apps' },
  { to: '/directory', label: 'Directory' },
  { to: '/reports', label: 'Reports' },
  { to: '/admins', label: 'Admins' },
];

export function AppShell() {
  const session = useSession().data;
  const signOut = useSignOut();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">autoprov</span>
        {session ? (
          <div className="who">
            <span>
              {session.admin.name} <span className="muted">· {adminRoleLabels[session.admin.role]}</span>
            </span>
            <Link to={paths.accountSecurity}>Account security</Link>
            <button
              type="button"
              className="secondary"
              onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in', { replace: true }) })}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      <nav className="sidenav" aria-label="Main">
        <ul>
          {sections.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to}>{s.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content">
        <Outlet />
      </main>
    </div>
  );
}
