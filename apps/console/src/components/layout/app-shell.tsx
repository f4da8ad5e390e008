import { Disclosure, DisclosureButton, DisclosurePanel } from '@headlessui/react';
import { useRef, type KeyboardEvent } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { adminRoleLabels } from '@autoprov/contract';
import { useSession, useSignOut } from '../../lib/session';
import { useScrollableTables } from './use-scrollable-tables';
import { paths } from '../../lib/paths';

const sections = [
  { to: paths.apps, label: 'Apps' },
  { to: paths.directory, label: 'Directory' },
  { to: paths.reports, label: 'Reports' },
  { to: paths.alerts, label: 'Alerts' },
  { to: paths.admins, label: 'Admins' },
];

/**
 * The console's frame. On a wide screen the sections are a side bar and the signed-in admin sits in
 * the top bar; on a phone (styles.css decides where) both fold into one menu behind a button.
 */
export function AppShell() {
  return (
    <Disclosure as="div" className="shell">
      {({ open, close }) => <Frame open={open} close={close} />}
    </Disclosure>
  );
}

function Frame({ open, close }: { open: boolean; close: () => void }) {
  const main = useRef<HTMLElement>(null);
  useScrollableTables(main);
  // Escape folds the phone menu, from its button or from inside it; focus goes back to the button.
  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && open) close();
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar" onKeyDown={closeOnEscape}>
        <span className="brand">autoprov</span>
        <Account className="who wide-only" />
        <DisclosureButton className="menu-button">
          <svg aria-hidden="true" viewBox="0 0 20 20" width="20" height="20">
            <path d={open ? 'M5 5l10 10M15 5L5 15' : 'M3 5h14M3 10h14M3 15h14'} stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
          Menu
        </DisclosureButton>
      </header>
      {/* Always rendered: the side bar on a wide screen; on a phone shown only while the menu is open. */}
      <DisclosurePanel static as="nav" aria-label="Main" className={open ? 'sidenav open' : 'sidenav'} onKeyDown={closeOnEscape}>
        <ul>
          {sections.map((s) => (
            <li key={s.to}>
              <NavLink to={s.to} onClick={() => open && close()}>
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <Account className="who narrow-only" />
      </DisclosurePanel>
      <main id="main" className="content" ref={main}>
        <Outlet />
      </main>
    </>
  );
}

/** Who is signed in, and Sign out. */
function Account({ className }: { className: string }) {
  const session = useSession().data;
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!session) return null;
  return (
    <div className={className}>
      <span>
        {session.admin.name} <span className="muted">· {adminRoleLabels[session.admin.role]}</span>
      </span>
      <Link to={paths.accountSecurity}>Account security</Link>
      <button
        type="button"
        className="secondary"
        onClick={() => signOut.mutate(undefined, { onSettled: () => navigate(paths.signIn, { replace: true }) })}
      >
        Sign out
      </button>
    </div>
  );
}
