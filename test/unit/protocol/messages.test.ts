// Issue 12 item 9: no string of an announcement may carry control, bidirectional-override or invisible
// characters; the refusal names the field and the character. And the one Acknowledge decoder of protocol/.
import test from 'ava';
import { decodeAcknowledge, decodeAnnouncement, unsafeCharacter } from '../../../appliance/src/protocol/messages.ts';
import { hdapCodec } from '../../../appliance/src/protocol/codec.ts';
import { FrameType } from '../../../appliance/src/protocol/frame.ts';
import { sampleAnnouncement } from '../../fakes/hdap-raw-client.ts';

const hop = () => ({ listenerId: 'branch-7', peerAddress: '10.0.0.9', receivedAt: new Date().toISOString() });

/** Every string field of an announcement, as a path and a way to put a value there. */
const FIELDS: Array<[string, (a: any, v: string) => void]> = [
  ['messageId', (a, v) => { a.messageId = v; }],
  ['sentAt', (a, v) => { a.sentAt = v; }],
  ['reason', (a, v) => { a.reason = v; }],
  ['device.serialNumber', (a, v) => { a.device.serialNumber = v; }],
  ['device.macAddress', (a, v) => { a.device.macAddress = v; }],
  ['device.model', (a, v) => { a.device.model = v; }],
  ['device.ipv4', (a, v) => { a.device.ipv4 = v; }],
  ['device.ipv6.0', (a, v) => { a.device.ipv6 = [v]; }],
  ['device.hostname', (a, v) => { a.device.hostname = v; }],
  ['device.firmware', (a, v) => { a.device.firmware = v; }],
  ['device.authMode', (a, v) => { a.device.authMode = v; }],
  ['forwardedBy.0.listenerId', (a, v) => { a.forwardedBy = [{ ...hop(), listenerId: v }]; }],
  ['forwardedBy.0.peerAddress', (a, v) => { a.forwardedBy = [{ ...hop(), peerAddress: v }]; }],
  ['forwardedBy.0.receivedAt', (a, v) => { a.forwardedBy = [{ ...hop(), receivedAt: v }]; }],
];

/** A valid value of each field, so that the only thing wrong is the character put into it. */
function valid(path: string, a: any): string {
  const ann = { ...a, device: { ...a.device, ipv6: ['2001:db8::40'] }, forwardedBy: [hop()] };
  return String(path.split('.').reduce((o: any, k) => o[k], ann));
}

const UNSAFE = ['\u0000', '\u0007', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u009b', '\u061c', '\u200b', '\u200e', '\u200f',
  '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff', '\ud800'];

test('every string field refuses every control and bidirectional character, naming the field and the character', (t) => {
  for (const [path, set] of FIELDS) {
    for (const ch of UNSAFE) {
      const ann: any = sampleAnnouncement('CNB1K23456');
      const good = valid(path, ann);
      // In the middle, at the start and at the end: a regex anchored on one end must not let it through.
      for (const value of [good.slice(0, 2) + ch + good.slice(2), ch + good, good + ch]) {
        set(ann, value);
        const r = decodeAnnouncement(Buffer.from(JSON.stringify(ann)));
        const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        if (r.ok || !r.detail.startsWith(`${path}: `) || !r.detail.includes(`U+${code}`)) {
          return t.fail(`${path} with U+${code} at ${JSON.stringify(value)}: ${JSON.stringify(r)}`);
        }
      }
    }
  }
  t.pass();
});

test('ordinary text is still accepted: accents, CJK, emoji (a well-formed surrogate pair)', (t) => {
  const ann: any = sampleAnnouncement('CNB1K23456');
  ann.device.model = 'HP Color LaserJet Pro – Müller 多功能 🖨';
  ann.device.firmware = '2505252_000112 (β)';
  const r = decodeAnnouncement(Buffer.from(JSON.stringify(ann)));
  t.true(r.ok, JSON.stringify(r));
  t.is(unsafeCharacter('plain'), null);
});

test('the malformed detail never carries the offending bytes back out', (t) => {
  const r = decodeAnnouncement(Buffer.from('{"messageId": "x\u001b[2J\u202e'));
  t.false(r.ok);
  if (!r.ok) {
    t.is(unsafeCharacter(r.detail), null, r.detail);
    t.true(r.detail.length <= 256);
  }
  const id = decodeAnnouncement(Buffer.from(JSON.stringify({ messageId: 'a\u202eb', sentAt: 'x' })));
  t.false(id.ok);
  if (!id.ok) t.is(id.messageId, undefined, 'an unsafe messageId is not echoed');
});

test('decodeAcknowledge: valid, invalid JSON, missing field, wrong frame type', (t) => {
  const ack = { messageId: 'm', status: 'rejected', reason: 'malformed', authMethod: 'anonymous', retryAfterSeconds: 0, detail: 'device.model: bad' };
  t.deepEqual(decodeAcknowledge(Buffer.from(JSON.stringify(ack))), { ok: true, ack });
  t.like(decodeAcknowledge(Buffer.from('{')), { ok: false });
  const missing = decodeAcknowledge(Buffer.from(JSON.stringify({ ...ack, status: undefined })));
  t.false(missing.ok);
  if (!missing.ok) t.regex(missing.detail, /^invalid Acknowledge: status: /);
  const frame = { version: 1, type: FrameType.Announcement, body: Buffer.from(JSON.stringify(ack)) };
  t.deepEqual(hdapCodec.decodeAcknowledge(frame), { ok: false, detail: 'unexpected frame type 1' });
  t.like(hdapCodec.decodeAcknowledge({ ...frame, type: FrameType.Acknowledge }), { ok: true, ack: { detail: 'device.model: bad' } });
});
