// The SNMP adapter against the simulated printers' real SNMP agents (net-snmp agent on 127.x.y.z).
import test from 'ava';
import dgram from 'node:dgram';
import { PassThrough } from 'node:stream';
import { assessAndRemediate, type AssessRequest } from '../../appliance/src/snmp/assessor.ts';
import type { Credential } from '../../appliance/src/snmp/credentials.ts';
import { DEFAULT_USER, startSimAgent, type SimAgent, type SimAgentOptions } from '../../appliance/src/sim/snmp-agent.ts';
import { createRootLogger, silentLogger } from '../../appliance/src/util/log.ts';

const subnet = 100 + Math.floor(Math.random() * 100);
let next = 1;
const address = () => `127.${subnet}.${Math.floor(next / 250) + 1}.${(next++ % 250) + 1}`;

const V2C: Credential = { version: '2c', readCommunity: 'public', writeCommunity: 'private' };
const V3: Credential = { version: '3', user: 'admin', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' };
const V3_256: Credential = { version: '3', user: 'admin256', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes256', privKey: 'privpass123' };
const USERS = [DEFAULT_USER, { ...DEFAULT_USER, name: 'admin256', authProtocol: 'sha256' as const, privProtocol: 'aes256' as const }];
const POLICY = { name: 'branch', settings: { telnet: false, ftp: 'off', 'sys-location': 'Branch 42' } };

async function agent(t: { teardown(fn: () => Promise<void>): void }, opts: Partial<SimAgentOptions> = {}): Promise<SimAgent> {
  const a = await startSimAgent({ address: address(), users: USERS, ...opts });
  t.teardown(() => a.stop());
  return a;
}

const run = (a: SimAgent, credential: Credential, extra: Partial<AssessRequest> = {}) =>
  assessAndRemediate({ host: a.address, port: a.port, credentials: { default: credential }, policy: POLICY, remediate: true, timeoutMs: 1500, ...extra }, silentLogger());

for (const [label, cred] of [['v2c', V2C], ['v3 SHA/AES', V3], ['v3 SHA-256/AES-256', V3_256]] as const) {
  test(`${label}: remediates exactly ftp and sys-location; telnet compliant, untouched; nothing else changes`, async (t) => {
    const a = await agent(t);
    a.setValue('telnet', false);
    const before = a.values();
    const r = await run(a, cred);
    t.is(r.status, 'remediated', r.detail);
    t.deepEqual(r.settings.map((s) => [s.id, s.outcome, s.changed, s.before, s.actual]), [
      ['telnet', 'compliant', false, false, false],
      ['ftp', 'remediated', true, 'on', 'off'],
      ['sys-location', 'remediated', true, '', 'Branch 42'],
    ]);
    t.deepEqual(a.values(), { ...before, ftp: 'off', 'sys-location': 'Branch 42' });
    t.deepEqual(r.credential, { source: 'default' });
    // GET, SET, GET; v3 adds one engine-discovery exchange per conversation.
    t.is(r.roundTrips, cred.version === '2c' ? 3 : 4);

    const again = await run(a, cred);
    t.is(again.status, 'compliant');
    t.false(again.settings.some((s) => s.changed));
    t.is(again.roundTrips, cred.version === '2c' ? 1 : 2, 'compliant device: one GET, no SET');
  });
}

test('a model without ws-print: that setting unsupported, the rest remediated', async (t) => {
  const a = await agent(t, { model: 'laserjet-p3015' });
  const r = await run(a, V2C, { policy: { name: 'p', settings: { ...POLICY.settings, 'ws-print': false, 'control-panel-lock': true } } });
  t.is(r.status, 'remediated');
  t.deepEqual(r.settings.map((s) => [s.id, s.outcome]), [
    ['telnet', 'remediated'], ['ftp', 'remediated'], ['sys-location', 'remediated'], ['ws-print', 'unsupported'], ['control-panel-lock', 'remediated'],
  ]);
  t.is(r.settings[3].deviceAnswer, 'noSuchObject');
  t.like(a.values(), { telnet: false, 'control-panel-lock': true });
  t.false('ws-print' in a.values());
});

test('wrong v3 auth key, unknown user: auth-failed at once; wrong priv key: silence, like snmpd', async (t) => {
  const a = await agent(t);
  const before = a.values();
  const priv = await run(a, { ...V3, privKey: 'wrongpriv123' }, { timeoutMs: 150, retries: 0 });
  t.is(priv.status, 'unreachable');
  for (const [bad, why] of [
    [{ ...V3, authKey: 'wrongpass123' }, /Wrong Digest/],
    [{ ...V3, user: 'mallory' }, /Unknown User/],
  ] as const) {
    const started = Date.now();
    const r = await run(a, bad, { timeoutMs: 3000 });
    t.is(r.status, 'auth-failed');
    t.regex(r.detail ?? '', why);
    t.true(Date.now() - started < 2500, 'the agent answered with a report; no timeout waited');
    t.deepEqual(r.settings, []);
  }
  t.deepEqual(a.values(), before);
});

test('nothing listening: unreachable within timeout × (retries + 1)', async (t) => {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  s.close();
  const started = performance.now();
  const r = await assessAndRemediate({ host: '127.0.0.1', port, credentials: { default: V2C }, policy: POLICY, remediate: true, timeoutMs: 200, retries: 1 }, silentLogger());
  const took = performance.now() - started;
  t.is(r.status, 'unreachable');
  t.true(took >= 390 && took < 1200, `took ${took} ms (400 ms configured, plus timer slack)`);
  t.is(r.roundTrips, 2, 'one try and one retry');
});

test('credential fallback: device → default → global; reports which worked; no secret in result or log', async (t) => {
  const a = await agent(t, { readCommunity: 'branch-ro', writeCommunity: 'branch-rw' });
  const lines: string[] = [];
  const sink = new PassThrough();
  sink.on('data', (d: Buffer) => lines.push(d.toString()));
  const log = createRootLogger({ level: 'debug', destination: sink });
  const r = await assessAndRemediate({
    // Long enough for a loaded CI machine; the silent default credential costs one timeout.
    host: a.address, port: a.port, policy: POLICY, remediate: true, timeoutMs: 700, retries: 0,
    credentials: {
      device: { ...V3, authKey: 'device-wrong-key' },
      default: V2C, // wrong community: the agent stays silent, like real ones
      global: [{ version: '2c', readCommunity: 'branch-ro', writeCommunity: 'branch-rw' }, V3],
    },
  }, log);
  t.is(r.status, 'remediated');
  t.deepEqual(r.credential, { source: 'global', index: 0 });
  t.deepEqual(r.attempts.map((x) => [x.credential, x.outcome]), [['device', 'auth-failed'], ['default', 'unreachable'], ['global[0]', 'answered']]);
  await new Promise((resolve) => setImmediate(resolve));
  const text = JSON.stringify(r) + lines.join('');
  t.true(lines.length > 0);
  for (const secret of ['device-wrong-key', 'authpass123', 'privpass123', 'branch-ro', 'branch-rw', '"public"', 'private']) {
    t.false(text.includes(secret), secret);
  }
  // Remembered credential first next time: one conversation, no failed attempts.
  const again = await assessAndRemediate({ host: a.address, port: a.port, policy: POLICY, remediate: true, timeoutMs: 1500,
    credentials: { device: V3, default: V2C, global: [{ version: '2c', readCommunity: 'branch-ro', writeCommunity: 'branch-rw' }], preferred: r.credential } }, silentLogger());
  t.deepEqual(again.attempts.map((x) => x.credential), ['global[0]']);
});

test('all credentials refused: auth-failed if any agent said so, else unreachable', async (t) => {
  const a = await agent(t);
  const r = await run(a, V2C, { credentials: { device: { ...V3, authKey: 'nopenopenope' }, default: { ...V2C, readCommunity: 'nope' } }, timeoutMs: 300, retries: 0 });
  t.is(r.status, 'auth-failed');
  t.is(r.attempts.length, 2);
  const silent = await run(a, V2C, { credentials: { default: { ...V2C, readCommunity: 'nope' } }, timeoutMs: 100, retries: 0 });
  t.is(silent.status, 'unreachable', 'a wrong v2c community is indistinguishable from a dead host');
});

test('compatibility mode: one round trip per setting (vendor baseline)', async (t) => {
  const a = await agent(t);
  a.setValue('telnet', false);
  const r = await run(a, V2C, { compatibility: true });
  t.is(r.status, 'remediated');
  t.is(r.roundTrips, 3 + 2 + 3, 'GET ×3, SET ×2, GET ×3');
  t.like(a.values(), { ftp: 'off', 'sys-location': 'Branch 42', telnet: false });
});

test('a read-only write community: rejected with the agent answer, nothing changed', async (t) => {
  const a = await agent(t);
  const before = a.values();
  const r = await run(a, { ...V2C, writeCommunity: 'public' });
  t.is(r.status, 'non-compliant');
  t.true(r.settings.every((s) => s.outcome === 'rejected' && /NoAccess/.test(s.setAnswer ?? '')));
  t.is(r.roundTrips, 2, 'one refused SET is enough to know');
  t.deepEqual(a.values(), before);
});

test('one setting refused (notWritable): recorded as rejected with the answer, the others still written', async (t) => {
  const a = await agent(t, { model: 'laserjet-m404' });
  const r = await run(a, V2C, { policy: { name: 'p', settings: { telnet: false, 'control-panel-lock': true, 'sys-name': 'PRN-42' } } });
  t.is(r.status, 'non-compliant');
  t.deepEqual(r.settings.map((s) => [s.id, s.outcome]), [['telnet', 'remediated'], ['control-panel-lock', 'rejected'], ['sys-name', 'remediated']]);
  t.regex(r.settings[1].setAnswer ?? '', /NotWritable: 1\.3\.6\.1\.2\.1\.43\.5\.1\.1\.13\.1/);
  t.is(r.roundTrips, 4, 'GET, refused SET, SET of the rest, GET');
  t.like(a.values(), { telnet: false, 'control-panel-lock': false, 'sys-name': 'PRN-42' });
});

test('hostile agent (wrong type, 60 KB string): clear outcomes, no crash', async (t) => {
  const a = await agent(t, { model: 'hostile' });
  const r = await run(a, V2C, { policy: { name: 'p', settings: { telnet: false, 'sys-location': 'Branch 42', slp: false } } });
  t.is(r.status, 'non-compliant');
  const [telnet, loc, slp] = r.settings;
  t.is(telnet.outcome, 'rejected');
  t.regex(telnet.setAnswer ?? '', /WrongType/);
  t.regex(telnet.deviceAnswer, /OctetString "yes"/);
  t.is(loc.outcome, 'remediated');
  t.is(loc.before, null, 'a 60 KB value is not a valid sys-location');
  t.is(slp.outcome, 'remediated');
  t.true(JSON.stringify(r).length < 4000, 'the 60 KB answer is not copied into the result');
});

test('injected delay, cold reset and Stay Secure', async (t) => {
  const a = await agent(t, { delayMs: 60 });
  const started = performance.now();
  const r = await run(a, V2C);
  t.true(performance.now() - started >= 3 * 60 - 5, 'each of the 3 round trips waited');
  t.is(r.status, 'remediated');
  a.coldReset();
  t.like(a.values(), { telnet: true, ftp: 'on', 'sys-location': '', 'control-panel-lock': false });
  const again = await run(a, V2C);
  t.is(again.status, 'remediated');
  t.deepEqual(again.settings.filter((s) => s.changed).map((s) => s.id), ['telnet', 'ftp', 'sys-location']);
  t.true(a.requests >= 6);
});

test('a device with a small varbind limit (tooBig): the GET and SET are split until they fit', async (t) => {
  const a = await agent(t, { maxVarbinds: 4 });
  const settings = { telnet: false, ftp: 'off', slp: false, lpd: false, syslog: false, 'sys-location': 'Branch 42', 'raw-9100': true };
  const r = await run(a, V2C, { policy: { name: 'p', settings } });
  t.is(r.status, 'remediated', r.detail);
  t.is(r.settings.filter((s) => s.changed).length, 6);
  // GET 7 → tooBig, GET 4 + GET 3; SET 6 → tooBig, SET 3 + SET 3; verify like the first GET.
  t.is(r.roundTrips, 3 + 3 + 3);
  t.like(a.values(), { telnet: false, slp: false, 'sys-location': 'Branch 42', 'raw-9100': true });
});

test('IPv6 loopback agent and adapter', async (t) => {
  const a = await startSimAgent({ address: '::1' });
  t.teardown(() => a.stop());
  const r = await run(a, V3);
  t.is(r.status, 'remediated', r.detail);
});

test('an invalid policy is the one thing that rejects (typed), before any datagram', async (t) => {
  const a = await agent(t);
  const err = await t.throwsAsync(run(a, V2C, { policy: { name: 'p', settings: { telnet: 'no' as unknown as boolean } } }));
  t.is((err as Error & { code?: string }).code, 'POLICY_INVALID');
  t.is(a.requests, 0);
});

test('a varbind limit of 1 still works, one OID per request', async (t) => {
  const a = await agent(t, { maxVarbinds: 1 });
  const r = await run(a, V2C);
  t.is(r.status, 'remediated', r.detail);
  t.like(a.values(), { ftp: 'off', 'sys-location': 'Branch 42' });
});

test('a device that answers tooBig to everything: a clear non-compliant result, bounded round trips', async (t) => {
  const a = await agent(t, { maxVarbinds: 0 });
  const r = await run(a, V2C);
  t.is(r.status, 'non-compliant');
  t.regex(r.detail ?? '', /TooBig/);
  t.true(r.settings.every((s) => s.actual === null && /TooBig/.test(s.deviceAnswer)));
  t.true(r.roundTrips <= 10, `${r.roundTrips} round trips`);
});
