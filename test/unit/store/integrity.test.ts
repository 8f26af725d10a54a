// Store.open judges what it opened: clean after a crash that tore nothing, damaged (and saying which devices)
// after a torn log, quiet about a write that was never acknowledged, and never clean again until an admin
// acknowledges the damage.
import test from 'ava';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Level } from 'level';
import { Store } from '../../../appliance/src/store/store.ts';
import { StoreOpenError } from '../../../appliance/src/store/errors.ts';
import { crc32c } from '../../../appliance/src/store/leveldb-log.ts';
import { createRootLogger } from '../../../appliance/src/util/log.ts';
import { crashImage, tearLog, writeAheadLog } from '../../fakes/store-files.ts';

function capturingLog() {
  const lines: any[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l)); cb(); } });
  return { lines, log: createRootLogger({ level: 'debug', json: true, destination: sink }) };
}

/** A store with `n` devices, crashed (copied while open, after its commit mark caught up). */
async function crashedStore(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-int-'));
  const store = await Store.open({ dir });
  for (let i = 0; i < n; i++) await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: `DEV${String(i).padStart(3, '0')}`, value: { i, pad: 'p'.repeat(200) } }]);
  await new Promise((r) => setTimeout(r, 400)); // the commit mark is written within ~200 ms of a commit
  const image = crashImage(dir);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return image;
}

test('a crash that tore nothing opens clean', async (t) => {
  const dir = await crashedStore(30);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await Store.open({ dir });
  t.teardown(() => store.close());
  t.true(store.integrity.clean);
  t.deepEqual(store.integrity.findings, []);
  t.is(store.health().status, 'ok');
  t.is((await store.values('devices')).length, 30);
});

test('a torn log is reported at error level with the devices lost, and stays reported across restarts until acknowledged', async (t) => {
  const dir = await crashedStore(30);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  tearLog(writeAheadLog(dir), 0.5);
  const { lines, log } = capturingLog();
  const store = await Store.open({ dir, log });
  const kept = (await store.values<{ i: number }>('devices')).length;
  t.true(kept < 30 && kept > 5, `kept ${kept}`);
  const r = store.integrity;
  t.false(r.clean);
  t.is(r.missingCommits, 30 - kept);
  // Every device that was acknowledged and is gone is named.
  const gone = Array.from({ length: 30 }, (_, i) => `DEV${String(i).padStart(3, '0')}`).slice(kept);
  for (const d of gone) t.true(r.devicesLost.includes(d), `${d} is named as lost`);
  t.true(r.findings.some((f) => f.source === 'write-ahead-log' && f.severity !== 'unacknowledged'));
  t.true(r.findings.some((f) => f.source === 'commit-mark' && f.severity === 'lost'));
  const err = lines.find((l) => l.level === 50 && /store was damaged/.test(l.msg));
  t.truthy(err, 'an error-level line says the store was damaged');
  t.regex(err.msg, /DEV0\d\d/);
  t.is(store.health().status, 'degraded');
  await store.close();

  // LevelDB has replayed (and deleted) the torn log: only our record still knows.
  const again = await Store.open({ dir });
  t.true(again.integrity.clean, 'nothing new is damaged');
  t.is(again.health().status, 'degraded', 'the earlier damage is still unacknowledged');
  t.is((again.status().damage as any).reports[0].missingCommits, 30 - kept);
  t.true(await again.acknowledgeDamage('admin'));
  t.is(again.health().status, 'ok');
  t.false(await again.acknowledgeDamage('admin'));
  await again.close();
  const third = await Store.open({ dir });
  t.is(third.health().status, 'ok');
  t.is((third.status().damage as any).acknowledgedBy, 'admin');
  await third.close();
});

/** A FULL log record holding a batch that puts !meta!commitSeq = seq, cut after `keep` bytes. */
function partialRecord(seq: number, keep: number): Buffer {
  const key = Buffer.from('!meta!commitSeq');
  const val = Buffer.from(String(seq));
  const body = Buffer.concat([Buffer.alloc(12), Buffer.from([1, key.length]), key, Buffer.from([val.length]), val, Buffer.from([1, 5]), Buffer.from('!x!yy'), Buffer.from([50]), Buffer.alloc(50, 0x61)]);
  body.writeUInt32LE(2, 8);
  const head = Buffer.alloc(7);
  head.writeUInt16LE(body.length, 4);
  head[6] = 1;
  const c = crc32c(Buffer.concat([head.subarray(6), body]));
  head.writeUInt32LE(((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0, 0);
  return Buffer.concat([head, body]).subarray(0, keep);
}

test('a write cut off at the crash that was never acknowledged is noted, not called damage', async (t) => {
  const dir = await crashedStore(10);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  appendFileSync(writeAheadLog(dir), partialRecord(11, 40));
  const { lines, log } = capturingLog();
  const store = await Store.open({ dir, log });
  t.teardown(() => store.close());
  t.true(store.integrity.clean);
  t.is(store.integrity.findings.length, 1);
  t.is(store.integrity.findings[0].severity, 'unacknowledged');
  t.is(store.health().status, 'ok');
  t.falsy(lines.find((l) => l.level >= 50));
  t.truthy(lines.find((l) => l.level === 40 && /had not been acknowledged/.test(l.msg)));
});

test('the same cut-off write numbered as acknowledged is a loss', async (t) => {
  const dir = await crashedStore(10);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // The mark says 11 commits were durable; the 11th is torn in the log.
  const markFile = join(dir, 'instant-on-commits.json');
  const mark = JSON.parse(readFileSync(markFile, 'utf8'));
  writeFileSync(markFile, JSON.stringify({ ...mark, commitSeq: 11, recent: [...mark.recent, { seq: 11, named: { devices: ['LATE1'] }, counts: {} }] }));
  appendFileSync(writeAheadLog(dir), partialRecord(11, 40));
  const store = await Store.open({ dir });
  t.teardown(() => store.close());
  t.false(store.integrity.clean);
  t.is(store.integrity.missingCommits, 1);
  t.deepEqual(store.integrity.devicesLost, ['LATE1']);
});

test('damage LevelDB reports itself (a checksum mismatch mid-log) is reported too', async (t) => {
  const dir = await crashedStore(30);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = writeAheadLog(dir);
  const data = readFileSync(file);
  data[3000] ^= 0xff;
  writeFileSync(file, data);
  const store = await Store.open({ dir });
  t.teardown(() => store.close());
  t.false(store.integrity.clean);
  t.true(store.integrity.findings.some((f) => f.source === 'leveldb' && /dropping \d+ bytes/.test(f.detail)), JSON.stringify(store.integrity.findings));
  t.true(store.integrity.findings.some((f) => f.source === 'write-ahead-log' && /checksum/.test(f.detail)));
  t.true(store.integrity.devicesLost.length >= 1);
});

test('a store that cannot open says why, not "Database failed to open"', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-lock-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const holder = new Level(dir);
  await holder.open();
  t.teardown(() => holder.close());
  const err = await t.throwsAsync(Store.open({ dir }), { instanceOf: StoreOpenError });
  t.regex(err!.message, /could not be opened: .*lock/i);
  t.regex(err!.message, /another instant-on-edge process/);
  t.notRegex(err!.message, /^Database failed to open$/);

  const broken = mkdtempSync(join(tmpdir(), 'ioe-broken-'));
  t.teardown(() => rmSync(broken, { recursive: true, force: true }));
  const s = await Store.open({ dir: broken });
  await s.close();
  writeFileSync(join(broken, 'CURRENT'), 'MANIFEST-999999\n');
  const err2 = await t.throwsAsync(Store.open({ dir: broken }), { instanceOf: StoreOpenError });
  t.regex(err2!.message, /MANIFEST-999999|No such file|Corruption/i);
});
