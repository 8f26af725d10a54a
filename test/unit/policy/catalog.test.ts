import test from 'ava';
import { AREAS, CATALOG, catalogView, FAMILIES, NOT_SUPPORTED, RETIRED, settingById, settingByOid } from '../../../appliance/src/policy/catalog.ts';
import { SOURCES } from '../../../appliance/src/policy/catalog-sources.ts';
import { HP_OBJECT_BY_OID } from '../../../appliance/src/sim/hp-objects.ts';

test('at least 50 settings, unique ids and OIDs, every area used, every source known', (t) => {
  t.true(CATALOG.length >= 50, `${CATALOG.length} settings`);
  t.is(new Set(CATALOG.map((s) => s.id)).size, CATALOG.length);
  t.is(new Set(CATALOG.map((s) => s.oid)).size, CATALOG.length);
  t.deepEqual([...new Set(CATALOG.map((s) => s.area))].sort(), Object.keys(AREAS).sort());
  t.deepEqual([...new Set(CATALOG.map((s) => s.family))].sort(), Object.keys(FAMILIES).sort());
  for (const s of [...CATALOG, ...NOT_SUPPORTED]) for (const k of s.sources) t.truthy(SOURCES[k], `${s.id}: unknown source ${k}`);
  for (const s of CATALOG) t.true(s.sources.length > 0 && s.help.length > 20 && s.title.length > 0, s.id);
  t.log(`${CATALOG.length} settings; ${NOT_SUPPORTED.length} listed as not supported; per area: ${JSON.stringify(Object.fromEntries(Object.keys(AREAS).map((a) => [a, CATALOG.filter((s) => s.area === a).length])))}`);
});

test('the two rows no MIB backs are gone (listed as retired), and nothing sits at their OIDs', (t) => {
  for (const id of ['ipv4-multicast', 'tftp-config']) {
    t.is(settingById(id), undefined);
    t.truthy(RETIRED.find((r) => r.id === id));
  }
  t.is(settingByOid('1.3.6.1.4.1.11.2.4.3.7.30.0'), undefined);
  t.is(settingByOid('1.3.6.1.4.1.11.2.4.3.7.44.0'), undefined);
});

test('each MIB family keeps its own on/off numbers: JetDirect 0/1, HP device 1/2, Printer-MIB 3/4, MIB-II 1/2', (t) => {
  const switches = CATALOG.filter((s) => s.valueType === 'boolean');
  const jdCtl = switches.filter((s) => /^1\.3\.6\.1\.4\.1\.11\.2\.4\.3\.(5|7|18)\./.test(s.oid));
  t.true(jdCtl.length >= 25);
  for (const s of jdCtl) t.deepEqual(s.wire, { on: 1, off: 0 }, s.id);
  const pml = switches.filter((s) => s.family === 'hp-device');
  t.true(pml.length >= 10);
  for (const s of pml) t.deepEqual(s.wire, { on: 2, off: 1 }, s.id);
  for (const s of switches.filter((x) => x.family === 'printer-mib')) t.deepEqual([s.wire!.on, s.wire!.off].sort(), [3, 4], s.id);
  for (const s of switches.filter((x) => x.family === 'mib-2')) t.deepEqual(s.wire, { on: 1, off: 2 }, s.id);
  // npSecurity objects say their own numbers (1 = on, 2 = off), not the JetDirect 0/1.
  t.deepEqual(settingById('https-redirect')!.wire, { on: 1, off: 2 });
  const telnet = settingById('telnet')!;
  t.is(telnet.toWire(true), 1);
  t.is(telnet.fromWire(2), undefined, 'an unknown wire value is not silently read as a boolean');
  t.is(telnet.fromWire('1'), undefined);
  const ep = settingById('eprint-email')!;
  t.is(ep.toWire(false), 1);
  t.is(ep.fromWire(0), undefined, 'a JetDirect 0 is not a PML value');
  const lock = settingById('control-panel-lock')!;
  t.is(lock.toWire(true), 4);
  t.is(lock.fromWire(3), false);
});

test('FTP is its four-value enumeration, each value named; unknown numbers are not read', (t) => {
  const ftp = settingById('ftp')!;
  t.is(ftp.oid, '1.3.6.1.4.1.11.2.4.3.7.20.0');
  t.deepEqual(ftp.values!.map((v) => [v.wire, v.name]), [[0, 'off'], [1, 'on'], [2, 'print-only'], [3, 'download-only']]);
  t.is(ftp.fromWire(2), 'print-only');
  t.is(ftp.toWire('download-only'), 3);
  t.is(ftp.fromWire(7), undefined);
  for (const s of CATALOG.filter((x) => x.valueType === 'enum' || x.valueType === 'flags')) {
    t.true(s.values!.length >= 2, s.id);
    t.is(new Set(s.values!.map((v) => v.wire)).size, s.values!.length, s.id);
    t.true(s.values!.every((v) => v.name && v.label), `${s.id}: every value named`);
  }
});

test('flags: bits in MIB order; a bit the MIB does not name makes the value unknown', (t) => {
  const tls = settingById('tls-versions')!;
  t.is(tls.toWire('tls1.1,tls1.2'), 12);
  t.is(tls.fromWire(8), 'tls1.2');
  t.is(tls.fromWire(15), 'ssl3,tls1.0,tls1.1,tls1.2');
  t.is(tls.fromWire(16), undefined);
});

test('every row matches the simulated printers\' own table (written from the MIBs, not from the catalog)', (t) => {
  for (const s of CATALOG) {
    const o = HP_OBJECT_BY_OID.get(s.oid);
    if (!o) { t.fail(`${s.id}: no native object at ${s.oid}`); continue; }
    const syntax = s.wireType;
    t.is(o.syntax, syntax, `${s.id} syntax`);
    const accepted = (n: number) => (o.values ? o.values.includes(n) : o.range ? n >= o.range[0] && n <= o.range[1] : false);
    if (s.wire) for (const n of [s.wire.on, s.wire.off]) t.true(accepted(n), `${s.id}: ${n} is a native value`);
    if (s.valueType === 'enum') for (const v of s.values!) t.true(accepted(v.wire), `${s.id}: ${v.wire} is a native value`);
    if (s.valueType === 'secret') t.truthy(o.writeOnly, `${s.id} is write-only natively`);
    else {
      const factory = typeof o.factory === 'string' ? o.factory : o.factory;
      const bytes = typeof factory === 'string' ? Buffer.from(factory, 'utf8') : undefined;
      t.deepEqual(s.fromWire(factory, bytes), s.factoryDefault, `${s.id}: catalog factory default = native factory value`);
    }
  }
});

test('secrets, guards and the announcement agent rows', (t) => {
  const admin = settingById('admin-password')!;
  t.like(admin, { valueType: 'secret', factoryDefault: null, secret: { readBack: 'set-not-set', verifyOid: '1.3.6.1.4.1.11.2.4.3.5.28.0' } });
  t.is(admin.fromWire('SET'), 'set');
  t.is(admin.fromWire('NOT_SET'), 'not-set');
  t.is(admin.fromWire('hunter2'), undefined, 'a device answering something else is not read as "set"');
  t.is(settingById('fs-password')!.fromWire('0'), 'not-set');
  t.is(settingById('snmp-set-community')!.guard, 'snmp-write-community');
  t.is(settingById('snmp-agent')!.guard, 'snmp-agent');
  const server = settingById('hpdap-server')!;
  t.is(server.oid, '1.3.6.1.4.1.11.2.4.3.5.99.0');
  t.true(server.acceptsThisAppliance);
  t.deepEqual([...(server.toWire('10.1.2.3') as Uint8Array)], [10, 1, 2, 3]);
  t.is(server.fromWire('', new Uint8Array([0, 0, 0, 0])), '');
  t.is(server.fromWire('', new Uint8Array([192, 168, 1, 9])), '192.168.1.9');
  t.is(settingById('hpdap-announce')!.oid, '1.3.6.1.4.1.11.2.4.3.7.65.0');
  t.is(settingById('hpdap-trusted-auth')!.oid, '1.3.6.1.4.1.11.2.4.3.7.66.0');
  for (const u of NOT_SUPPORTED.filter((x) => x.title.includes('encrypted'))) t.regex(u.reason, /public key/);
});

test('catalogView is plain JSON without functions, with the models whose MIBs list each row', (t) => {
  const view = catalogView();
  t.is(view.settings.length, CATALOG.length);
  t.deepEqual(JSON.parse(JSON.stringify(view)), view);
  t.true(view.settings.every((v) => v.title && v.help && v.allowed));
  t.deepEqual(view.settings.find((s) => s.id === 'hpdap-announce')!.models, ['PageWide Pro 477dw MFP']);
  t.true(view.notSupported.length >= 8);
});
