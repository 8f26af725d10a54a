// The HDAP/1 session logic over in-memory duplex pairs (no TLS, no ports): framing at every split point,
// pipelined frames, the frame deadline, oversize and bad headers, capture mode, handler failures, and the
// throttled warnings a flood of bad frames produces.
import test from 'ava';
import { duplexPair, Writable, type Duplex } from 'node:stream';
import { handle, newSessionCounters, type AnnouncementHandler, type PeerContext, type RefusalKind, type SessionDeps } from '../../../appliance/src/announce/connection.ts';
import { hdapCodec } from '../../../appliance/src/protocol/codec.ts';
import type { Acknowledge } from '../../../appliance/src/protocol/messages.ts';
import { ThrottledWarning } from '../../../appliance/src/util/log-throttle.ts';
import { createRootLogger, silentLogger } from '../../../appliance/src/util/log.ts';
import { frameBytes, sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

const PEER: PeerContext = { address: '192.0.2.10', port: 40000, tlsVersion: 'TLSv1.3', certChain: [] };

const accept: AnnouncementHandler = async (ann) => ({ messageId: ann.messageId, status: 'accepted', reason: 'ok', authMethod: 'anonymous', retryAfterSeconds: 0 });

function deps(over: Partial<SessionDeps> = {}): SessionDeps {
  const log = over.log ?? silentLogger();
  return {
    codec: hdapCodec, handler: accept, log, counters: newSessionCounters(),
    refusals: new ThrottledWarning<RefusalKind>(log, 'rejected announcement input'),
    frameTimeoutMs: () => 5_000, capture: () => null, inFlight: new Set(), ...over,
  };
}

interface Outcome { acks: Acknowledge[]; ended: 'end' | 'destroyed'; server: Duplex }

/** Starts a session on one side of a pair, writes `chunks` from the other (never ending it: closing is the
 *  session's decision), and collects what comes back until the session ends. */
function session(d: SessionDeps, chunks: Buffer[]): Promise<Outcome> {
  const [client, server] = duplexPair();
  handle(server, PEER, d);
  const decoder = hdapCodec.createDecoder();
  const acks: Acknowledge[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the session neither answered nor closed within 5 s')), 5_000);
    client.on('data', (c: Buffer) => {
      for (const f of decoder.push(c)) {
        const r = hdapCodec.decodeAcknowledge(f);
        if (!r.ok) return reject(new Error(r.detail));
        acks.push(r.ack);
      }
    });
    // A graceful end reaches the client as 'end'; a destroy leaves the server destroyed without writing its end.
    client.on('end', () => { clearTimeout(timer); resolve({ acks, ended: server.destroyed && !server.writableFinished ? 'destroyed' : 'end', server }); });
    void (async () => {
      for (const c of chunks) {
        client.write(c);
        await new Promise((r) => setImmediate(r));
      }
    })();
  });
}

test('a frame split at every byte boundary is one announcement, answered once, then the session ends', async (t) => {
  const ann = sampleAnnouncement('SPLIT0001');
  const bytes = frameBytes(ann);
  for (let cut = 1; cut < bytes.length; cut++) {
    const d = deps();
    const r = await session(d, [bytes.subarray(0, cut), bytes.subarray(cut)]);
    if (r.acks.length !== 1 || r.acks[0].messageId !== ann.messageId || r.ended !== 'end') return t.fail(`cut at ${cut}: ${JSON.stringify(r.acks)} ${r.ended}`);
  }
  const d = deps();
  const single = await session(d, [...bytes].map((b) => Buffer.from([b])));
  t.like(single.acks, [{ messageId: ann.messageId, status: 'accepted' }]);
  t.like(d.counters, { connections: 1, announcements: 1, accepted: 1, closed: { done: 1 } });
});

test('two relayed frames in one chunk are both answered, in order; a device\'s second frame is not read', async (t) => {
  const hop = { listenerId: 'branch-7', peerAddress: '10.0.0.9', receivedAt: new Date().toISOString() };
  const a = sampleAnnouncement('RELAY0001', { forwardedBy: [hop] });
  const b = sampleAnnouncement('RELAY0002', { forwardedBy: [hop] });
  const seen: string[] = [];
  const d = deps({ handler: async (ann, peer) => { seen.push(ann.device.serialNumber); return accept(ann, peer); }, frameTimeoutMs: () => 200 });
  const relay = await session(d, [Buffer.concat([frameBytes(a), frameBytes(b)])]);
  t.deepEqual(relay.acks.map((x) => x.messageId), [a.messageId, b.messageId]);
  t.deepEqual(seen, ['RELAY0001', 'RELAY0002']);
  t.is(d.counters.closed.idle, 1, 'the relay connection stays open for more until the idle deadline');

  // HDAP.md §3: a device sends exactly one announcement; the server answers one and closes.
  const dev = deps();
  const one = await session(dev, [Buffer.concat([frameBytes(sampleAnnouncement('DEV000001')), frameBytes(sampleAnnouncement('DEV000002'))])]);
  t.is(one.acks.length, 1);
  t.is(dev.counters.announcements, 1);
});

test('no whole frame within the deadline: closed without an answer, counted as stalled', async (t) => {
  const d = deps({ frameTimeoutMs: () => 50 });
  const r = await session(d, [frameBytes(sampleAnnouncement('STALL0001')).subarray(0, 20)]);
  t.deepEqual(r.acks, []);
  t.is(r.ended, 'destroyed');
  t.like(d.counters, { announcements: 0, closed: { stalled: 1 } });
  // The deadline is for a whole frame: a trickle that never completes one is closed just the same.
  const trickle = deps({ frameTimeoutMs: () => 80 });
  const bytes = frameBytes(sampleAnnouncement('TRICKLE01')).subarray(0, 60);
  const slow = await session(trickle, [...bytes].map((b) => Buffer.from([b])));
  t.deepEqual(slow.acks, []);
  t.is(trickle.counters.closed.stalled, 1);
});

test('oversize, bad magic, bad type: closed without an answer; an unknown version gets unsupported-version', async (t) => {
  const cases = [
    { bytes: frameBytes('{}', { length: 65_537 }), code: 'too-large' },
    { bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), code: 'bad-magic' },
    { bytes: frameBytes('{}', { type: 9 }), code: 'bad-type' },
  ];
  for (const c of cases) {
    const d = deps();
    const r = await session(d, [c.bytes]);
    t.deepEqual(r.acks, [], c.code);
    t.is(r.ended, 'destroyed', c.code);
    t.is(d.counters.rejected[c.code], 1, c.code);
  }
  const d = deps();
  const v2 = await session(d, [frameBytes(sampleAnnouncement('V2'), { version: 2 })]);
  t.like(v2.acks, [{ status: 'rejected', reason: 'unsupported-version' }]);
  t.is(v2.ended, 'end');
});

test('a malformed body is answered malformed with the field named; a failing handler answers busy', async (t) => {
  const bad = sampleAnnouncement('BIDI00001') as any;
  bad.device.model = 'HP LaserJet \u202eM480';
  const d = deps();
  const r = await session(d, [frameBytes(bad)]);
  t.like(r.acks, [{ messageId: bad.messageId, status: 'rejected', reason: 'malformed' }]);
  t.regex(r.acks[0].detail ?? '', /^device\.model: .*U\+202E/);
  t.is(d.counters.rejected.malformed, 1);

  const failing = deps({ handler: async () => { throw new Error('store is on fire'); } });
  const busy = await session(failing, [frameBytes(sampleAnnouncement('BUSY00001'))]);
  t.like(busy.acks, [{ status: 'rejected', reason: 'busy', retryAfterSeconds: 60 }]);
  t.is(failing.inFlight.size, 0, 'nothing left in flight');
});

test('capture mode takes the first 4 KiB of a non-HDAP stream instead of refusing it', async (t) => {
  const saved: Buffer[] = [];
  const d = deps({ capture: () => (data) => saved.push(data) });
  const r = await session(d, [Buffer.from('VNDR'), Buffer.alloc(5000, 0x41)]);
  t.deepEqual(r.acks, []);
  t.is(saved.length, 1);
  t.is(saved[0].length, 4096);
  t.is(saved[0].subarray(0, 4).toString(), 'VNDR');
  t.is(d.counters.closed.captured, 1);
});

test('a flood of bad frames is logged at warn once per interval, with counts, and each at debug', async (t) => {
  const lines: any[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(JSON.parse(String(chunk))); cb(); } });
  const log = createRootLogger({ level: 'debug', destination: sink });
  const d = deps({ log, refusals: new ThrottledWarning<RefusalKind>(log, 'rejected announcement input', 60_000) });
  for (let i = 0; i < 50; i++) await session(d, [frameBytes('{"messageId": nope')]);
  for (let i = 0; i < 30; i++) await session(d, [frameBytes('{}', { length: 1 << 20 })]);
  d.refusals.close();
  await new Promise((r) => setImmediate(r));
  const warns = lines.filter((l) => l.level === 40);
  const debugs = lines.filter((l) => l.level === 20 && l.msg === 'rejected announcement input');
  t.is(debugs.length, 80, 'every refusal at debug');
  t.is(warns.length, 2, 'one warn for the first, one summary for the rest');
  t.like(warns[0], { reason: 'malformed', peer: PEER.address });
  t.like(warns[1], { suppressed: { malformed: 49, frame: 30 }, count: 79, totals: { malformed: 50, frame: 30 } });
});
