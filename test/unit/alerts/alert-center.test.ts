// The alert center on the in-memory store: once per condition, a clear end, durable, grouped, sinks in the batch.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { silentLogger } from '../../../appliance/src/util/log.ts';
import { AlertCenter, type AlertChange } from '../../../appliance/src/alerts/alert-center.ts';

async function center() {
  const store = await Store.open();
  const c = new AlertCenter({ store, log: silentLogger() });
  await c.load();
  const changes: AlertChange[] = [];
  c.addSink({ changed: (x) => changes.push(x) });
  return { store, c, changes };
}
const settle = (s: Store) => new Promise((r) => setTimeout(r, 20)).then(() => s.commit([{ type: 'put', sublevel: s.sub('meta'), key: 'x', value: 1 }]));

test('raised once however often reported, resolved once, and both are stored', async (t) => {
  const { store, c, changes } = await center();
  for (let i = 0; i < 50; i++) c.raise('snmp-credentials', 'SN1', { message: 'refused', address: '10.0.0.5' });
  await settle(store);
  t.deepEqual(changes.map((x) => x.type), ['raised']);
  t.is(c.openAlerts()[0].occurrences, 50);
  c.resolve('snmp-credentials', 'SN1');
  c.resolve('snmp-credentials', 'SN1');
  await settle(store);
  t.deepEqual(changes.map((x) => x.type), ['raised', 'resolved']);
  const stored = await c.history({ state: 'resolved' });
  t.is(stored.length, 1);
  t.truthy(stored[0].resolvedAt);
  t.is(stored[0].occurrences, 50);
});

test('open alerts come back after a restart; sync resolves what no longer holds', async (t) => {
  const { store, c } = await center();
  c.sync('disk-low', new Map([['/data', { message: 'low' }]]));
  c.sync('certificate-expiry', new Map([['identity', {}], ['ca:AB', {}]]));
  await settle(store);
  const again = new AlertCenter({ store, log: silentLogger() });
  await again.load();
  t.deepEqual(again.openAlerts().map((a) => `${a.kind}/${a.key}`).sort(), ['certificate-expiry/ca:AB', 'certificate-expiry/identity', 'disk-low//data']);
  again.sync('certificate-expiry', new Map([['identity', {}]]));
  t.deepEqual(again.summary().map((s) => [s.kind, s.open]), [['disk-low', 1], ['certificate-expiry', 1]], 'critical first, one line per kind');
});

test('details are bounded and cleaned: no control characters, no odd field names, no endless strings', async (t) => {
  const { c } = await center();
  c.raise('device-unlisted', 'SN\n2', { message: 'x'.repeat(2000), model: 'A\u0000B', 'bad key': 'v', n: Infinity });
  const a = c.openAlerts()[0];
  t.is(a.key, 'SN 2');
  t.is(a.message.length, 500);
  t.deepEqual(a.detail, { model: 'A B', n: null });
});

test('a sink\'s operations ride in the alert\'s batch; resolveById names who resolved it', async (t) => {
  const { store, c } = await center();
  c.addSink({ ops: (x) => [{ type: 'put', sublevel: store.sub('alertmail'), key: x.alert.id + x.type, value: x.type }] });
  c.raise('device-identity-changed', 'SN3', { from: 'a', to: 'b' });
  await settle(store);
  const id = c.openAlerts()[0].id;
  t.is(c.resolveById('nope', 'admin'), undefined);
  t.is(c.resolveById(id, 'admin')?.detail.resolvedBy, 'admin');
  await settle(store);
  t.deepEqual(await store.sub('alertmail').values().all(), ['raised', 'resolved']);
});

test('more open alerts of one kind than the bound are counted, not stored', async (t) => {
  const store = await Store.open();
  const c = new AlertCenter({ store, log: silentLogger(), maxOpenPerKind: 3 });
  for (let i = 0; i < 5; i++) c.raise('device-too-often', `SN${i}`);
  t.deepEqual(c.summary().map((s) => [s.open, s.suppressed]), [[3, 2]]);
});
