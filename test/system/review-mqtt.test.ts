// Review of the MQTT feed against "secrets go only to verified places": a password in mqtt:// crossed the LAN
// in clear in every CONNECT, and mqtts:// trusted only the system CAs, so a branch broker with a company-CA
// certificate could not be reached over TLS at all (which pushes an admin to plain mqtt://). Real mosquitto
// brokers: a URL with a password over mqtt:// is refused by name; over mqtts:// to a broker whose certificate
// chains to a trusted CA (and requires the password) device events arrive.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { startMosquitto, subscribe } from '../fakes/mosquitto.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

const USER = { name: 'edge', password: 'mqtt-pass-7Qz' };

test('mqtt: no password in clear; mqtts to a broker signed by a trusted CA works', async (t) => {
  t.timeout(90_000);
  const pki = await OpensslPki.create();
  const cert = await pki.issue('mqtt-broker', { issuer: 'root', key: 'ec-p256', ext: 'client-server' });
  const broker = await startMosquitto({ tls: { certFile: cert.certPath, keyFile: cert.keyPath }, user: USER });
  let h = await startTestAppliance();
  t.teardown(async () => { await h.stop(); broker.stop(); await pki.cleanup(); });
  let web = h.appliance.webPort;
  let token = await login(web);

  const plain = await api(web, 'PUT', '/api/v1/settings', { token, body: { mqttUrl: `mqtt://${USER.name}:${USER.password}@127.0.0.1:${broker.port}` } });
  t.is(plain.status, 400, JSON.stringify(plain.body));
  t.regex(JSON.stringify(plain.body), /must be mqtts:\/\/ \(TLS\)/);
  t.false(JSON.stringify(plain.body).includes(USER.password));
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { mqttUrl: `mqtt://${USER.name}@127.0.0.1:1` } })).status, 200, 'a user name alone is no secret');

  t.is((await api(web, 'POST', '/api/v1/pki/trusted-cas', { token, text: pki.root.certPem })).status, 201);
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { mqttUrl: `mqtts://${USER.name}:${USER.password}@127.0.0.1:${broker.port}`, mqttTopicPrefix: 'rvw' } })).status, 200);
  // mqttUrl takes effect at the next start.
  const dir = h.dataDir;
  await h.stop(true);
  h = await startTestAppliance({ dataDir: dir });
  web = h.appliance.webPort;
  token = await login(web);
  await waitFor(() => (h.appliance.services.stats() as any).mqtt?.connected, 20_000);
  const sub = subscribe(broker.port, 'rvw/#', { caFile: pki.root.certPath, user: USER });
  t.teardown(() => sub.stop());
  await new Promise((r) => setTimeout(r, 500));
  const printer = new SimPrinter({ index: 4195, serialPrefix: 'MQS', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(() => printer.stop());
  t.is(await printer.boot(), 'Success');
  await waitFor(() => sub.lines.some((l) => l.startsWith(`rvw/devices/${printer.serialNumber}/events`)), 20_000);
  t.pass();
});
