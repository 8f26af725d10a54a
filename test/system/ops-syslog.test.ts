// Issue 16 item 3: a real rsyslogd receives the appliance's audit events, alerts and device events as RFC 5424
// over TCP (octet counting), TLS (the ossl driver, collector certificate checked against the appliance's
// trusted CAs) and UDP, and parses the structured data itself (mmpstrucdata). A collector that is down gets
// what was queued once it is back; one that is untrusted or silent shows a clear error and the appliance works on.
import test from 'ava';
import net from 'node:net';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { startRsyslog, type Rsyslog, type RsyslogLine } from '../fakes/rsyslog.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';

async function collector(t: any): Promise<{ rs: Rsyslog; pki: OpensslPki }> {
  const pki = await OpensslPki.create();
  const srv = await pki.issue('syslog-collector', { issuer: 'root', key: 'ec-p256', ext: 'client-server' });
  const rs = await startRsyslog({ caFile: pki.root.certPath, certFile: srv.certPath, keyFile: srv.keyPath });
  t.teardown(async () => { await rs.stop(); await pki.cleanup(); });
  return { rs, pki };
}

const sdOf = (l: RsyslogLine, id: string) => (l.sd && typeof l.sd === 'object' ? l.sd[id] : undefined);

test('rsyslog gets audit, alert and device events as RFC 5424 with structured data over TCP, TLS and UDP', async (t) => {
  t.timeout(90_000);
  const { rs, pki } = await collector(t);
  const h = await startTestAppliance();
  const printer = new SimPrinter({ index: 4401, serialPrefix: 'SYSL', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'POST', '/api/v1/pki/trusted-cas', { token, text: pki.root.certPem })).status, 201);
  const targets = `tcp://127.0.0.1:${rs.tcpPort},tls://127.0.0.1:${rs.tlsPort},udp://127.0.0.1:${rs.udpPort}`;
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { syslogTargets: targets } })).status, 200);
  // An audited change carrying a secret: the collector must see the change, never the password.
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { smtpPassword: 'hunter2-never-logged' } })).status, 200);

  t.is(await printer.boot(), 'Success');
  await printer.replaceFormatter(); // a known serial with a new MAC: the identity-changed alert

  for (const input of ['tcp', 'tls', 'udp'] as const) {
    const lines = await waitFor(() => {
      const l = rs.lines(input);
      return l.some((x) => x.msgId === 'ALERT') && l.some((x) => x.msgId === 'DEVICE-DISCOVERED') && l.filter((x) => x.msgId === 'AUDIT').length >= 2 ? l : undefined;
    }, 20_000);
    for (const l of lines) {
      t.is(l.version, '1', `${input}: rsyslog parsed RFC 5424 (protocol version 1)`);
      t.is(l.appName, 'instant-on-edge');
      t.is(sdOf(l, 'origin')?.software, 'instant-on-edge');
      t.false(JSON.stringify(l).includes('hunter2'), `${input}: no secret in ${l.msgId}`);
    }
    const audit = lines.filter((l) => l.msgId === 'AUDIT').map((l) => sdOf(l, 'audit@32473'));
    t.true(audit.some((a) => a?.action === 'settings.change' && a.user === 'admin' && a.method === 'PUT' && a.status === '200'), `${input}: ${JSON.stringify(audit)}`);
    const device = sdOf(lines.find((l) => l.msgId === 'DEVICE-DISCOVERED')!, 'device@32473');
    t.is(device.serial, printer.serialNumber);
    t.is(device.event, 'discovered');
    const alert = sdOf(lines.find((l) => l.msgId === 'ALERT')!, 'alert@32473');
    t.is(alert.kind, 'device-identity-changed');
    t.is(alert.key, printer.serialNumber);
    t.is(alert.state, 'raised');
    t.is(alert['d.to'], printer.macAddress);
    t.is(lines.find((l) => l.msgId === 'ALERT')!.severity, 'warning');
  }
  const status = (await api(web, 'GET', '/api/v1/syslog', { token })).body.targets;
  t.deepEqual(status.map((s: any) => s.target).sort(), targets.split(',').sort());
  t.true(status.every((s: any) => s.sent >= 4 && s.dropped === 0 && s.lastError === null), JSON.stringify(status));
});

test('a collector that is down: messages wait (bounded) and arrive when it is back; the status and an alert say why meanwhile', async (t) => {
  t.timeout(90_000);
  const { rs, pki } = await collector(t);
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'POST', '/api/v1/pki/trusted-cas', { token, text: pki.root.certPem });
  await api(web, 'PUT', '/api/v1/settings', { token, body: { syslogTargets: `tcp://127.0.0.1:${rs.tcpPort},tls://127.0.0.1:${rs.tlsPort}` } });
  await waitFor(() => rs.lines('tls').length >= 1 && rs.lines('tcp').length >= 1);

  await rs.down();
  for (const n of [41, 42, 43]) t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { deviceHistoryLimit: n } })).status, 200);
  const failing = await waitFor(async () => {
    const s = (await api(web, 'GET', '/api/v1/syslog', { token })).body.targets;
    return s.every((x: any) => x.consecutiveFailures >= 3) ? s : undefined;
  }, 30_000);
  for (const s of failing) {
    t.regex(s.lastError, /ECONNREFUSED/, 'the status names the failure');
    t.true(s.queued >= 3, 'the messages wait in the queue');
  }
  t.is((await api(web, 'POST', '/api/v1/alerts/check', { token })).status, 200);
  const open = (await api(web, 'GET', '/api/v1/alerts?kind=syslog-failing', { token })).body.alerts;
  t.deepEqual(open.map((a: any) => a.key).sort(), [`tcp://127.0.0.1:${rs.tcpPort}`, `tls://127.0.0.1:${rs.tlsPort}`].sort());
  t.is((await api(web, 'GET', '/api/v1/health')).status, 200, 'the appliance keeps working');

  await rs.up();
  for (const input of ['tcp', 'tls'] as const) {
    const limits = await waitFor(() => {
      const got = rs.lines(input).filter((l) => l.msgId === 'AUDIT').map((l) => l.msg).filter((m) => /deviceHistoryLimit/.test(m));
      return got.length >= 3 ? got : undefined;
    }, 60_000);
    t.true([41, 42, 43].every((n) => limits.some((m) => m.includes(`"deviceHistoryLimit":${n}`))), `${input}: ${limits.join(' | ')}`);
  }
  t.is((await api(web, 'POST', '/api/v1/alerts/check', { token })).status, 200);
  t.deepEqual((await api(web, 'GET', '/api/v1/alerts?kind=syslog-failing', { token })).body.alerts, [], 'resolved once delivery works');
});

test('an untrusted collector certificate and a collector that never answers: clear errors, nothing blocks', async (t) => {
  t.timeout(60_000);
  const { rs } = await collector(t);
  const silent = net.createServer(() => { /* accepts, never speaks TLS */ });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const silentPort = (silent.address() as net.AddressInfo).port;
  const h = await startTestAppliance({ env: { INSTANT_ON_SYSLOG_TIMEOUT_MS: '800' } });
  t.teardown(async () => { await h.stop(); silent.close(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  // The collector's CA is NOT imported this time.
  await api(web, 'PUT', '/api/v1/settings', { token, body: { syslogTargets: `tls://127.0.0.1:${rs.tlsPort},tls://127.0.0.1:${silentPort}` } });
  const bad = await api(web, 'PUT', '/api/v1/settings', { token, body: { syslogTargets: 'http://127.0.0.1:514' } });
  t.is(bad.status, 400);
  t.regex(JSON.stringify(bad.body), /syslogTargets.*not udp:\/\/host:port/);
  const s = await waitFor(async () => {
    const list = (await api(web, 'GET', '/api/v1/syslog', { token })).body.targets;
    return list.every((x: any) => x.lastError) ? list : undefined;
  }, 20_000);
  const byTarget = Object.fromEntries(s.map((x: any) => [x.target, x.lastError]));
  t.regex(byTarget[`tls://127.0.0.1:${rs.tlsPort}`], /certificate|issuer|self.signed/i);
  t.regex(byTarget[`tls://127.0.0.1:${silentPort}`], /no answer within 800 ms/);
  t.is(rs.lines('tls').length, 0, 'nothing was sent to a collector we could not verify');
  t.is((await api(web, 'GET', '/api/v1/health')).status, 200);
});
