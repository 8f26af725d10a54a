// Our reading of LevelDB's write-ahead log against logs written by the real LevelDB, and the reason we read
// it at all: LevelDB itself drops a torn tail without a word.
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { crc32c, scanLog } from '../../../appliance/src/store/leveldb-log.ts';
import { Store } from '../../../appliance/src/store/store.ts';
import { crashImage, writeAheadLog } from '../../fakes/store-files.ts';

test('crc32c is Castagnoli (RFC 3720 check value)', (t) => {
  t.is(crc32c(Buffer.from('123456789')), 0xe3069283);
});

async function storeWithDevices(n: number, pad = 300) {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-wal-'));
  const store = await Store.open({ dir });
  for (let i = 0; i < n; i++) {
    await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: `SER${String(i).padStart(4, '0')}`, value: { i, pad: 'x'.repeat(pad) } }]);
  }
  const image = crashImage(dir);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return image;
}

test('a whole log written by LevelDB reads clean, batch by batch', async (t) => {
  const dir = await storeWithDevices(40);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const scan = scanLog(readFileSync(writeAheadLog(dir)), '!meta!commitSeq');
  t.deepEqual(scan.problems, []);
  t.is(scan.batches, 40);
});

test('a torn tail: LevelDB drops it silently, the scan names it and its commit number', async (t) => {
  const dir = await storeWithDevices(40);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = writeAheadLog(dir);
  const data = readFileSync(file);
  // Cut inside the last record's payload, past its key, as a write cut off by a power cut.
  writeFileSync(file, data.subarray(0, data.length - 100));
  const scan = scanLog(readFileSync(file), '!meta!commitSeq');
  t.is(scan.problems.length, 1);
  t.is(scan.problems[0].kind, 'torn-tail');
  t.is(scan.problems[0].commitSeq, 40);
  t.deepEqual(scan.problems[0].keys, ['!meta!commitSeq', '!devices!SER0039']);
  // LevelDB opens it as if nothing happened: one device fewer, not a word in its LOG.
  const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
  await db.open();
  const keys = await db.keys({ gte: '!devices!', lt: '!devices!~' }).all();
  await db.close();
  t.is(keys.length, 39);
  t.notRegex(readFileSync(join(dir, 'LOG'), 'utf8'), /corrupt|dropping|error/i);
});

test('a flipped byte is a checksum mismatch naming the batch it hit', async (t) => {
  const dir = await storeWithDevices(40);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = writeAheadLog(dir);
  const data = readFileSync(file);
  data[5000] ^= 0x40;
  writeFileSync(file, data);
  const scan = scanLog(data, '!meta!commitSeq');
  t.is(scan.problems.length, 1);
  t.is(scan.problems[0].kind, 'checksum-mismatch');
  t.true(scan.problems[0].keys.some((k) => k.startsWith('!devices!SER')));
  t.is(scan.batches, 39);
});

test('zeros where records were (a card that lost the pages) are found; so is a torn header', async (t) => {
  const dir = await storeWithDevices(40);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const data = readFileSync(writeAheadLog(dir));
  const zeroed = Buffer.concat([data.subarray(0, 4000), Buffer.alloc(data.length - 4000)]);
  const z = scanLog(zeroed, '!meta!commitSeq');
  t.true(z.problems.some((p) => p.kind === 'zeroed' || p.kind === 'torn-tail'), JSON.stringify(z.problems));
  t.true(z.batches < 40);
  // Find a record start and cut 3 bytes into its header.
  let off = 0;
  for (let i = 0; i < 10; i++) off += 7 + data.readUInt16LE(off + 4);
  const torn = scanLog(data.subarray(0, off + 3), '!meta!commitSeq');
  t.deepEqual(torn.problems.map((p) => p.kind), ['torn-tail']);
  t.is(torn.batches, 10);
});

test('a batch larger than a block (FIRST/MIDDLE/LAST) reads whole, and torn in its middle is one problem', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-wal-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await Store.open({ dir });
  await store.commit(Array.from({ length: 300 }, (_, i) => ({ type: 'put' as const, sublevel: store.sub('devices'), key: `BIG${i}`, value: 'y'.repeat(400) })));
  const image = crashImage(dir);
  t.teardown(() => rmSync(image, { recursive: true, force: true }));
  await store.close();
  const data = readFileSync(writeAheadLog(image));
  t.true(data.length > 3 * 32768);
  t.deepEqual(scanLog(data).problems, []);
  const cut = scanLog(data.subarray(0, 70_000), '!meta!commitSeq');
  t.is(cut.problems.length, 1);
  t.is(cut.problems[0].kind, 'torn-tail');
  t.is(cut.problems[0].commitSeq, 1);
  t.true(cut.problems[0].keys.length > 100);
});
