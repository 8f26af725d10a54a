// The admin page: sign-in gate, navigation (a menu button on a phone) and hash routing (#/devices/SERIAL),
// the first-run checklist, the live connection.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import './style.css';
import { call } from './api.ts';
import { useBox } from './store.ts';
import { connection } from './live.ts';
import { session, signedIn, signOut } from './session.ts';
import { Badge } from './ui.tsx';
import { SignIn } from './screens/signin.tsx';
import { Dashboard } from './screens/dashboard.tsx';
import { Devices } from './screens/devices.tsx';
import { DeviceDetail } from './screens/device.tsx';
import { Policies, PolicyEditor } from './screens/policies.tsx';
import { InstantOn } from './screens/instant-on.tsx';
import { Groups, GroupEditor } from './screens/groups.tsx';
import { Credentials } from './screens/credentials.tsx';
import { Tasks } from './screens/tasks.tsx';
import { Discovery } from './screens/discovery.tsx';
import { Dns } from './screens/dns.tsx';
import { Audit } from './screens/audit.tsx';
import { Settings } from './screens/settings.tsx';
import { Password } from './screens/password.tsx';
import { Trust } from './screens/trust.tsx';
import { Forwarding } from './screens/forwarding.tsx';
import { Alerts } from './screens/alerts.tsx';
import { Tokens } from './screens/tokens.tsx';
import { Reports } from './screens/reports.tsx';
import { Backup } from './screens/backup.tsx';

const NAV: [string, string][] = [['dashboard', 'Dashboard'], ['devices', 'Devices'], ['discovery', 'Discovery'], ['policies', 'Policies'], ['groups', 'Groups'], ['instant-on', 'Instant-On'],
  ['credentials', 'Credentials'], ['tasks', 'Tasks'], ['dns', 'DNS'], ['certificates', 'Certificates'], ['forwarding', 'Forwarding'], ['reports', 'Reports'], ['alerts', 'Alerts'], ['audit', 'Audit log'], ['tokens', 'API tokens'], ['backup', 'Backup'], ['settings', 'Settings']];

function useHash(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent).filter(Boolean);
}

function Screen(p: { route: string[] }) {
  const [name, arg] = p.route;
  switch (name ?? 'dashboard') {
    case 'dashboard': return <Dashboard />;
    case 'devices': return arg ? <DeviceDetail serial={arg} /> : <Devices />;
    case 'policies': return arg ? <PolicyEditor id={arg} /> : <Policies />;
    case 'groups': return arg ? <GroupEditor id={arg} /> : <Groups />;
    case 'instant-on': return <InstantOn />;
    case 'credentials': return <Credentials />;
    case 'tasks': return <Tasks />;
    case 'discovery': return <Discovery />;
    case 'dns': return <Dns />;
    case 'certificates': return <Trust />;
    case 'forwarding': return <Forwarding />;
    case 'alerts': return <Alerts kind={arg} />;
    case 'audit': return <Audit />;
    case 'settings': return <Settings />;
    case 'tokens': return <Tokens />;
    case 'reports': return <Reports />;
    case 'backup': return <Backup />;
    case 'password': return <Password />;
    default: return <p>Nothing here. <a href="#/">Back to the dashboard</a>.</p>;
  }
}

function App() {
  const s = useBox(session);
  const live = useBox(connection);
  const route = useHash();
  const [version, setVersion] = useState('');
  const [menu, setMenu] = useState(false);
  // Health names the version to a signed-in caller only: asked once the session is known.
  const signedInAs = s ? s.username : '';
  useEffect(() => { if (signedInAs) call('GET /api/v1/health', { quiet401: true }).then((h) => setVersion(typeof h.version === 'string' ? h.version : ''), () => undefined); }, [signedInAs]);
  useEffect(() => {
    call('GET /api/v1/session', { quiet401: true }).then(signedIn, () => session.set(null));
  }, []);
  // A screen chosen from the menu closes it (on a phone it covers the page).
  useEffect(() => setMenu(false), [route.join('/')]);
  if (s === undefined) return <p class="center muted">Loading…</p>;
  if (s === null) return <SignIn />;
  const current = route[0] ?? 'dashboard';
  const currentLabel = NAV.find(([k]) => k === current)?.[1] ?? 'Menu';
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to the screen</a>
      <header class="top">
        <a class="brand" href="#/">Instant-On Edge</a>
        {version && <span class="muted small-link" data-testid="version" title="appliance version">v{version}</span>}
        <span class="live" data-testid="live"><Badge status={live} title="live updates from the appliance" /></span>
        <span class="user">{s.username}</span>
        <a href="#/password" class="small-link">Password</a>
        <button type="button" class="small" onClick={() => void signOut()} data-testid="sign-out">Sign out</button>
      </header>
      <button type="button" class="menu-button" aria-expanded={menu} aria-controls="nav" data-testid="menu-button" onClick={() => setMenu(!menu)}>
        <span aria-hidden="true">☰</span> {menu ? 'Close menu' : `Menu: ${currentLabel}`}</button>
      <nav id="nav" class={`nav ${menu ? 'open' : ''}`} aria-label="Screens">
        {NAV.map(([k, label]) => <a key={k} href={`#/${k}`} class={current === k ? 'active' : ''} aria-current={current === k ? 'page' : undefined}>{label}</a>)}
      </nav>
      <main class="main" id="main" tabIndex={-1}>
        {s.initialPasswordFile && current !== 'password' && <div class="notice warn" data-testid="change-password-hint">The generated first-start password is still in use (and on disk in the data folder). <a href="#/password">Change it now</a>.</div>}
        <Screen route={route} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
