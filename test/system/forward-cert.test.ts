// Issue 8: with validateIdentityCertificate, a secondary listener's certificate must chain to the trusted
// CAs and name the host we dial. Certificates made by openssl: one good (root CA, SAN IP:127.0.0.1), one
// from an untrusted CA, one trusted but without the address, one self-signed. Only the good listener
// receives anything; each other listener's status names why.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { createSelfSignedIdentity } from '../../appliance/src/pki/identity.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { startPlainListener, type PlainListener } from './forward-peer.ts';

test('only a listener whose identity validates receives; the others name the reason', async (t) => {
  t.timeout(90_000);
  const pki = await OpensslPki.create();
  const [good, untrusted, wrongName] = await Promise.all([
    pki.issue('listener-good', { issuer: 'root', key: 'ec-p256', ext: 'client-server' }),
    pki.issue('listener-untrusted', { issuer: 'other', key: 'ec-p256', ext: 'client-server' }),
    pki.issue('listener-wrong-name', { issuer: 'root', key: 'ec-p256', ext: 'server-only' }),
  ]);
  // Self-signed the way an appliance's own first-start identity is (names the address, chains to nothing).
  const self = createSelfSignedIdentity({ names: ['localhost'], addresses: ['127.0.0.1'] });
  const selfSigned = { keyPem: self.keyPem, certPem: self.certPem };
  const listeners: Record<string, PlainListener> = {};
  for (const [name, c] of Object.entries({ good, untrusted, wrongName, selfSigned })) listeners[name] = await startPlainListener({ key: c.keyPem, cert: c.certPem });
  const h = await startTestAppliance({ env: { INSTANT_ON_FORWARD_RETRY_BASE_MS: '100', INSTANT_ON_FORWARD_RETRY_MAX_MS: '500' } });
  const fleet = new Fleet({ count: 5, firstIndex: 4200, serialPrefix: 'CRT', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(async () => { await h.stop(); for (const l of Object.values(listeners)) await l.close(); await pki.cleanup(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'POST', '/api/v1/pki/trusted-cas', { token, text: pki.root.certPem })).status, 201);
  const ids: Record<string, string> = {};
  for (const [name, l] of Object.entries(listeners)) {
    const r = await api(web, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: l.port, validateIdentityCertificate: true } });
    t.is(r.status, 201);
    ids[name] = r.body.id;
  }

  t.is((await fleet.announceAll('initial-boot')).Success, 5);
  await waitFor(() => listeners.good.received.length === 5, 15_000);
  const status = async (name: string) => (await api(web, 'GET', `/api/v1/listeners/${ids[name]}`, { token })).body.status;
  await waitFor(async () => (await Promise.all(['untrusted', 'wrongName', 'selfSigned'].map(status))).every((s) => s.lastError && s.consecutiveFailures >= 2), 15_000);

  t.is((await status('good')).backlog, 0);
  for (const name of ['untrusted', 'wrongName', 'selfSigned']) {
    t.is(listeners[name].received.length, 0, `${name} received nothing`);
    t.is(listeners[name].sessions, 0, `${name}: no TLS session was ever completed`);
    const s = await status(name);
    t.is(s.backlog, 5, `${name}: the relays stay queued until the certificate is fixed`);
    t.is(s.lastError.code, 'certificate-invalid');
    t.log(`${name}: ${s.lastError.message}`);
  }
  t.regex((await status('untrusted')).lastError.message, /unable to (get local issuer|verify)/i);
  t.regex((await status('wrongName')).lastError.message, /ALTNAME|does not match|altnames/i);
  t.regex((await status('selfSigned')).lastError.message, /self.signed/i);

  // Switching validation off for the self-signed one (an admin decision) lets its queue drain.
  t.is((await api(web, 'PUT', `/api/v1/listeners/${ids.selfSigned}`, { token, body: { validateIdentityCertificate: false } })).status, 200);
  await waitFor(() => listeners.selfSigned.received.length === 5, 15_000);
});
