// The polled alert rules as pure functions, and the digest text.
import test from 'ava';
import { expiring, forwarding, diskLow, unlisted, deliveryFailing } from '../../../appliance/src/alerts/checks.ts';
import { composeAlertMail } from '../../../appliance/src/alerts/digest.ts';
import type { AlertChange } from '../../../appliance/src/alerts/alert-center.ts';

const now = new Date('2025-06-01T00:00:00Z');
const day = 86_400_000;

test('expiry: within the window or past, never later ones', (t) => {
  const r = expiring([{ key: 'a', what: 'A', at: new Date(now.getTime() + 10 * day) }, { key: 'b', what: 'B', at: new Date(now.getTime() - day) },
    { key: 'c', what: 'C', at: new Date(now.getTime() + 40 * day) }, { key: 'd', what: 'D', at: undefined }], now, 30, 'expires');
  t.deepEqual([...r.keys()], ['a', 'b']);
  t.regex(r.get('a')!.message!, /in 10 days/);
  t.regex(r.get('b')!.message!, /expired on 2025-05-31/);
});

test('forwarding: failing after 3 in a row, backlog above the bound, outbox drops for an hour', (t) => {
  const l = (id: string, failures: number, backlog: number, enabled = true) => ({ id, host: 'h', port: 3329, enabled,
    status: { consecutiveFailures: failures, lastError: failures ? { code: 'ECONNREFUSED', message: 'refused' } : null, backlog, lastSuccessAt: null } });
  const r = forwarding([l('a', 3, 5), l('b', 2, 500), l('c', 9, 9, false)], [{ at: new Date(now.getTime() - 60_000).toISOString(), code: 'cap', message: 'full' },
    { at: new Date(now.getTime() - 2 * 3600_000).toISOString(), code: 'age', message: 'old' }], now, { backlog: 100 });
  t.deepEqual([...r.failing.keys()], ['a']);
  t.deepEqual([...r.backlog.keys()], ['b', 'outbox-cap']);
});

test('disk, unlisted announcers and failing delivery', (t) => {
  t.is(diskLow(100 * 1024 * 1024, 1e10, 500, '/d').get('/d')?.freeMb, 100);
  t.is(diskLow(600 * 1024 * 1024, 1e10, 500, '/d').size, 0);
  t.is(diskLow(0, 1e10, 0, '/d').size, 0, '0 = never');
  const u = [{ serial: 'A', lastSeen: new Date(now.getTime() - 3600_000).toISOString() }, { serial: 'B', lastSeen: new Date(now.getTime() - 2 * day).toISOString() }];
  t.deepEqual([...unlisted(u, now, true).keys()], ['A']);
  t.is(unlisted(u, now, false).size, 0, 'serial list not in use: nothing is unlisted');
  t.deepEqual([...deliveryFailing([{ target: 'tcp://x:1', state: 'down', lastError: 'ECONNREFUSED', consecutiveFailures: 3 }, { target: 'udp://y:1', state: 'idle', lastError: null, consecutiveFailures: 0 }]).keys()], ['tcp://x:1']);
});

const change = (type: 'raised' | 'resolved', kind: any, key: string): AlertChange => ({ type, alert: { id: key, kind, key, severity: 'warning', title: kind, message: `${key} msg`,
  detail: { peer: '10.0.0.1' }, raisedAt: '2025-06-01T00:00:00.000Z', lastSeenAt: '2025-06-01T00:00:00.000Z', occurrences: 1, ...(type === 'resolved' ? { resolvedAt: '2025-06-01T01:00:00.000Z' } : {}) } });

test('one change is one plain message; many are one digest grouped by kind', (t) => {
  const one = composeAlertMail([change('raised', 'disk-low', '/data')], { appliance: 'branch-7' });
  t.is(one.subject, '[instant-on branch-7] ALERT: disk-low — /data');
  t.regex(one.text, /peer: 10\.0\.0\.1/);
  const many = composeAlertMail([...Array.from({ length: 60 }, (_, i) => change('raised', 'device-unlisted', `SN${i}`)), change('resolved', 'disk-low', '/data')], { appliance: 'b', dropped: 4 });
  t.is(many.subject, '[instant-on b] Alert digest: 60 raised, 1 resolved (2 kinds)');
  t.regex(many.text, /Unlisted device announcing: 60 raised, 0 resolved/);
  t.regex(many.text, /… and 10 more/);
  t.regex(many.text, /4 older alert change\(s\) were dropped/);
  t.regex(many.text, /RESOLVED 2025-06-01T01:00:00.000Z {2}\/data/);
});
