// Issue 8: at-least-once relays repeat messages. A relayed announcement whose messageId was stored before
// is acknowledged `accepted` again and creates nothing: no second history entry, no second task — even when
// another announcement for the same device came in between (the registry's lastMessageId alone would miss it).
import test from 'ava';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';

const hop = (peerAddress: string) => ({ forwardedBy: [{ listenerId: 'branch-7', peerAddress, receivedAt: new Date().toISOString() }] });

test('a repeated relay (same messageId) is acknowledged again and recorded once; relays only from relayPeers', async (t) => {
  const h = await startTestAppliance({ cli: { relayPeers: ['127.0.0.2'], listenerId: 'central' } });
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;
  const m1 = sampleAnnouncement('DEDUP1', hop('10.1.2.3'));
  const m2 = sampleAnnouncement('DEDUP1', { ...hop('10.1.2.3'), reason: 'power-cycle' });
  // One relay connection, several frames, acked in order (HDAP.md §3): m1, m2, m1 again, m2 again.
  const r = await sendRaw(port, [m1, m2, m1, m2].map((m) => frameBytes(m)), { localAddress: '127.0.0.2', timeoutMs: 1500 });
  t.deepEqual(r.acks.map((a) => [a.messageId, a.status]), [[m1.messageId, 'accepted'], [m2.messageId, 'accepted'], [m1.messageId, 'accepted'], [m2.messageId, 'accepted']]);
  // Later, on another connection (the branch restarted and resent its outbox).
  const again = await sendRaw(port, frameBytes(m1), { localAddress: '127.0.0.2', timeoutMs: 1500 });
  t.is(again.acks[0].status, 'accepted');

  const d = h.appliance.registry.get('DEDUP1')!;
  t.is(d.announceCount, 2, 'two distinct messages, recorded once each');
  t.is(d.peerAddress, '10.1.2.3', 'a relayed device keeps the address it announced from');
  const token = await login(h.appliance.webPort);
  const detail = (await api(h.appliance.webPort, 'GET', '/api/v1/devices/DEDUP1', { token })).body;
  t.is(detail.history.filter((e: any) => e.kind === 'announcement' || e.kind === 'discovered').length, 2);
  t.true(h.appliance.forwarder!.stats().duplicatesIgnored >= 2);

  // The same relay from an address that is not a configured primary listener is refused.
  const stranger = await sendRaw(port, frameBytes(sampleAnnouncement('DEDUP2', hop('10.1.2.4'))), { localAddress: '127.0.0.3' });
  t.like(stranger.acks[0], { status: 'rejected', reason: 'auth-failed' });
  t.falsy(h.appliance.registry.get('DEDUP2'));
});
