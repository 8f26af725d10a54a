// Hostile and careless archives against the restore's checks (review of issue 16 §5): a gzip bomb, key
// derivation parameters that ask for gigabytes, an archive that leaves sections out (a half restore), a
// device record planting control characters — and secret settings, sealed under the archive's data-folder
// key, arriving sealed under this appliance's key. The attacker here knows the passphrase (it made the archive).
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { Store } from '../../../appliance/src/store/store.ts';
import { secretBox } from '../../../appliance/src/snmp/secret-box.ts';
import { createSelfSignedIdentity } from '../../../appliance/src/pki/identity.ts';
import { createBackup, planRestore, RestoreError } from '../../../appliance/src/backup/index.ts';
import { packArchive, unpackArchive, ArchiveError } from '../../../appliance/src/backup/archive.ts';
import { deriveKey, encrypt, KDF } from '../../../appliance/src/backup/crypt.ts';
import { CHECK_NAME, FORMAT, MANIFEST, sectionFile, type Manifest } from '../../../appliance/src/backup/format.ts';
import { toStored } from '../../../appliance/src/config/stored-settings.ts';

const PASS = 'a hostile but long passphrase';
const identity = createSelfSignedIdentity();

async function source(setup?: (store: Store, key: Buffer) => Promise<void>) {
  const store = await Store.open();
  const key = randomBytes(32);
  await setup?.(store, key);
  return { store, key, make: async (devices = false) => (await createBackup({ store, identity: () => identity, secretKey: key, appVersion: 'test', listenerId: () => 'src' }, { passphrase: PASS, devices })).archive };
}

async function target() {
  const store = await Store.open();
  const key = randomBytes(32);
  return { store, key, box: secretBox(key), appVersion: 'test' };
}

/** Re-packs an archive after `edit` changed its manifest and files; the key check is sealed again (we know the passphrase). */
async function craft(archive: Buffer, edit: (m: Manifest, files: Map<string, Buffer>, key: Buffer) => void | Promise<void>): Promise<Buffer> {
  const files = await unpackArchive(archive);
  const m = JSON.parse(files.get(MANIFEST)!.toString()) as Manifest;
  const key = await deriveKey(PASS, m.kdf);
  await edit(m, files, key);
  const chk = encrypt(key, `${FORMAT}/${m.formatVersion}/${CHECK_NAME}`, Buffer.from(JSON.stringify({ format: FORMAT, sections: m.sections.map((s) => ({ name: s.name, entries: s.entries })) })));
  m.check = { ...chk.sealed, data: chk.data.toString('base64') };
  files.set(MANIFEST, Buffer.from(JSON.stringify(m)));
  return packArchive([...files].map(([name, data]) => ({ name, data })));
}

async function refusal(p: Promise<unknown>): Promise<RestoreError> {
  const err = await p.then(() => undefined, (e) => e);
  if (!(err instanceof RestoreError)) throw new Error(`expected a RestoreError, got ${err}`);
  return err;
}

test('a gzip bomb is refused while it unpacks, long before it fills memory', async (t) => {
  // 96 MiB of zeros as a section: under the 128 MiB per-file limit; gzip makes it ~100 KB.
  const bomb = await packArchive([{ name: MANIFEST, data: Buffer.from('{}') }, { name: sectionFile('settings'), data: Buffer.alloc(96 * 2 ** 20) }]);
  t.true(bomb.length < 1024 * 1024, `${bomb.length} bytes`);
  const before = process.memoryUsage().arrayBuffers;
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().arrayBuffers); }, 5);
  const err = await unpackArchive(bomb).then(() => undefined, (e) => e);
  clearInterval(sampler);
  t.true(err instanceof ArchiveError && err.code === 'too-large', String(err));
  t.regex(err.message, /do not compress/);
  t.true(peak - before < 16 * 2 ** 20, `buffers grew ${((peak - before) / 2 ** 20).toFixed(1)} MiB`);
  const t2 = await target();
  t.is((await refusal(planRestore(bomb, PASS, t2))).code, 'too-large');
  // A real archive (ciphertext does not compress) still unpacks.
  const src = await source();
  t.true((await unpackArchive(await src.make())).size > 5);
});

test('key derivation parameters from the archive are bounded in memory and work', async (t) => {
  const salt = randomBytes(16).toString('base64');
  await t.notThrowsAsync(deriveKey(PASS, { ...KDF, salt }));
  // 128 MiB and 2 GiB of scrypt memory, and p = 4: refused before any work.
  for (const bad of [{ N: 2 ** 17, r: 8, p: 1 }, { N: 2 ** 20, r: 16, p: 1 }, { N: 2 ** 15, r: 8, p: 4 }]) {
    await t.throwsAsync(deriveKey(PASS, { name: 'scrypt', ...bad, salt }), { message: /need|unsupported/ }, JSON.stringify(bad));
  }
  const src = await source();
  const greedy = await craft(await src.make(), (m) => { m.kdf = { ...m.kdf, N: 2 ** 20, r: 16 }; });
  const started = Date.now();
  const err = await refusal(planRestore(greedy, PASS, await target()));
  t.is(err.code, 'foreign');
  t.regex(err.message, /key parameters/);
  t.true(Date.now() - started < 5000);
});

test('an archive that leaves sections out is refused whole (no half restore)', async (t) => {
  const src = await source();
  const full = await src.make(true);
  const tg = await target();
  await t.notThrowsAsync(planRestore(full, PASS, tg), 'the untouched archive restores');
  // No credentials section: the target's SNMP credentials would stay while devices and settings are replaced.
  const noCredentials = await craft(full, (m, files) => { m.sections = m.sections.filter((s) => s.name !== 'credentials'); files.delete(sectionFile('credentials')); });
  const e1 = await refusal(planRestore(noCredentials, PASS, tg));
  t.is(e1.code, 'altered');
  t.regex(e1.message, /lacks the section\(s\) credentials/);
  // Fleet sections in an archive that says it has no devices, and a section listed twice.
  const partFleet = await craft(full, (m, files) => { m.sections = m.sections.filter((s) => s.name !== 'history'); files.delete(sectionFile('history')); });
  t.regex((await refusal(planRestore(partFleet, PASS, tg))).message, /lacks the section\(s\) history/);
  const twice = await craft(full, (m) => { m.sections = [...m.sections, m.sections[0]]; });
  t.regex((await refusal(planRestore(twice, PASS, tg))).message, /twice/);
});

test('a device record with control or bidi characters is refused', async (t) => {
  const src = await source(async (store) => {
    await store.commit([{ type: 'put', sublevel: store.sub('devices'), key: 'EVIL1', value: { serialNumber: 'EVIL1', macAddress: '02:00:00:00:00:01',
      model: 'HP LaserJet\u202e nioj', firstSeen: new Date().toISOString(), lastSeen: new Date().toISOString(), historySeq: 0, peerAddress: '10.0.0.9' } }]);
  });
  const err = await refusal(planRestore(await src.make(true), PASS, await target()));
  t.is(err.code, 'invalid');
  t.regex(err.message, /section devices, record 1: model: .*U\+202E/);
});

test('secret settings arrive sealed under this appliance\'s key (sealed ones and clear ones from older archives)', async (t) => {
  const src = await source(async (store, key) => {
    const box = secretBox(key);
    await store.commit([
      { type: 'put', sublevel: store.sub('settings'), key: 'smtpPassword', value: toStored('smtpPassword', 'smtp-secret-1', box) },
      { type: 'put', sublevel: store.sub('settings'), key: 'mqttUrl', value: 'mqtts://u:clear-secret@broker:8883' }, // as older versions stored it
      { type: 'put', sublevel: store.sub('settings'), key: 'syslogFacility', value: 'local3' },
    ]);
  });
  const tg = await target();
  const plan = await planRestore(await src.make(), PASS, tg);
  const value = (key: string) => plan.ops.find((o) => o.type === 'put' && o.key === key && (o as any).value !== undefined && o.sublevel === tg.store.sub('settings')) as any;
  t.is(tg.box.open(value('smtpPassword').value.sealed), 'smtp-secret-1');
  t.is(tg.box.open(value('mqttUrl').value.sealed), 'mqtts://u:clear-secret@broker:8883');
  t.is(value('syslogFacility').value, 'local3', 'other settings stay as they are');
  t.false(JSON.stringify(plan.ops).includes('secret-1') || JSON.stringify(plan.ops).includes('clear-secret'), 'nothing secret in clear in what is written');
});
