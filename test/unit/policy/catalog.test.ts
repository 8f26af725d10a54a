import test from 'ava';
import { CATALOG, catalogView, settingById, settingByOid } from '../../../appliance/src/policy/catalog.ts';

test('ids and OIDs are unique, and every issue-4 setting is there', (t) => {
  t.is(new Set(CATALOG.map((s) => s.id)).size, CATALOG.length);
  t.is(new Set(CATALOG.map((s) => s.oid)).size, CATALOG.length);
  const want = ['telnet', 'ftp-printing', 'slp', 'lpd', 'raw-9100', 'syslog', 'bonjour', 'ipv4-multicast', 'ws-discovery',
    'ws-print', 'llmnr', 'tftp-config', 'sys-contact', 'sys-name', 'sys-location', 'control-panel-lock'];
  t.deepEqual(CATALOG.map((s) => s.id).sort(), [...want].sort());
});

test('JetDirect switches sit at 1.3.6.1.4.1.11.2.4.3.7.N.0 and map true/false to 1/0', (t) => {
  const ids: Record<string, number> = { telnet: 19, 'ftp-printing': 20, slp: 21, lpd: 22, 'raw-9100': 24, syslog: 26, bonjour: 29,
    'ipv4-multicast': 30, 'ws-discovery': 36, 'ws-print': 37, llmnr: 38, 'tftp-config': 44 };
  for (const [id, n] of Object.entries(ids)) {
    const s = settingById(id)!;
    t.is(s.oid, `1.3.6.1.4.1.11.2.4.3.7.${n}.0`, id);
    t.is(s.toWire(true), 1);
    t.is(s.toWire(false), 0);
    t.is(s.fromWire(1), true);
    t.is(s.fromWire(0), false);
    t.is(s.fromWire(2), undefined, 'an unknown wire value is not silently read as a boolean');
    t.is(s.fromWire('1'), undefined);
  }
});

test('MIB-II strings and the control panel lock (locked = prtConsoleDisable disabled(4))', (t) => {
  t.is(settingById('sys-contact')!.oid, '1.3.6.1.2.1.1.4.0');
  t.is(settingById('sys-name')!.oid, '1.3.6.1.2.1.1.5.0');
  t.is(settingByOid('1.3.6.1.2.1.1.6.0')!.id, 'sys-location');
  t.is(settingById('sys-location')!.maxLength, 255);
  const lock = settingById('control-panel-lock')!;
  t.is(lock.oid, '1.3.6.1.2.1.43.5.1.1.13.1');
  t.is(lock.toWire(true), 4);
  t.is(lock.toWire(false), 3);
  t.is(lock.fromWire(4), true);
  t.is(lock.fromWire(3), false);
  t.is(lock.fromWire(1), undefined);
});

test('catalogView is plain JSON without functions', (t) => {
  const view = catalogView();
  t.is(view.length, CATALOG.length);
  t.deepEqual(JSON.parse(JSON.stringify(view)), view);
  t.true(view.every((v) => v.title && v.help && v.allowed));
});
