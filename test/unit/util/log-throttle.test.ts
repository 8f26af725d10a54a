import test from 'ava';
import { Writable } from 'node:stream';
import { ThrottledWarning } from '../../../appliance/src/util/log-throttle.ts';
import { createRootLogger } from '../../../appliance/src/util/log.ts';

function capture() {
  const lines: any[] = [];
  const log = createRootLogger({ level: 'debug', destination: new Writable({ write(c, _e, cb) { lines.push(JSON.parse(String(c))); cb(); } }) });
  return { lines, log, warns: () => lines.filter((l) => l.level === 40) };
}

test('one warn per interval with the details of the first; the rest summarised by reason when the interval ends', async (t) => {
  const { lines, log, warns } = capture();
  let now = 0;
  const w = new ThrottledWarning<'a' | 'b'>(log, 'bad input', 10_000, () => now);
  w.note('a', { peer: 'p1' });
  for (let i = 0; i < 999; i++) w.note(i % 3 ? 'a' : 'b', { peer: `p${i}` });
  t.is(warns().length, 1, 'a flood of 1,000 is one warn line so far');
  t.like(warns()[0], { reason: 'a', peer: 'p1', total: 1, msg: 'bad input' });
  now = 10_001;
  w.note('b', { peer: 'late' });
  t.is(warns().length, 3, 'the next interval: the summary of the held-back ones, then this one');
  t.like(warns()[1], { count: 999, suppressed: { a: 666, b: 333 } });
  t.like(warns()[2], { reason: 'b', peer: 'late', total: 334 });
  t.is(lines.filter((l) => l.level === 20).length, 1001, 'every occurrence at debug');
  t.deepEqual(w.counts(), { a: 667, b: 334 });
});

test('the summary comes by itself when a burst stops (no later occurrence needed)', async (t) => {
  const { log, warns } = capture();
  const w = new ThrottledWarning(log, 'bad input', 30);
  for (let i = 0; i < 5; i++) w.note('x');
  const until = Date.now() + 5000;
  while (warns().length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  t.is(warns().length, 2);
  t.like(warns()[1], { count: 4, suppressed: { x: 4 } });
  w.close();
  t.is(warns().length, 2, 'nothing left to report');
});
