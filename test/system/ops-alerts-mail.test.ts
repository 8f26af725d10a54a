// Issue 16 item 2: alerts by e-mail through a real SMTP server (smtp-server from npm: STARTTLS with a
// certificate from a test CA, AUTH required). One alert is one message; a flood is one digest; while the
// server is down — even across an appliance restart — alert changes stay queued on disk and all arrive later.
import test from 'ava';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { freePort } from '../fakes/ports.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

interface Received { mail: ParsedMail; to: string[]; secure: boolean; user: unknown }

function smtpServer(port: number, tls: { key: string; cert: string }, received: Received[]) {
  const server = new SMTPServer({
    key: tls.key, cert: tls.cert, authMethods: ['PLAIN', 'LOGIN'], logger: false, banner: 'test mail server',
    // smtp-server refuses AUTH before STARTTLS unless allowInsecureAuth: a delivery proves both happened.
    onAuth(auth, _session, cb) {
      if (auth.username === 'alerts' && auth.password === 'smtp-pass-1') cb(null, { user: 'alerts' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((mail) => {
        received.push({ mail, to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, user: session.user });
        cb();
      }, cb);
    },
  });
  return {
    listen: () => new Promise<void>((r, j) => { server.once('error', j); server.listen(port, '127.0.0.1', () => r()); }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function printers(n: number, base: number, port: () => number): Promise<SimPrinter[]> {
  return Array.from({ length: n }, (_, i) => new SimPrinter({ index: base + i, serialPrefix: 'MAIL', resolveTarget: async () => ({ host: '127.0.0.1', port: port() }) }));
}

test('an alert is one e-mail, a flood is one digest, and nothing is lost while the mail server is down (even across a restart)', async (t) => {
  t.timeout(120_000);
  const pki = await OpensslPki.create();
  const cert = await pki.issue('mail-server', { issuer: 'root', key: 'ec-p256', ext: 'client-server' });
  const received: Received[] = [];
  const smtpPort = await freePort();
  let smtp = smtpServer(smtpPort, { key: cert.keyPem, cert: cert.certPem }, received);
  await smtp.listen();
  const env = { INSTANT_ON_SMTP_HOST: '127.0.0.1', INSTANT_ON_SMTP_PORT: String(smtpPort), INSTANT_ON_SMTP_SECURITY: 'starttls',
    INSTANT_ON_SMTP_USER: 'alerts', INSTANT_ON_SMTP_PASSWORD: 'smtp-pass-1', INSTANT_ON_SMTP_FROM: 'edge@branch.test',
    INSTANT_ON_ALERT_DIGEST_SECONDS: '3', INSTANT_ON_SMTP_TIMEOUT_MS: '3000' };
  let h = await startTestAppliance({ env });
  const fleet = await printers(9, 5100, () => h.appliance.announcePort);
  t.teardown(async () => { for (const p of fleet) await p.stop(); await h.stop(); await smtp.close(); await pki.cleanup(); });
  let web = h.appliance.webPort;
  let token = await login(web);
  t.is((await api(web, 'POST', '/api/v1/pki/trusted-cas', { token, text: pki.root.certPem })).status, 201);
  const subs = await api(web, 'PUT', '/api/v1/alerts/subscriptions', { token, body: { subscriptions: [
    { email: 'ops@branch.test', kinds: ['*'] }, { email: 'pki@branch.test', kinds: ['certificate-expiry', 'crl-expiry'] }] } });
  t.is(subs.status, 200);
  const bad = await api(web, 'PUT', '/api/v1/alerts/subscriptions', { token, body: { subscriptions: [{ email: 'not-an-address', kinds: ['nope'] }] } });
  t.is(bad.status, 400);
  t.deepEqual(bad.body.error.details.map((d: any) => d.field).sort(), ['subscriptions.0.email', 'subscriptions.0.kinds.0']);

  for (const p of fleet) t.is(await p.boot(), 'Success');

  // One alert → one message.
  await fleet[0].replaceFormatter();
  const first = await waitFor(() => received[0], 20_000);
  t.is(first.mail.subject, `[instant-on ${h.appliance.settings.get('listenerId')}] ALERT: Device identity changed — ${fleet[0].serialNumber}`);
  t.deepEqual(first.to, ['ops@branch.test'], 'only the subscriber of this kind');
  t.true(first.secure, 'sent after STARTTLS');
  t.is(first.user, 'alerts', 'signed in');
  t.is(first.mail.from?.value[0].address, 'edge@branch.test');
  t.regex(first.mail.text ?? '', new RegExp(`now announces with MAC ${fleet[0].macAddress.replace(/:/g, ':')}`));

  // A flood (five at once) → one digest.
  await Promise.all(fleet.slice(1, 6).map((p) => p.replaceFormatter()));
  const digest = await waitFor(() => received[1], 20_000);
  t.regex(digest.mail.subject ?? '', /Alert digest: 5 raised, 0 resolved \(1 kind\)/);
  for (const p of fleet.slice(1, 6)) t.true((digest.mail.text ?? '').includes(p.serialNumber), p.serialNumber);
  await new Promise((r) => setTimeout(r, 4000));
  t.is(received.length, 2, 'the flood was one message');

  // The server goes away. Alerts are resolved and raised meanwhile; the status says what is wrong.
  await smtp.close();
  const open = (await api(web, 'GET', '/api/v1/alerts?kind=device-identity-changed', { token })).body.alerts;
  for (const a of open.slice(0, 2)) t.is((await api(web, 'POST', `/api/v1/alerts/${encodeURIComponent(a.id)}/resolve`, { token })).status, 200);
  const resolvedKeys = open.slice(0, 2).map((a: any) => a.key);
  await Promise.all(fleet.slice(6, 9).map((p) => p.replaceFormatter()));
  const failing = await waitFor(async () => { const s = (await api(web, 'GET', '/api/v1/alerts/mail', { token })).body; return s.lastError ? s : undefined; }, 20_000);
  t.regex(failing.lastError, /ECONNECTION|ECONNREFUSED/);
  t.is(failing.queued, 5, '2 resolved + 3 raised wait on disk');
  const mailAlert = (await api(web, 'GET', '/api/v1/alerts?kind=mail-failing', { token })).body.alerts;
  t.is(mailAlert.length, 1, 'the page shows that alert e-mail is failing');

  // The appliance restarts while the server is still down; the queue is on disk.
  const dataDir = h.dataDir;
  await h.stop(true);
  smtp = smtpServer(smtpPort, { key: cert.keyPem, cert: cert.certPem }, received);
  await smtp.listen();
  h = await startTestAppliance({ env, dataDir });
  web = h.appliance.webPort;
  token = await login(web);
  const late = await waitFor(() => received.length >= 3 ? received.slice(2) : undefined, 30_000);
  const text = late.map((r) => r.mail.text ?? '').join('\n');
  for (const key of resolvedKeys) t.regex(text, new RegExp(`RESOLVED .* ${key} `), `resolution of ${key} delivered`);
  for (const p of fleet.slice(6, 9)) t.regex(text, new RegExp(`RAISED .* ${p.serialNumber} `), `${p.serialNumber} delivered`);
  t.is(late.length, 1, 'queued changes went out as one digest');
  const status = await waitFor(async () => { const s = (await api(web, 'GET', '/api/v1/alerts/mail', { token })).body; return s.queued === 0 ? s : undefined; });
  t.is(status.lastError, null);
  t.is((await api(web, 'POST', '/api/v1/alerts/check', { token })).status, 200);
  t.true(received.every((r) => r.to.length === 1 && r.to[0] === 'ops@branch.test'), 'the pki subscriber got none of these kinds');
});

test('a mail server that does not answer, or a password without TLS: clear errors and the appliance works on', async (t) => {
  t.timeout(60_000);
  const silent = net.createServer(() => { /* accepts, never greets */ });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as net.AddressInfo).port;
  const h = await startTestAppliance({ env: { INSTANT_ON_SMTP_HOST: '127.0.0.1', INSTANT_ON_SMTP_PORT: String(port), INSTANT_ON_SMTP_TIMEOUT_MS: '1000' } });
  t.teardown(async () => { await h.stop(); silent.close(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  const started = Date.now();
  const r = await api(web, 'POST', '/api/v1/alerts/mail/test', { token, body: { to: 'ops@branch.test' } });
  t.is(r.status, 502);
  t.is(r.body.error.code, 'mail-failed');
  t.regex(r.body.error.message, new RegExp(`127\\.0\\.0\\.1:${port}: .*(Greeting never received|Timeout)`, 'i'));
  t.true(Date.now() - started < 15_000, 'bounded by smtpTimeoutMs');
  t.is((await api(web, 'POST', '/api/v1/alerts/mail/test', { token, body: { to: 'nobody' } })).status, 400);

  await api(web, 'PUT', '/api/v1/settings', { token, body: { smtpSecurity: 'none', smtpUser: 'alerts', smtpPassword: 'plain-pass-9' } });
  const plain = await api(web, 'POST', '/api/v1/alerts/mail/test', { token, body: { to: 'ops@branch.test' } });
  t.is(plain.status, 502);
  t.regex(plain.body.error.message, /refusing to send the SMTP password without TLS/);
  t.false(JSON.stringify(plain.body).includes('plain-pass-9'));
  const settings = (await api(web, 'GET', '/api/v1/settings', { token })).body.settings;
  t.is(settings.find((s: any) => s.key === 'smtpPassword').value, '***', 'the password is never shown');
  t.is((await api(web, 'GET', '/api/v1/health')).status, 200);
});
