// Review of issue 12's rule "secrets never in logs, answers, events or audit" against the settings that hold
// secrets (smtpPassword, metricsToken, and mqttUrl, a URL that may carry a password): a PUT of all three
// leaves no trace of them in the answer, the audit log, the live event stream, a real rsyslogd, the
// appliance's own log, a backup archive, or the bytes of the data folder (they are sealed at rest); after a
// restart they are still in force (the sealed values open).
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { startRsyslog } from '../fakes/rsyslog.ts';
import { openEvents } from '../fakes/sse.ts';

const MQTT_PASSWORD = 'Mq77-p@ss:word-zq';
const SMTP_PASSWORD = 'smtp-Pw-7f3a-zq';
const METRICS_TOKEN = 'metrics-Tok-91b2-zq-long';
const SECRETS = [MQTT_PASSWORD, 'p@ss:word', SMTP_PASSWORD, METRICS_TOKEN];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => { const p = join(dir, n); return statSync(p).isDirectory() ? filesUnder(p) : [p]; });
}

/** Names of the secrets found in `text` (also as UTF-16, which LevelDB never writes, and JSON-escaped forms). */
function leaked(text: string | Buffer): string[] {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  return SECRETS.filter((x) => s.includes(x));
}

function metrics(port: number, token: string): Promise<number> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path: '/metrics', rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` } }, (r) => { r.resume(); res(r.statusCode ?? 0); });
    req.on('error', rej);
    req.end();
  });
}

test('secret settings: never in answers, audit, events, syslog, logs, backups or the data folder; sealed at rest and still in force after a restart', async (t) => {
  t.timeout(120_000);
  const pki = await OpensslPki.create();
  const srv = await pki.issue('syslog-collector', { issuer: 'root', key: 'ec-p256', ext: 'client-server' });
  const rs = await startRsyslog({ caFile: pki.root.certPath, certFile: srv.certPath, keyFile: srv.keyPath });
  const logs: string[] = [];
  let h = await startTestAppliance({ captureLogs: logs });
  const dataDir = h.dataDir;
  t.teardown(async () => { await h.stop(); await rs.stop(); await pki.cleanup(); });
  let web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { syslogTargets: `tcp://127.0.0.1:${rs.tcpPort}` } })).status, 200);
  const sse = openEvents(web, { authorization: `Bearer ${token}` });
  t.is(await sse.status, 200);

  const put = await api(web, 'PUT', '/api/v1/settings', { token, body: {
    mqttUrl: `mqtts://bob:${MQTT_PASSWORD}@127.0.0.1:1`, smtpPassword: SMTP_PASSWORD, metricsToken: METRICS_TOKEN } });
  t.is(put.status, 200, JSON.stringify(put.body));
  t.deepEqual(leaked(JSON.stringify(put.body)), [], 'the answer');
  const mqtt = put.body.settings.find((x: any) => x.key === 'mqttUrl');
  t.is(mqtt.pending, 'mqtts://bob:***@127.0.0.1:1', 'a password holding @ and : is masked whole');

  const audit = await api(web, 'GET', '/api/v1/audit?action=settings.change', { token });
  const entry = audit.body.entries.find((e: any) => e.request && 'mqttUrl' in e.request);
  t.truthy(entry, 'the change is audited');
  t.is(entry.request.mqttUrl, 'mqtts://bob:***@127.0.0.1:1', 'the audit keeps the URL with its password masked');
  t.deepEqual(leaked(JSON.stringify(audit.body)), [], 'the audit log');

  await waitFor(() => sse.events().filter((e) => e === 'audit').length >= 1);
  sse.close();
  t.deepEqual(leaked(sse.text()), [], 'the live event stream');

  const lines = await waitFor(() => { const l = rs.lines('tcp'); return l.some((x) => x.msgId === 'AUDIT' && x.msg.includes('mqttUrl')) ? l : undefined; }, 20_000);
  t.deepEqual(leaked(JSON.stringify(lines)), [], 'rsyslogd');

  // At rest: the store holds sealed values; no file of the data folder holds a secret's bytes.
  for (const key of ['mqttUrl', 'smtpPassword', 'metricsToken']) {
    const raw = await h.appliance.store.get<unknown>('settings', key);
    t.true(typeof raw === 'object' && raw !== null && typeof (raw as any).sealed === 'string', `${key} is sealed in the store: ${JSON.stringify(raw)}`);
  }
  const backup = await new Promise<Buffer>((res, rej) => {
    const req = request({ host: '127.0.0.1', port: web, method: 'POST', path: '/api/v1/backup', rejectUnauthorized: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (r) => { const c: Buffer[] = []; r.on('data', (x) => c.push(x)); r.on('end', () => res(Buffer.concat(c))); });
    req.on('error', rej);
    req.end(JSON.stringify({ passphrase: 'a long backup passphrase', devices: false }));
  });
  t.deepEqual(leaked(gunzipSync(backup)), [], 'the backup archive');

  await h.stop(true);
  const onDisk = filesUnder(dataDir).filter((f) => leaked(readFileSync(f)).length);
  t.deepEqual(onDisk, [], 'no file of the data folder holds a secret in clear');

  // A restart opens them: the metrics token works, the MQTT URL is in force (masked).
  h = await startTestAppliance({ dataDir, captureLogs: logs });
  web = h.appliance.webPort;
  t.is(await metrics(web, METRICS_TOKEN), 200, 'the sealed metrics token opens after a restart');
  t.is(await metrics(web, 'metrics-Tok-wrong-zzzzzzzz'), 401);
  const after = (await api(web, 'GET', '/api/v1/settings', { token: await login(web) })).body.settings;
  t.is(after.find((x: any) => x.key === 'mqttUrl').value, 'mqtts://bob:***@127.0.0.1:1');
  t.is(after.find((x: any) => x.key === 'smtpPassword').value, '***');
  t.deepEqual(leaked(logs.join('')), [], 'the appliance log');
});
