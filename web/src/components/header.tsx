import { Link, useLocation } from '../lib/router.tsx';
import { useMay, useSession } from '../lib/session.tsx';

const SECTIONS = [
  { to: '/', label: 'DAGs', active: (p: string) => p === '/' || p.startsWith('/dags') },
  { to: '/backfills', label: 'Backfills', active: (p: string) => p.startsWith('/backfills') },
  { to: '/pools', label: 'Pools', active: (p: string) => p.startsWith('/pools') },
  { to: '/warehouse', label: 'Warehouse', active: (p: string) => p.startsWith('/warehouse') },
  { to: '/sparkify', label: 'Sparkify', active: (p: string) => p.startsWith('/sparkify') },
  {
    to: '/connections',
    label: 'Connections',
    active: (p: string) => p.startsWith('/connections'),
    admin: true,
  },
  { to: '/users', label: 'Users', active: (p: string) => p.startsWith('/users'), admin: true },
  { to: '/audit', label: 'Audit log', active: (p: string) => p.startsWith('/audit'), admin: true },
  { to: '/import-errors', label: 'Import errors', active: (p: string) => p.startsWith('/import-errors') },
];

export function Header() {
  const { path } = useLocation();
  const session = useSession();
  const admin = useMay('admin');
  return (
    <header className="top">
      <Link to="/" className="brand">
        Downbeat
      </Link>
      <nav aria-label="Main">
        <ul>
          {SECTIONS.filter((section) => admin || !('admin' in section)).map((section) => (
            <li key={section.to}>
              <Link to={section.to} aria-current={section.active(path) ? 'page' : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <form className="user" method="post" action="/logout">
        <span data-testid="username">{session.username}</span>
        <span className="muted small" data-testid="role">
          {session.role}
        </span>
        <input type="hidden" name="csrf_token" value={session.csrf_token} />
        <button type="submit" className="link-button">
          Log out
        </button>
      </form>
    </header>
  );
}
