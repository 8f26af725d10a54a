import test from 'ava';
import dns2 from 'dns2';
import fc from 'fast-check';
import { walkMessage } from '../../../appliance/src/dns/message-walk.ts';

const { Packet } = dns2;

function encode(name: string, type: number, opt: boolean): Buffer {
  const p = new Packet();
  p.header.id = 7;
  p.questions.push({ name, type, class: 1 } as never);
  if (opt) p.additionals.push(Packet.Resource.EDNS([]) as never);
  return p.toBuffer();
}

const label = fc.stringMatching(/^[a-zA-Z0-9-]{1,20}$/);
const dnsName = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));

test('summarises a dns2-encoded query: name as sent, type, OPT', (t) => {
  const w = walkMessage(encode('HP-Print-Mgmt.corp.example', 28, true));
  if (!w.ok) return t.fail(w.reason);
  t.is(w.summary.question?.name, 'HP-Print-Mgmt.corp.example');
  t.is(w.summary.question?.type, 28);
  t.deepEqual(w.summary.opt, { udpSize: 4096, version: 0, doFlag: false });
  t.false(w.summary.qr);
});

test('every well-formed query dns2 can encode is accepted with the same question', (t) => {
  fc.assert(
    fc.property(dnsName, fc.integer({ min: 1, max: 65535 }), fc.boolean(), (name, type, opt) => {
      const w = walkMessage(encode(name, type === 41 ? 1 : type, opt));
      return w.ok && w.summary.question!.name === name && !!w.summary.opt === opt;
    }),
  );
  t.pass();
});

test('rejects what would make dns2 read past the end or loop', (t) => {
  const q = encode('hp-print-mgmt', 1, false);
  const lying = Buffer.from(q);
  lying.writeUInt16BE(0xffff, 4);
  const cases: Array<[Buffer, string]> = [
    [Buffer.alloc(11), 'short-header'],
    [Buffer.alloc(12, 0xff), 'counts-exceed-length'],
    [lying, 'counts-exceed-length'],
    [Buffer.concat([q, Buffer.from([0])]), 'trailing-bytes'],
    [q.subarray(0, q.length - 1), 'truncated-section'],
  ];
  const forwardPointer = Buffer.from(q);
  forwardPointer[12] = 0xc0;
  forwardPointer[13] = 0x20;
  cases.push([forwardPointer, 'bad-pointer']);
  const badLabel = Buffer.from(q);
  badLabel[12] = 0x45;
  cases.push([badLabel, 'bad-label']);
  const twoOpts = encode('x', 1, true);
  const opt = twoOpts.subarray(twoOpts.length - 11);
  const doubled = Buffer.concat([twoOpts, opt]);
  doubled.writeUInt16BE(2, 10);
  cases.push([doubled, 'bad-opt']);
  const long = Buffer.concat([q.subarray(0, 12), Buffer.from(Array.from({ length: 5 }, () => [63, ...Array(63).fill(97)]).flat()), Buffer.from([0, 0, 1, 0, 1])]);
  cases.push([long, 'name-too-long']);
  for (const [buf, reason] of cases) {
    const w = walkMessage(buf);
    t.deepEqual(w.ok ? 'accepted' : w.reason, reason);
  }
});

test('never throws on arbitrary bytes; what it accepts, dns2 parses quickly into one question', (t) => {
  const template = encode('hp-print-mgmt.corp.example', 1, true);
  const mutated = fc
    .tuple(fc.array(fc.tuple(fc.nat(template.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(template.length))
    .map(([flips, cut]) => {
      const b = Buffer.from(template);
      for (const [i, v] of flips) b[i] = v;
      return b.subarray(0, Math.max(cut, 12));
    });
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 700 }).map((u) => Buffer.from(u)), mutated), (buf) => {
      const w = walkMessage(buf);
      if (!w.ok || w.summary.qdcount !== 1) return true;
      const t0 = performance.now();
      const parsed = Packet.parse(buf);
      return parsed.questions.length === 1 && performance.now() - t0 < 50;
    }),
    { numRuns: 5000 },
  );
  t.pass();
});
