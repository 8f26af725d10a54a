import test from 'ava';
import fc from 'fast-check';
import { FrameDecoder, FrameError, FrameType, encodeFrame, MAX_BODY_BYTES } from '../../../appliance/src/protocol/frame.ts';
import { decodeAnnouncement } from '../../../appliance/src/protocol/messages.ts';
import { sampleAnnouncement, frameBytes } from '../../fakes/hdap-raw-client.ts';

test('encode/decode round trip, even when split at every possible point', (t) => {
  const ann = sampleAnnouncement();
  const bytes = encodeFrame(FrameType.Announcement, ann);
  t.deepEqual(bytes, frameBytes(ann), 'our encoder matches the HDAP.md-only one');
  for (let cut = 0; cut <= bytes.length; cut++) {
    const d = new FrameDecoder();
    const frames = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut))];
    t.is(frames.length, 1);
    t.deepEqual(JSON.parse(frames[0].body.toString()), ann);
  }
});

test('header errors are named', (t) => {
  const code = (b: Buffer) => { try { new FrameDecoder().push(b); return 'none'; } catch (e) { return (e as FrameError).code; } };
  t.is(code(Buffer.from('GET / HTTP/1.1')), 'bad-magic');
  t.is(code(Buffer.from('HX')), 'bad-magic', 'refused after two bytes');
  t.is(code(frameBytes('{}', { version: 9 })), 'unsupported-version');
  t.is(code(frameBytes('{}', { type: 7 })), 'bad-type');
  t.is(code(frameBytes('{}', { length: MAX_BODY_BYTES + 1 })), 'too-large');
  t.is(code(frameBytes('{}', { length: MAX_BODY_BYTES })), 'none', 'exactly 64 KiB is allowed (waits for the body)');
});

test('property: random bytes either decode, wait, or fail with a FrameError — never anything else', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 50 }), (bytes, step) => {
    const d = new FrameDecoder();
    try {
      for (let i = 0; i < bytes.length; i += step) d.push(Buffer.from(bytes.subarray(i, i + step)));
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
    }
    return d.bufferedBytes <= MAX_BODY_BYTES + 10;
  }), { numRuns: 2000 });
  t.pass();
});

test('property: mutated valid frames never crash the decoder or the validator', (t) => {
  const valid = frameBytes(sampleAnnouncement());
  fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (mutations) => {
    const b = Buffer.from(valid);
    for (const [i, v] of mutations) b[i] = v;
    try {
      for (const f of new FrameDecoder().push(b)) {
        const r = decodeAnnouncement(f.body);
        if (!r.ok && !r.detail) return false;
      }
    } catch (e) {
      if (!(e instanceof FrameError)) throw e;
    }
    return true;
  }), { numRuns: 3000 });
  t.pass();
});

test('property: any valid announcement survives encode → arbitrary chunking → decode', (t) => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 128 }).filter((s) => /^[\x20-\x7e]+$/.test(s)), fc.array(fc.nat(40), { maxLength: 10 }), (model, cuts) => {
    const ann = sampleAnnouncement('PROP1', {});
    (ann.device as any).model = model;
    const bytes = encodeFrame(FrameType.Announcement, ann);
    const d = new FrameDecoder();
    const frames = [];
    let pos = 0;
    for (const c of cuts) { frames.push(...d.push(bytes.subarray(pos, pos + c))); pos += c; }
    frames.push(...d.push(bytes.subarray(pos)));
    const r = decodeAnnouncement(frames[0].body);
    return frames.length === 1 && r.ok && r.announcement.device.model === model;
  }), { numRuns: 500 });
  t.pass();
});

test('validation names the failing field', (t) => {
  const bad = (mut: (a: any) => void) => { const a = sampleAnnouncement() as any; mut(a); const r = decodeAnnouncement(Buffer.from(JSON.stringify(a))); return r.ok ? 'ok' : r.detail; };
  t.regex(bad((a) => delete a.device.serialNumber), /^device\.serialNumber/);
  t.regex(bad((a) => (a.device.serialNumber = 'has space')), /^device\.serialNumber: must be 1–32/);
  t.regex(bad((a) => (a.device.macAddress = 'zz')), /^device\.macAddress/);
  t.regex(bad((a) => (a.reason = 'bored')), /^reason/);
  t.regex(bad((a) => (a.messageId = 'nope')), /^messageId: must be a UUID/);
  t.regex(bad((a) => (a.device.hostname = '-bad-')), /^device\.hostname/);
  t.is(bad((a) => (a.futureField = { x: 1 })), 'ok', 'unknown fields are ignored (HDAP.md §4)');
  const r = decodeAnnouncement(Buffer.from('{"a":'));
  t.false(r.ok);
  t.regex((r as any).detail, /^invalid JSON/);
});
