// Qualification over SNMP (snmp/qualify.ts) against real agents: simulated printers (net-snmp agents with an
// identity) and Debian's snmpd, as a printer (overrides of the Printer-MIB serial and hrDeviceType, HP's
// sysObjectID) and as what it is (a Linux host: not a printer).
import test from 'ava';
import { qualify, type QualifyRequest } from '../../appliance/src/snmp/qualify.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';
import type { Credential } from '../../appliance/src/snmp/credentials.ts';
import { startSnmpd, freeUdpPort } from '../fakes/snmpd.ts';

const V2C: Credential = { version: '2c', readCommunity: 'public', writeCommunity: 'private' };
const WRONG: Credential = { version: '2c', readCommunity: 'not-it', writeCommunity: 'not-it' };
const V3: Credential = { version: '3', user: 'admin', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' };
const ask = (host: string, port: number, creds: Credential[] = [V2C], extra: Partial<QualifyRequest> = {}) =>
  qualify({ host, port, timeoutMs: 400, retries: 0, candidates: creds.map((credential, index) => ({ ref: index === 0 ? { source: 'default' } : { source: 'global', index: index - 1 }, credential })), ...extra });

// Each test its own 127.x address, so tests running side by side never share an agent.
const addr = () => `127.0.${200 + Math.floor(Math.random() * 50)}.${1 + Math.floor(Math.random() * 250)}`;

test('an HP printer (simulated): serial, model, host name, MAC and firmware from its own objects', async (t) => {
  const a = await startSimAgent({ address: addr(), identity: { serialNumber: 'CNBQ123456', model: 'HP LaserJet Enterprise M507', hostname: 'NPI123456',
    macAddress: '02:00:aa:bb:cc:dd', firmware: '2505252_000112' } });
  t.teardown(() => a.stop());
  const { result, packets } = await ask(a.address, a.port);
  t.deepEqual(result, { kind: 'printer', credential: { source: 'default' }, printer: { serialNumber: 'CNBQ123456', model: 'HP LaserJet Enterprise M507',
    vendor: 'hp', hostname: 'NPI123456', macAddress: '02:00:aa:bb:cc:dd', firmware: '2505252_000112' } });
  t.true(packets >= 3 && packets <= 4, `${packets} datagrams: probe, identity, one step past the loopback interface`);
});

test('another maker\'s printer is a printer, listed as not HP; its serial comes from the Printer-MIB', async (t) => {
  const a = await startSimAgent({ address: addr(), identity: { serialNumber: 'E73512K0N', model: 'Brother HL-L6400DW', vendor: 'other' } });
  t.teardown(() => a.stop());
  const { result } = await ask(a.address, a.port);
  t.like(result, { kind: 'printer', printer: { serialNumber: 'E73512K0N', model: 'Brother HL-L6400DW', vendor: 'other' } });
});

test('a printer without a serial is counted as unidentified, never made a device', async (t) => {
  const a = await startSimAgent({ address: addr() }); // settings only: the Printer-MIB answers (console), no serial
  t.teardown(() => a.stop());
  const { result } = await ask(a.address, a.port);
  t.like(result, { kind: 'unidentified', detail: 'a printer, but it reports no serial number' });
});

test('credentials: a wrong default and a right global entry → found with global[0], in one timeout', async (t) => {
  const a = await startSimAgent({ address: addr(), identity: { serialNumber: 'CNBQ000001', model: 'm' } });
  t.teardown(() => a.stop());
  const started = Date.now();
  const { result } = await ask(a.address, a.port, [WRONG, V2C]);
  t.like(result, { kind: 'printer', credential: { source: 'global', index: 0 } });
  t.true(Date.now() - started < 400, 'tried at once, not one after another');
  const v3 = await ask(a.address, a.port, [{ ...V3, authKey: 'wrongpass123' }]);
  t.is(v3.result.kind, 'auth-failed');
});

test('nothing listening: no answer after the timeout', async (t) => {
  const host = addr();
  const started = Date.now();
  const { result, packets } = await ask(host, await freeUdpPort(host), [V2C, WRONG]);
  t.is(result.kind, 'no-answer');
  t.true(Date.now() - started < 1500);
  t.is(packets, 2);
});

test('Debian snmpd as a printer (Printer-MIB serial, hrDeviceType, HP sysObjectID) and as itself (not a printer)', async (t) => {
  const printer = await startSnmpd({ host: addr(), extraConfig: [
    'sysobjectid .1.3.6.1.4.1.11.2.3.9.1', 'sysname prn-lobby',
    'override .1.3.6.1.2.1.25.3.2.1.2.1 object_id .1.3.6.1.2.1.25.3.1.5',
    'override .1.3.6.1.2.1.25.3.2.1.3.1 octet_str "HP Color LaserJet MFP M480f"',
    'override .1.3.6.1.2.1.43.5.1.1.17.1 octet_str "CNB8SNMPD1"'] });
  const host = await startSnmpd({ host: addr(), hp: false });
  const hostile = await startSnmpd({ host: addr(), extraConfig: ['override .1.3.6.1.2.1.43.5.1.1.17.1 octet_str "bad serial!\u0007"'] });
  t.teardown(async () => { await printer.stop(); await host.stop(); await hostile.stop(); });
  const p = await ask(printer.host, printer.port, [V3]);
  t.like(p.result, { kind: 'printer', credential: { source: 'default' }, printer: { serialNumber: 'CNB8SNMPD1', model: 'HP Color LaserJet MFP M480f', vendor: 'hp', hostname: 'prn-lobby' } });
  if (p.result.kind === 'printer') t.regex(p.result.printer.macAddress ?? '(none: no interface with a MAC here)', /^([0-9a-f]{2}:){5}[0-9a-f]{2}$|none/);
  const h = await ask(host.host, host.port);
  t.is(h.result.kind, 'not-printer');
  if (h.result.kind === 'not-printer') t.regex(h.result.sysDescr, /Linux/);
  const x = await ask(hostile.host, hostile.port);
  t.like(x.result, { kind: 'unidentified' });
  if (x.result.kind === 'unidentified') t.regex(x.result.detail, /not 1–32 of/);
});
