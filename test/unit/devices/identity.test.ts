// Identity beyond the serial: the address SNMP goes to, the certificate on record, changes and approval.
import test from 'ava';
import { Store } from '../../../appliance/src/store/store.ts';
import { DeviceRegistry } from '../../../appliance/src/devices/registry.ts';
import { announcementSchema } from '../../../appliance/src/protocol/messages.ts';
import { approveIdentity, identityHold, isIdentityPending } from '../../../appliance/src/devices/identity.ts';
import type { ClientCertInfo, PeerInfo } from '../../../appliance/src/devices/device.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

const ann = (serial: string, device: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
  const a = sampleAnnouncement(serial, extra) as any;
  Object.assign(a.device, device);
  return announcementSchema.parse(a);
};
const cert = (n: string): ClientCertInfo => ({ subject: `CN=${n}`, fingerprint256: `${n}:AA:BB`, selfSigned: true });
const peer = (address: string, clientCert?: ClientCertInfo, relayed = false): PeerInfo => ({ address, authMethod: 'anonymous', clientCert, relayed });

test('a claimed address that is not the source is recorded as a mismatch, kept while it lasts, cleared when they agree', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.record(ann('ID1', { ipv4: '10.0.0.5' }), peer('10.0.0.5'));
  t.is(reg.get('ID1')!.addressMismatch, undefined);
  await reg.record(ann('ID1', { ipv4: '10.0.0.99' }), peer('10.0.0.5'));
  const m = reg.get('ID1')!.addressMismatch!;
  t.deepEqual({ claimed: m.claimed, actual: m.actual }, { claimed: ['10.0.0.99'], actual: '10.0.0.5' });
  t.is(reg.get('ID1')!.peerAddress, '10.0.0.5');
  await reg.record(ann('ID1', { ipv4: '10.0.0.99' }), peer('10.0.0.5'));
  t.is(reg.get('ID1')!.addressMismatch!.at, m.at, 'the same mismatch keeps its first time');
  const hist = await reg.history('ID1');
  t.deepEqual(hist[0].claimedAddresses, ['10.0.0.99']);
  // An IPv6 peer that matches one of the claimed v6 addresses is no mismatch.
  await reg.record(ann('ID1', { ipv4: '10.0.0.99', ipv6: ['fe80::1'] }), peer('FE80::1'));
  t.is(reg.get('ID1')!.addressMismatch, undefined);
});

test('the first certificate is on record; another one is an identity change (history, event); a relay changes nothing', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  const seen: string[] = [];
  reg.on('identity', (e) => seen.push(`${e.change.from?.fingerprint256 ?? 'none'}>${e.change.to?.fingerprint256 ?? 'none'}`));
  await reg.record(ann('ID2'), peer('10.0.0.7', cert('A')));
  t.false(isIdentityPending(reg.get('ID2')!));
  // Same certificate again: nothing.
  const same = await reg.record(ann('ID2'), peer('10.0.0.7', cert('A')));
  t.false(same.identityChanged);
  // A relay carries no certificate of the device: no change.
  await reg.record(ann('ID2', {}, { forwardedBy: [{ listenerId: 'b', peerAddress: '10.0.0.7', receivedAt: new Date().toISOString() }] }), peer('10.0.0.7', undefined, true));
  t.is(reg.get('ID2')!.clientCert?.fingerprint256, 'A:AA:BB');
  // No certificate from another address: a change, pending.
  const r = await reg.record(ann('ID2'), peer('10.0.0.66'));
  t.true(r.identityChanged);
  t.is(r.outcome, 'changed');
  const d = reg.get('ID2')!;
  t.true(isIdentityPending(d));
  t.like(d.identityChange, { fromAddress: '10.0.0.7', toAddress: '10.0.0.66', to: null });
  t.deepEqual(seen, ['A:AA:BB>none']);
  t.is((await reg.history('ID2'))[0].kind, 'identity-changed');
  // Held only when strict.
  t.is(identityHold(d, false), undefined);
  t.regex(identityHold(d, true)!, /approves/);
  // The real printer comes back with its certificate: a change back, and no longer pending.
  await reg.record(ann('ID2'), peer('10.0.0.7', cert('A')));
  t.false(isIdentityPending(reg.get('ID2')!));
  t.deepEqual(seen, ['A:AA:BB>none', 'none>A:AA:BB']);
});

test('approving makes the presented certificate the identity on record', async (t) => {
  const reg = new DeviceRegistry(await Store.open(), () => 50);
  await reg.record(ann('ID3'), peer('10.0.0.8', cert('A')));
  t.is(approveIdentity(reg.get('ID3')!, 'admin', new Date().toISOString()), undefined, 'nothing to approve');
  await reg.record(ann('ID3', { macAddress: '02:00:00:00:00:09' }), peer('10.0.0.8', cert('B'))); // a new formatter, a new certificate
  const next = await reg.apply('ID3', (cur) => { const s = approveIdentity(cur, 'admin', new Date().toISOString())!; return { patch: s.patch, entries: [s.entry] }; });
  t.false(isIdentityPending(next!));
  t.is(next!.trustedCert!.fingerprint256, 'B:AA:BB');
  t.like(next!.identityApproved, { by: 'admin' });
  const h = await reg.history('ID3');
  t.is(h[0].kind, 'identity-approved');
  t.is(h[0].identity!.from!.fingerprint256, 'A:AA:BB');
});

test('a device stored before identities were kept takes what it presented last as the identity on record', async (t) => {
  const store = await Store.open();
  const reg = new DeviceRegistry(store, () => 50);
  await reg.record(ann('ID4'), peer('10.0.0.9', cert('A')));
  const legacy = { ...reg.get('ID4')! };
  delete legacy.trustedCert;
  await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: 'ID4', value: legacy }]);
  const again = new DeviceRegistry(store, () => 50);
  await again.load();
  t.false(isIdentityPending(again.get('ID4')!));
  await again.record(ann('ID4'), peer('10.0.0.9', cert('A')));
  t.is(again.get('ID4')!.trustedCert!.fingerprint256, 'A:AA:BB');
});
