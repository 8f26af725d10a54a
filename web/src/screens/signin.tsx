// Sign-in, with where to find the password made on first start.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.ts';
import { signedIn } from '../session.ts';

export function SignIn() {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setError('');
    try {
      signedIn(await api('POST', '/api/v1/session', { username, password }, { quiet401: true }));
      setPassword('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) { setWait(err.details?.retryAfterSeconds ?? 5); setError('Too many failed attempts.'); }
      else setError(err instanceof ApiError ? err.message : String(err));
    } finally { setBusy(false); }
  };

  return (
    <main class="signin">
      <form class="card" onSubmit={submit}>
        <h1>Instant-On Edge</h1>
        <label>User name<input name="username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required /></label>
        <label>Password<input name="password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autofocus /></label>
        {error && <div class="notice error" role="alert">{error}{wait > 0 && ` Try again in ${wait} s.`}</div>}
        <button type="submit" class="primary" disabled={busy || wait > 0}>Sign in</button>
        <details class="hint" open>
          <summary>First start: where is the password?</summary>
          <p>On its first start the appliance makes up the <code>admin</code> password and prints it <strong>once on its console</strong>
            (on the Raspberry Pi image the first boot picks it and shows it on the Pi's screen and in the console login
            banner; <code>journalctl -u instant-on-edge</code> also has it). It also keeps it in the file
            <code>&lt;data folder&gt;/initial-admin-password</code> — <code>./data/initial-admin-password</code> when started with
            <code>npm start</code>, <code>/var/lib/instant-on-edge/initial-admin-password</code> on the image — until you change the password.
            If <code>INSTANT_ON_ADMIN_PASSWORD</code> was set at first start, that is the password.</p>
        </details>
      </form>
    </main>
  );
}
