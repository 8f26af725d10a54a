// Issue 18, first "must show": for each MIB family (JetDirect 0/1 and its enumerations, HP device objects
// 1/2, Printer-MIB 3/4, MIB-II 1/2), against a simulated printer and against Debian snmpd, the assessment
// reads the device's native value, remediation writes the native value, and the verify read finds it. The
// native numbers are checked with net-snmp's snmpget, and written here from the MIBs (not from the catalog).
// An enumeration value outside the known set is reported as such and never read as a known one.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { settingById } from '../../appliance/src/policy/catalog.ts';
import { assessAndRemediate } from '../../appliance/src/snmp/assessor.ts';
import type { Credential } from '../../appliance/src/snmp/credentials.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { plantValue, startSnmpd } from '../fakes/snmpd.ts';

const exec = promisify(execFile);
const V2C: Credential = { version: '2c', readCommunity: 'public', writeCommunity: 'private' };
const oid = (id: string) => settingById(id)!.oid;

/** Per setting: its family, the policy value, the factory value read in policy terms, and the native numbers before and after (from the MIBs). */
const ROWS = [
  { id: 'telnet', family: 'JetDirect 0/1', want: false, before: true, nativeBefore: '1', nativeAfter: '0' },
  { id: 'ftp', family: 'JetDirect enumeration', want: 'print-only', before: 'on', nativeBefore: '1', nativeAfter: '2' },
  { id: 'tls-versions', family: 'JetDirect bit mask', want: 'tls1.2', before: 'ssl3,tls1.0,tls1.1,tls1.2', nativeBefore: '15', nativeAfter: '8' },
  { id: 'syslog-server', family: 'JetDirect IpAddress', want: '10.9.8.7', before: '', nativeBefore: '0.0.0.0', nativeAfter: '10.9.8.7' },
  { id: 'eprint-email', family: 'HP device 1/2', want: false, before: true, nativeBefore: '2', nativeAfter: '1' },
  { id: 'remote-fw-upgrade', family: 'HP device 1/2', want: false, before: true, nativeBefore: '2', nativeAfter: '1' },
  { id: 'held-job-timeout', family: 'HP device integer', want: 60, before: 0, nativeBefore: '0', nativeAfter: '60' },
  { id: 'control-panel-lock', family: 'Printer-MIB 3/4', want: true, before: false, nativeBefore: '3', nativeAfter: '4' },
  { id: 'startup-page', family: 'Printer-MIB 3/4 enumeration', want: 'off', before: 'on', nativeBefore: '3', nativeAfter: '4' },
  { id: 'snmp-auth-traps', family: 'MIB-II 1/2', want: true, before: false, nativeBefore: '2', nativeAfter: '1' },
] as const;
const POLICY = { name: 'families', settings: Object.fromEntries(ROWS.map((r) => [r.id, r.want])) };

async function nativeValues(host: string, port: number): Promise<Record<string, string>> {
  const { stdout } = await exec('snmpget', ['-v2c', '-c', 'public', '-On', '-Oe', '-Oq', '-m', '', `${host}:${port}`, ...ROWS.map((r) => oid(r.id))]);
  const out: Record<string, string> = {};
  for (const line of stdout.trim().split('\n')) {
    const at = line.indexOf(' ');
    const r = ROWS.find((x) => oid(x.id) === line.slice(1, at))!;
    out[r.id] = line.slice(at + 1).trim();
  }
  return out;
}

const peers = {
  'simulated printer': async () => {
    const a = await startSimAgent({ address: '127.0.0.1', port: 0 });
    return { host: a.address, port: a.port, stop: () => a.stop(), plantFtp: async (n: number) => a.setWire('ftp', n) };
  },
  'Debian snmpd': async () => {
    const d = await startSnmpd();
    return { host: d.host, port: d.port, stop: () => d.stop(), plantFtp: (n: number) => plantValue(d, oid('ftp'), n) };
  },
};

for (const [label, start] of Object.entries(peers)) {
  test(`${label}: per MIB family, the native value is read, the native value is written and read back`, async (t) => {
    const p = await start();
    t.teardown(() => p.stop());
    const native0 = await nativeValues(p.host, p.port);
    t.deepEqual(native0, Object.fromEntries(ROWS.map((r) => [r.id, r.nativeBefore])), 'the factory values as the MIBs number them');

    const run = (remediate: boolean) => assessAndRemediate({ host: p.host, port: p.port, credentials: { default: V2C }, policy: POLICY, remediate, timeoutMs: 3000 }, silentLogger());
    const assessed = await run(false);
    t.is(assessed.status, 'non-compliant');
    for (const r of ROWS) t.like(assessed.settings.find((s) => s.id === r.id), { before: r.before, actual: r.before, compliant: false }, `${r.family}: ${r.id} read natively`);
    t.deepEqual(await nativeValues(p.host, p.port), native0, 'an assessment writes nothing');

    const fixed = await run(true);
    t.is(fixed.status, 'remediated', fixed.detail);
    t.is(fixed.roundTrips, 3, 'one GET, one SET, one verify GET');
    for (const r of ROWS) t.like(fixed.settings.find((s) => s.id === r.id), { outcome: 'remediated', before: r.before, actual: r.want, changed: true }, `${r.family}: ${r.id}`);
    t.deepEqual(await nativeValues(p.host, p.port), Object.fromEntries(ROWS.map((r) => [r.id, r.nativeAfter])), 'the native numbers, read back by snmpget');
    t.is((await run(true)).status, 'compliant');
  });

  test(`${label}: an FTP value outside its enumeration is reported as unknown, not read as on or off, and then fixed`, async (t) => {
    const p = await start();
    t.teardown(() => p.stop());
    await p.plantFtp(7);
    const policy = { name: 'ftp', settings: { ftp: 'off' } };
    const assessed = await assessAndRemediate({ host: p.host, port: p.port, credentials: { default: V2C }, policy, remediate: false, timeoutMs: 3000 }, silentLogger());
    const [s] = assessed.settings;
    t.like(s, { id: 'ftp', actual: null, before: null, compliant: false, supported: true, deviceAnswer: 'Integer 7', outcome: 'non-compliant' });
    t.regex(s.note ?? '', /Integer 7 is not a value this setting knows \(0 off, 1 on, 2 print-only, 3 download-only\)/);
    const fixed = await assessAndRemediate({ host: p.host, port: p.port, credentials: { default: V2C }, policy, remediate: true, timeoutMs: 3000 }, silentLogger());
    t.like(fixed.settings[0], { outcome: 'remediated', before: null, actual: 'off' });
    t.is((await exec('snmpget', ['-v2c', '-c', 'public', '-Oqv', '-m', '', `${p.host}:${p.port}`, oid('ftp')])).stdout.trim(), '0');
  });
}
