// Review of alert e-mail against "secrets go only to verified places": with smtpVerifyCertificate off, the
// SMTP password used to go to any server that answered STARTTLS with any certificate — what a host on the
// path does. A real SMTP server (smtp-server) with a certificate nobody trusts, recording every AUTH: the
// password never reaches it; mail without a password still goes (no secret at stake).
import test from 'ava';
import { SMTPServer } from 'smtp-server';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { freePort } from '../fakes/ports.ts';

test('no SMTP password to a server whose certificate is not checked; unauthenticated mail still goes', async (t) => {
  const pki = await OpensslPki.create(); // its root is never trusted by the appliance
  const cert = await pki.issue('mail-impostor', { issuer: 'root', key: 'ec-p256', ext: 'client-server' });
  const auths: string[] = [];
  const delivered: string[] = [];
  const port = await freePort();
  const server = new SMTPServer({
    key: cert.keyPem, cert: cert.certPem, authMethods: ['PLAIN', 'LOGIN'], authOptional: true, logger: false,
    onAuth(auth, _s, cb) { auths.push(String(auth.password)); cb(null, { user: auth.username }); },
    onData(stream, session, cb) { stream.resume(); stream.on('end', () => { delivered.push(session.envelope.rcptTo.map((r) => r.address).join(',')); cb(); }); },
  });
  await new Promise<void>((r, j) => { server.once('error', j); server.listen(port, '127.0.0.1', () => r()); });
  const h = await startTestAppliance({ env: { INSTANT_ON_SMTP_HOST: '127.0.0.1', INSTANT_ON_SMTP_PORT: String(port), INSTANT_ON_SMTP_SECURITY: 'starttls',
    INSTANT_ON_SMTP_TIMEOUT_MS: '3000', INSTANT_ON_SMTP_FROM: 'edge@branch.test' } });
  t.teardown(async () => { await h.stop(); await new Promise<void>((r) => server.close(() => r())); await pki.cleanup(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  const send = () => api(web, 'POST', '/api/v1/alerts/mail/test', { token, body: { to: 'ops@branch.test' } });

  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { smtpVerifyCertificate: false, smtpUser: 'alerts', smtpPassword: 'smtp-never-to-impostor' } })).status, 200);
  const refused = await send();
  t.is(refused.status, 502, JSON.stringify(refused.body));
  t.regex(refused.body.error.message, /refusing to send the SMTP password to a server whose certificate is not checked/);
  t.deepEqual(auths, [], 'the server never saw an AUTH');

  // Verification on: the untrusted certificate is refused before AUTH.
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { smtpVerifyCertificate: true } })).status, 200);
  const untrusted = await send();
  t.is(untrusted.status, 502);
  t.regex(untrusted.body.error.message, /certificate/i);
  t.deepEqual(auths, []);

  // No password at stake: verification off is the admin's call, and mail goes.
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { smtpVerifyCertificate: false, smtpUser: '', smtpPassword: '' } })).status, 200);
  t.is((await send()).status, 200);
  await waitFor(() => delivered.length === 1);
  t.deepEqual(auths, []);
});
