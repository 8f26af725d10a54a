// Sign-in, with where to find the password made on first start.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, retryAfter } from '../api.ts';
import { signedIn } from '../session.ts';

export function SignIn() {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState(false);
  // Where the first-start password is (the real data folder), while that file exists; null once changed.
  const [file, setFile] = useState<string | null | undefined>(undefined);
  useEffect(() => { call('GET /api/v1/first-start', { quiet401: true }).then((r) => setFile(r.initialPasswordFile), () => setFile(undefined)); }, []);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true); setError('');
    try {
      signedIn(await call('POST /api/v1/session', { body: { username, password }, quiet401: true }));
      setPassword('');
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) { setWait(retryAfter(err) ?? 5); setError('Too many failed attempts.'); }
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
        <details class="hint" open={file !== null}>
          <summary>First start: where is the password?</summary>
          {file ? (
            <p data-testid="first-start-file">On its first start the appliance made up the <code>admin</code> password and printed it once on its console
              (on the Raspberry Pi image also on the Pi's screen and in the console login banner; <code>journalctl -u instant-on-edge</code> has it too).
              It is kept in the file <code class="path">{file}</code> until you change the password.
              {' '}If <code>INSTANT_ON_ADMIN_PASSWORD</code> was set at first start, that is the password.</p>
          ) : (
            <p>No first-start password file (<code>initial-admin-password</code>) is in the data folder: the password was changed since,
              {' '}or it was set with <code>INSTANT_ON_ADMIN_PASSWORD</code> at first start. Lost it? Whoever changed it knows it; on the appliance's
              {' '}console, a fresh data folder with <code>INSTANT_ON_ADMIN_PASSWORD</code> sets a new one.</p>
          )}
        </details>
      </form>
    </main>
  );
}
