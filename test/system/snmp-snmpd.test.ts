// The SNMP adapter against Debian's snmpd (test/fakes/snmpd/), read back independently with the
// net-snmp command-line tools (snmpget/snmpset).
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CATALOG } from '../../appliance/src/policy/catalog.ts';
import { assessAndRemediate, type AssessRequest } from '../../appliance/src/snmp/assessor.ts';
import type { Credential } from '../../appliance/src/snmp/credentials.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { startSnmpd, type Snmpd } from '../fakes/snmpd.ts';

const exec = promisify(execFile);
const V2C: Credential = { version: '2c', readCommunity: 'public', writeCommunity: 'private' };
const V3: Credential = { version: '3', user: 'admin', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' };
const V3_256: Credential = { version: '3', user: 'admin256', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes256', privKey: 'privpass123' };
const POLICY = { name: 'branch', settings: { telnet: false, ftp: 'off', 'sys-location': 'Branch 42' } };

async function peer(t: { teardown(fn: () => Promise<void>): void }, lacks?: string[]): Promise<Snmpd> {
  const d = await startSnmpd({ lacks });
  t.teardown(() => d.stop());
  return d;
}

/** Every catalog OID as snmpget prints it (numeric OIDs and enums). */
async function readAll(d: Snmpd): Promise<Record<string, string>> {
  const { stdout } = await exec('snmpget', ['-v2c', '-c', 'public', '-On', '-Oe', '-Oq', '-m', '', `${d.host}:${d.port}`, ...CATALOG.map((s) => s.oid)]);
  const out: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const at = line.indexOf(' ');
    out[line.slice(1, at)] = line.slice(at + 1);
  }
  return out;
}

const oidOf = (id: string) => CATALOG.find((s) => s.id === id)!.oid;
const run = (d: Snmpd, credential: Credential, extra: Partial<AssessRequest> = {}) =>
  assessAndRemediate({ host: d.host, port: d.port, credentials: { default: credential }, policy: POLICY, remediate: true, timeoutMs: 2000, ...extra }, silentLogger());

for (const [label, cred] of [['v2c', V2C], ['v3 SHA/AES', V3], ['v3 SHA-256/AES-256', V3_256]] as const) {
  test(`snmpd ${label}: exactly ftp and sys-location change; telnet compliant and untouched`, async (t) => {
    const d = await peer(t);
    await exec('snmpset', ['-v2c', '-c', 'private', '-m', '', `${d.host}:${d.port}`, oidOf('telnet'), 'i', '0']);
    const before = await readAll(d);
    t.is(before[oidOf('telnet')], '0');
    const r = await run(d, cred);
    t.is(r.status, 'remediated', r.detail);
    t.deepEqual(r.settings.map((s) => [s.id, s.outcome, s.changed]), [
      ['telnet', 'compliant', false],
      ['ftp', 'remediated', true],
      ['sys-location', 'remediated', true],
    ]);
    const after = await readAll(d);
    t.deepEqual(after, { ...before, [oidOf('ftp')]: '0', [oidOf('sys-location')]: '"Branch 42"' });
    t.log(`${label}: ${r.roundTrips} datagrams, ${r.durationMs} ms`);
    const again = await run(d, cred);
    t.is(again.status, 'compliant');
    t.deepEqual(await readAll(d), after);
  });
}

test('an snmpd without prtConsoleDisable: control-panel-lock unsupported, the rest remediated', async (t) => {
  const d = await peer(t, ['prtConsoleDisable']);
  const r = await run(d, V3_256, { policy: { name: 'p', settings: { ...POLICY.settings, 'control-panel-lock': true, 'ws-print': false } } });
  t.is(r.status, 'remediated');
  t.deepEqual(r.settings.map((s) => [s.id, s.outcome]), [
    ['telnet', 'remediated'], ['ftp', 'remediated'], ['sys-location', 'remediated'], ['control-panel-lock', 'unsupported'], ['ws-print', 'remediated'],
  ]);
  // The pass_persist subtree is still registered, so snmpd says noSuchInstance where a printer says noSuchObject.
  t.regex(r.settings[3].deviceAnswer, /^noSuch(Object|Instance)$/);
});

test('snmpd: wrong v3 key → auth-failed (usmStatsWrongDigests), nothing written; wrong community → unreachable', async (t) => {
  const d = await peer(t);
  const before = await readAll(d);
  const started = Date.now();
  const r = await run(d, { ...V3, authKey: 'wrongpass123' }, { timeoutMs: 4000 });
  t.is(r.status, 'auth-failed');
  t.regex(r.detail ?? '', /Wrong Digest/);
  t.true(Date.now() - started < 3000, 'a report, not a timeout');
  const user = await run(d, { ...V3_256, user: 'nobody' });
  t.is(user.status, 'auth-failed');
  t.regex(user.detail ?? '', /Unknown User/);
  // Net-SNMP 5.9 cannot parse the scoped PDU under a wrong priv key and drops it without a report
  // ("security service 3 error parsing ScopedPDU"): to the manager that is a timeout.
  const priv = await run(d, { ...V3_256, privKey: 'wrongpriv123' }, { timeoutMs: 150, retries: 0 });
  t.is(priv.status, 'unreachable');
  const community = await run(d, { ...V2C, readCommunity: 'wrong' }, { timeoutMs: 150, retries: 0 });
  t.is(community.status, 'unreachable', 'snmpd drops a wrong community silently');
  t.deepEqual(await readAll(d), before);
});

test('snmpd: a read-only community as write community → rejected with snmpd\'s answer, nothing changed', async (t) => {
  const d = await peer(t);
  const before = await readAll(d);
  const r = await run(d, { ...V2C, writeCommunity: 'public' });
  t.is(r.status, 'non-compliant');
  t.true(r.settings.every((s) => s.outcome === 'rejected'));
  t.log(r.settings[0].setAnswer);
  t.regex(r.settings[0].setAnswer ?? '', /NoAccess|NotWritable|ReadOnly|NoSuchName/);
  t.deepEqual(await readAll(d), before);
});
