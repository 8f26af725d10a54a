import test from 'ava';
import dns2 from 'dns2';
import { AnswerCache } from '../../../appliance/src/dns/answer-cache.ts';
import { walkMessage, type MessageSummary } from '../../../appliance/src/dns/message-walk.ts';

const { Packet } = dns2;

function summary(buf: Buffer): MessageSummary {
  const w = walkMessage(buf);
  if (!w.ok) throw new Error(w.reason);
  return w.summary;
}

function response(rcode: number, answers: Array<{ ttl: number }>, soa?: { ttl: number; minimum: number }): Buffer {
  const p = new Packet();
  p.header.qr = 1;
  p.header.rcode = rcode;
  p.questions.push({ name: 'www.example', type: 1, class: 1 } as never);
  for (const a of answers) p.answers.push({ name: 'www.example', type: 1, class: 1, ttl: a.ttl, address: '198.51.100.7' } as never);
  if (soa) {
    p.authorities.push({ name: 'example', type: 6, class: 1, ttl: soa.ttl, primary: 'ns.example', admin: 'h.example', serial: 1, refresh: 1, retry: 1, expiration: 1, minimum: soa.minimum } as never);
  }
  return p.toBuffer();
}

test('serves until the shortest TTL expires, aging TTLs and rewriting the id', (t) => {
  let now = 1_000_000;
  const cache = new AnswerCache({ now: () => now });
  const r = response(0, [{ ttl: 30 }, { ttl: 10 }]);
  cache.put('k', r, summary(r));
  now += 4_000;
  const hit = cache.get('k', 0x4242)!;
  const s = summary(hit);
  t.is(s.id, 0x4242);
  t.deepEqual(s.records.map((x) => hit.readUInt32BE(x.ttlOffset)), [26, 6]);
  now += 6_000;
  t.is(cache.get('k', 1), undefined);
});

test('negative answers live for min(SOA TTL, SOA MINIMUM); SERVFAIL, TC and TTL 0 are not cached', (t) => {
  let now = 0;
  const cache = new AnswerCache({ now: () => now });
  const nx = response(3, [], { ttl: 60, minimum: 5 });
  cache.put('nx', nx, summary(nx));
  now += 4_900;
  t.truthy(cache.get('nx', 1));
  now += 200;
  t.is(cache.get('nx', 1), undefined);
  const sf = response(2, [{ ttl: 60 }]);
  cache.put('sf', sf, summary(sf));
  const zero = response(0, [{ ttl: 0 }]);
  cache.put('zero', zero, summary(zero));
  const tc = Buffer.from(response(0, [{ ttl: 60 }]));
  tc[2] |= 0x02;
  cache.put('tc', tc, summary(tc));
  const nodataNoSoa = response(0, []);
  cache.put('nodata', nodataNoSoa, summary(nodataNoSoa));
  t.is(cache.size, 0);
});

test('bounded, evicting the least recently used', (t) => {
  const cache = new AnswerCache({ maxEntries: 3 });
  const r = response(0, [{ ttl: 60 }]);
  for (const k of ['a', 'b', 'c']) cache.put(k, r, summary(r));
  cache.get('a', 1);
  cache.put('d', r, summary(r));
  t.is(cache.size, 3);
  t.truthy(cache.get('a', 1));
  t.is(cache.get('b', 1), undefined);
});
