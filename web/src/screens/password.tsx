// Password change; every other session of the user ends, this one continues with a fresh session.
import { useState } from 'preact/hooks';
import { call, fieldErrors } from '../api.ts';
import { signedIn } from '../session.ts';
import { Done, ErrorText, Page, useAction } from '../ui.tsx';

// The appliance's rule (api/password-rule.ts); a refusal names which part failed, shown under the field.
const RULE = 'At least 10 characters, not the user name, and not a commonly used password.';

export function Password() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const a = useAction();
  const errs = fieldErrors(a.error);
  const mismatch = confirm !== '' && confirm !== newPassword;
  const submit = (e: Event) => {
    e.preventDefault();
    if (mismatch) return;
    void a.run(async () => {
      const r = await call('POST /api/v1/password', { body: { currentPassword, newPassword } });
      // The page's session continues as a fresh one (the old token ended with every other session).
      if ('idleTimeoutSeconds' in r && typeof r.csrfToken === 'string') signedIn({ username: r.username, csrfToken: r.csrfToken, expiresAt: r.expiresAt, idleTimeoutSeconds: Number(r.idleTimeoutSeconds) });
      setCurrent(''); setNew(''); setConfirm('');
      return 'Password changed. Other sessions were signed out; the first-start password file was removed.';
    });
  };
  return (
    <Page title="Change password">
      <form class="card narrow" onSubmit={submit}>
        <label>Current password<input type="password" autocomplete="current-password" value={currentPassword} onInput={(e) => setCurrent(e.currentTarget.value)} required /></label>
        <label>New password<input type="password" autocomplete="new-password" minLength={10} aria-describedby="password-rule" value={newPassword} onInput={(e) => setNew(e.currentTarget.value)} required />
          <small id="password-rule" class="muted">{RULE}</small>
          {errs.newPassword && <span class="field-error">{errs.newPassword}</span>}</label>
        <label>New password again<input type="password" autocomplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} required />
          {mismatch && <span class="field-error">does not match</span>}</label>
        {!errs.newPassword && <ErrorText error={a.error} />}<Done text={a.done} />
        <button type="submit" class="primary" disabled={a.busy || mismatch}>Change password</button>
      </form>
    </Page>
  );
}
