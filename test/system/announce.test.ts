// The announcement path end to end against a real listener: HDAP.md-only client, openssl s_client, and the
// malformed inputs of issue 2. The listener must keep serving after each bad one.
import test from 'ava';
import { spawn } from 'node:child_process';
import tls from 'node:tls';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';

test('an announcement from an HDAP.md-only client is accepted with its messageId and listed once', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;
  const ann = sampleAnnouncement('CNB1K23456');
  const r = await sendRaw(port, frameBytes(ann));
  t.is(r.acks.length, 1);
  t.like(r.acks[0], { type: 2, messageId: ann.messageId, status: 'accepted', reason: 'ok', authMethod: 'anonymous' });
  t.true(r.closed, 'server closes after the one Acknowledge');
  // Same device again (a power cycle): still one device.
  await sendRaw(port, frameBytes(sampleAnnouncement('CNB1K23456', { reason: 'power-cycle' })));
  const token = await login(h.appliance.webPort);
  const list = await api(h.appliance.webPort, 'GET', '/api/v1/devices', { token });
  t.is(list.status, 200);
  t.is(list.body.devices.filter((d: any) => d.serialNumber === 'CNB1K23456').length, 1);
  const one = await api(h.appliance.webPort, 'GET', '/api/v1/devices/CNB1K23456', { token });
  t.like(one.body, { serialNumber: 'CNB1K23456', discoveredBy: 'instant-on', lastReason: 'power-cycle', announceCount: 2, peerAddress: '127.0.0.1' });
});

test('openssl s_client (a real TLS client) delivers a frame and gets accepted', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const ann = sampleAnnouncement('OPENSSL001');
  const out = await new Promise<Buffer>((resolve, reject) => {
    const p = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${h.appliance.announcePort}`, '-quiet', '-no_ign_eof'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (c) => chunks.push(c));
    p.on('error', reject);
    p.on('close', () => resolve(Buffer.concat(chunks)));
    p.stdin.write(frameBytes(ann));
    setTimeout(() => p.kill(), 8000).unref();
  });
  const start = out.indexOf('HDAP');
  t.true(start >= 0, `got an HDAP frame back: ${out.toString('latin1').slice(0, 200)}`);
  const body = JSON.parse(out.subarray(start + 10, start + 10 + out.readUInt32BE(start + 6)).toString());
  t.like(body, { messageId: ann.messageId, status: 'accepted' });
  t.truthy(h.appliance.registry.get('OPENSSL001'));
});

test('malformed input is refused with the named reason, and the listener keeps serving', async (t) => {
  const h = await startTestAppliance({ cli: { frameTimeoutMs: 600 } });
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;

  const garbage = await sendRaw(port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  t.true(garbage.closed);
  t.is(garbage.acks.length, 0, 'non-HDAP bytes are closed without an answer');

  const huge = await sendRaw(port, frameBytes('{}', { length: 65_537 }));
  t.true(huge.closed);
  t.is(huge.acks.length, 0, 'a length over 64 KiB is closed without an answer');

  const badJson = await sendRaw(port, frameBytes('{"messageId": nope'));
  t.like(badJson.acks[0], { status: 'rejected', reason: 'malformed' });

  const noSerial = sampleAnnouncement('X') as any;
  delete noSerial.device.serialNumber;
  const missing = await sendRaw(port, frameBytes(noSerial));
  t.like(missing.acks[0], { status: 'rejected', reason: 'malformed', messageId: noSerial.messageId });

  const v2 = await sendRaw(port, frameBytes(sampleAnnouncement('V2'), { version: 2 }));
  t.like(v2.acks[0], { status: 'rejected', reason: 'unsupported-version' });

  const started = Date.now();
  const stalled = await sendRaw(port, frameBytes(sampleAnnouncement('STALL')).subarray(0, 20), { timeoutMs: 5000 });
  t.true(stalled.closed, 'a stalled client is closed');
  t.true(Date.now() - started < 3000, 'within the frame time limit');
  t.is(stalled.acks.length, 0);

  const stats = h.appliance.listener.stats();
  t.true((stats.rejected['bad-magic'] ?? 0) >= 1);
  t.true((stats.rejected['too-large'] ?? 0) >= 1);
  t.true((stats.rejected.malformed ?? 0) >= 2);
  t.true((stats.closed.stalled ?? 0) >= 1);

  const ok = await sendRaw(port, frameBytes(sampleAnnouncement('STILLOK01')));
  t.like(ok.acks[0], { status: 'accepted' }, 'still serving after the bad input');
  t.is(h.appliance.registry.size, 1, 'nothing but the good device was stored');
});

test('a frame split into single bytes is still one announcement', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const ann = sampleAnnouncement('SPLIT0001');
  const bytes = frameBytes(ann);
  const r = await new Promise<any>((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: h.appliance.announcePort, rejectUnauthorized: false }, async () => {
      for (const b of bytes) { s.write(Buffer.from([b])); await new Promise((r) => setImmediate(r)); }
    });
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    s.on('close', () => { const buf = Buffer.concat(chunks); resolve(JSON.parse(buf.subarray(10).toString())); });
  });
  t.like(r, { messageId: ann.messageId, status: 'accepted' });
});

test('acceptAnnouncements off answers rejected/discovery-disabled and stores nothing', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_ACCEPT_ANNOUNCEMENTS: 'false' } });
  t.teardown(() => h.stop());
  const r = await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('OFF000001')));
  t.like(r.acks[0], { status: 'rejected', reason: 'discovery-disabled' });
  t.is(h.appliance.registry.size, 0);
});

test('relays: loops and unknown relaying peers are refused by name', async (t) => {
  const h = await startTestAppliance({ cli: { relayPeers: ['127.0.0.1'], listenerId: 'branch-a' } });
  t.teardown(() => h.stop());
  const hop = (id: string) => ({ listenerId: id, peerAddress: '10.0.0.9', receivedAt: new Date().toISOString() });
  const loop = await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('LOOP00001', { forwardedBy: [hop('hub'), hop('branch-a')] })));
  t.like(loop.acks[0], { status: 'rejected', reason: 'loop-detected' });
  const long = await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('LOOP00002', { forwardedBy: Array.from({ length: 9 }, (_, i) => hop(`l${i}`)) })));
  t.like(long.acks[0], { status: 'rejected', reason: 'loop-detected' });
  // Several relayed announcements on one connection are each answered, in order.
  const anns = [1, 2, 3].map((i) => sampleAnnouncement(`RELAY0000${i}`, { forwardedBy: [hop('other-branch')] }));
  const many = await sendRaw(h.appliance.announcePort, anns.map((a) => frameBytes(a)), { timeoutMs: 2000 });
  t.deepEqual(many.acks.map((a) => a.messageId), anns.map((a) => a.messageId));
  t.true(many.acks.every((a) => a.status === 'accepted'));
  t.is(h.appliance.registry.get('RELAY00001')?.peerAddress, '10.0.0.9', 'a relayed device keeps its own address');
});

test('capture mode records what a non-HDAP client sends, bounded, and the listener keeps serving', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_CAPTURE: 'true', INSTANT_ON_CAPTURE_MAX_RECORDS: '2' } });
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;
  for (const text of ['VNDR\x01\x02first vendor frame', 'VNDR second', 'VNDR third']) {
    const r = await sendRaw(port, Buffer.from(text), { timeoutMs: 400 });
    await new Promise((res) => setTimeout(res, 50));
    t.is(r.acks.length, 0);
  }
  const big = await sendRaw(port, Buffer.alloc(10_000, 0x41), { timeoutMs: 3000 });
  t.true(big.closed);
  const token = await login(h.appliance.webPort);
  const caps = (await api(h.appliance.webPort, 'GET', '/api/v1/captures', { token })).body;
  t.true(caps.enabled);
  t.is(caps.captures.length, 2, 'bounded to captureMaxRecords');
  t.is(caps.captures[0].bytes, 4096, 'at most 4 KiB per record');
  t.is(Buffer.from(caps.captures[1].dataBase64, 'base64').toString(), 'VNDR third');
  t.regex(caps.captures[0].tlsVersion, /^TLSv1\.[23]$/);
  t.like((await sendRaw(port, frameBytes(sampleAnnouncement('AFTERCAP1')))).acks[0], { status: 'accepted' });
});

test('a burst beyond the handshake cap waits its turn instead of being refused; a full line is refused', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_MAX_HANDSHAKES: '2', INSTANT_ON_MAX_CONN_PER_SOURCE: '1000' } });
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => sendRaw(port, frameBytes(sampleAnnouncement(`BURST${String(i).padStart(4, '0')}`)), { timeoutMs: 15_000 })));
  t.true(results.every((r) => r.acks[0]?.status === 'accepted'), 'every printer of the burst was answered');
  const limits = h.appliance.listener.stats().limits;
  t.true(limits.queuedTotal > 0, `some waited for a slot (${limits.queuedTotal})`);
  t.deepEqual(limits.rejected, { perSource: 0, queueFull: 0, waitedTooLong: 0 });
  t.is(h.appliance.registry.size, 40);

  const tight = await startTestAppliance({ env: { INSTANT_ON_MAX_HANDSHAKES: '1', INSTANT_ON_MAX_WAITING: '2', INSTANT_ON_MAX_CONN_PER_SOURCE: '1000' } });
  t.teardown(() => tight.stop());
  const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => sendRaw(tight.appliance.announcePort, frameBytes(sampleAnnouncement(`TIGHT${String(i).padStart(4, '0')}`)), { timeoutMs: 15_000 })));
  const refused = burst.filter((r) => r.acks.length === 0).length;
  t.true(refused > 0, 'beyond the waiting line connections are refused');
  t.is(tight.appliance.listener.stats().limits.rejected.queueFull, refused);
  t.is(tight.appliance.registry.size, 20 - refused, 'and the rest were all stored');
});

test('a client that tries to resume its TLS session gets a full handshake (whole chain presented) and is answered', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.announcePort;
  const once = (session?: Buffer) => new Promise<{ session?: Buffer; reused: boolean; ack: any }>((resolve, reject) => {
    const ann = sampleAnnouncement(`RESUME${session ? 2 : 1}`);
    let saved: Buffer | undefined;
    let reused = false;
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, session }, () => { reused = s.isSessionReused(); s.write(frameBytes(ann)); });
    s.on('session', (sess) => { saved = sess; });
    const chunks: Buffer[] = [];
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('close', () => {
      const buf = Buffer.concat(chunks);
      resolve({ session: saved, reused, ack: buf.length > 10 ? JSON.parse(buf.subarray(10).toString()) : null });
    });
  });
  const first = await once();
  t.like(first.ack, { status: 'accepted' });
  t.truthy(first.session, 'the client kept a session to resume');
  // Before the TLS profile, a resumption attempt on 3329 was aborted by the server with an internal_error alert.
  const second = await once(first.session);
  t.false(second.reused, 'no resumed session on 3329');
  t.like(second.ack, { status: 'accepted' });
});
