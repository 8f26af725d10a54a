// Store benchmark (issue 12 §5): what the integrity checks cost. (1) Opening a crashed store whose
// write-ahead log is full (LevelDB's 4 MiB write buffer): Store.open (our log read + LOG read + commit mark)
// against a bare `level` open of an identical copy, in the same process. (2) Sequential synced commits, each
// one fsync: Store.commit (commit number + commit mark) against the same group committer over a bare synced batch.
//   npx tsx scripts/bench/store.ts [--devices N] [--commits N]
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Level } from 'level';
import { Store } from '../../appliance/src/store/store.ts';
import { GroupCommitter } from '../../appliance/src/store/group-commit.ts';
import { scanWriteAheadLogs } from '../../appliance/src/store/integrity.ts';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '3500' }, commits: { type: 'string', default: '300' } } });
const DEVICES = Number(values.devices);
const COMMITS = Number(values.commits);
const base = mkdtempSync(join(tmpdir(), 'ioe-bench-store-'));
const device = (i: number) => ({ serialNumber: `BENCH${i}`, model: 'HP LaserJet Enterprise M611dn', pad: 'd'.repeat(1000) });

// (1) A crash image with a full log.
const src = join(base, 'src');
const store = await Store.open({ dir: src });
for (let i = 0; i < DEVICES; i += 50) {
  await store.commit(Array.from({ length: 50 }, (_, k) => ({ type: 'put' as const, sublevel: store.sub('devices'), key: `BENCH${i + k}`, value: device(i + k) })));
}
await new Promise((r) => setTimeout(r, 400));
const images = Array.from({ length: 14 }, (_, i) => { const d = join(base, `img${i}`); cpSync(src, d, { recursive: true }); return d; });
await store.close();
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare: number[] = [], ours: number[] = [];
const openBare = async (dir: string) => { const t = performance.now(); const db = new Level(dir); await db.open(); bare.push(performance.now() - t); await db.close(); };
const openOurs = async (dir: string) => {
  const t = performance.now();
  const s = await Store.open({ dir }); ours.push(performance.now() - t);
  if (!s.integrity.clean) throw new Error('the crash image should open clean');
  await s.close();
};
// Alternating which goes first, so neither always meets a warm or a busy disk.
for (let i = 0; i < 14; i += 2) {
  if (i % 4 === 0) { await openBare(images[i]); await openOurs(images[i + 1]); } else { await openOurs(images[i + 1]); await openBare(images[i]); }
}
const scanMs: number[] = [];
for (let i = 0; i < 5; i++) { const t = performance.now(); scanWriteAheadLogs(src, '!meta!commitSeq'); scanMs.push(performance.now() - t); }
console.log(`open of a crashed store (${DEVICES} devices in the log): bare level ${median(bare).toFixed(1)} ms, Store.open ${median(ours).toFixed(1)} ms, ratio ${(median(ours) / median(bare)).toFixed(2)} (of which reading the log ourselves: ${median(scanMs).toFixed(1)} ms)`);

// (2) Sequential synced commits, alternating rounds (fsync time swings on a shared disk): median rates. The
// baseline is the store's commit path before the integrity work: the same group committer, a bare synced batch.
const a = new Level<string, unknown>(join(base, 'bare'), { valueEncoding: 'json' }); await a.open();
const plain = new GroupCommitter<any>((ops) => a.batch(ops, { sync: true }));
const b = await Store.open({ dir: join(base, 'ours') });
const bareRates: number[] = [], ourRates: number[] = [];
for (let round = 0; round < 7; round++) {
  let t = performance.now();
  for (let i = 0; i < COMMITS; i++) await plain.commit([{ type: 'put', key: `!devices!C${round}-${i}`, value: device(i) }]);
  bareRates.push(COMMITS / (performance.now() - t) * 1000);
  t = performance.now();
  for (let i = 0; i < COMMITS; i++) await b.commit([{ type: 'put', sublevel: b.sub('devices'), key: `C${round}-${i}`, value: device(i) }]);
  ourRates.push(COMMITS / (performance.now() - t) * 1000);
}
const [bm, om] = [median(bareRates), median(ourRates)];
console.log(`sequential synced commits (7 rounds of ${COMMITS}, medians): group committer + bare batch ${bm.toFixed(0)}/s, Store.commit ${om.toFixed(0)}/s, ratio ${(om / bm).toFixed(2)}`);
await a.close(); await b.close();
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
rmSync(base, { recursive: true, force: true });
