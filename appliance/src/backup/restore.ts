// Restoring a backup, Teleporter-like: everything is checked before anything is written — the container
// (gzip, tar, bounds), what it is (foreign? newer?), the passphrase, every part's authenticity, every record
// against the rules of the room that owns it, the identity's key against its certificate — and then the store
// changes in one batch. A refused archive changes nothing and says why.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Store, StoreOp } from '../store/index.ts';
import { secretBox, type SecretBox } from '../snmp/index.ts';
import { writeFileAtomic } from '../util/atomic-file.ts';
import { ArchiveError, unpackArchive } from './archive.ts';
import { checkPassphrase, decrypt, deriveKey, PassphraseError } from './crypt.ts';
import { CHECK_NAME, CONFIG_SECTIONS, FLEET_SECTIONS, FORMAT, FORMAT_VERSION, IDENTITY, MANIFEST, manifestSchema, sectionFile, type CheckPart, type IdentityPart, type Manifest, type SectionName } from './format.ts';
import { checkRecord } from './sections.ts';

export type RestoreCode = 'weak-passphrase' | 'foreign' | 'truncated' | 'too-large' | 'newer-version' | 'wrong-passphrase' | 'altered' | 'invalid';

export class RestoreError extends Error {
  constructor(readonly code: RestoreCode, message: string) { super(message); }
}

export interface RestorePlan {
  manifest: Manifest;
  ops: StoreOp[];
  identity: IdentityPart;
  counts: Record<string, number>;
}

const fail = (code: RestoreCode, message: string): never => { throw new RestoreError(code, message); };

/** Checks the archive completely; returns what to write. Writes nothing. */
export async function planRestore(gz: Buffer, passphrase: string, target: { store: Store; box: SecretBox; appVersion: string }): Promise<RestorePlan> {
  try { checkPassphrase(passphrase); } catch (err) { fail('weak-passphrase', (err as PassphraseError).message); }
  let files: Map<string, Buffer>;
  try { files = await unpackArchive(gz); } catch (err) {
    if (err instanceof ArchiveError) fail(err.code, err.message);
    throw err;
  }
  const manifest = readManifest(files.get(MANIFEST), target.appVersion);
  const key = await deriveKey(passphrase, manifest.kdf).catch((err) => fail('foreign', `the archive's key parameters are not usable: ${err.message}`));
  // `part` is what the part was sealed as (its associated data); `file` names it in a refusal.
  const open = (part: string, file: string, sealed: { iv: string; tag: string }, data: Buffer | undefined, code: RestoreCode) => {
    if (!data) return fail('altered', `the archive lacks ${file}`);
    try { return decrypt(key, `${FORMAT}/${manifest.formatVersion}/${part}`, sealed, data); } catch {
      return fail(code, code === 'wrong-passphrase' ? 'wrong passphrase: the archive does not open with it' : `${file} does not open: the archive was altered`);
    }
  };
  const check = JSON.parse(open(CHECK_NAME, CHECK_NAME, manifest.check, Buffer.from(manifest.check.data, 'base64'), 'wrong-passphrase').toString()) as CheckPart;
  const listed = JSON.stringify(manifest.sections.map((s) => ({ name: s.name, entries: s.entries })));
  if (check.format !== FORMAT || JSON.stringify(check.sections) !== listed) fail('altered', 'the manifest\'s list of sections was altered');
  // A backup always holds the whole configuration, and the fleet whole or not at all: an archive that leaves
  // sections out would restore half (say, new device addresses under the old SNMP credentials).
  const names = manifest.sections.map((s) => s.name);
  if (new Set(names).size !== names.length) fail('altered', 'the manifest lists a section twice');
  const wanted: string[] = [...CONFIG_SECTIONS, ...(manifest.devices ? FLEET_SECTIONS : [])];
  const missing = wanted.filter((n) => !names.includes(n as SectionName));
  const extra = names.filter((n) => !wanted.includes(n));
  if (missing.length || extra.length) {
    fail('altered', `the archive ${missing.length ? `lacks the section(s) ${missing.join(', ')}` : ''}${missing.length && extra.length ? ' and ' : ''}${extra.length ? `holds ${extra.join(', ')} although it says it has ${manifest.devices ? '' : 'no '}devices` : ''}`);
  }
  const expected = new Set([MANIFEST, IDENTITY, ...manifest.sections.map((s) => sectionFile(s.name))]);
  for (const name of files.keys()) if (!expected.has(name)) fail('altered', `unexpected file "${name.slice(0, 100)}" in the archive`);

  const identity = readIdentity(open(IDENTITY, IDENTITY, manifest.identity, files.get(IDENTITY), 'altered'));
  const boxes = { source: secretBox(Buffer.from(identity.secretKey, 'base64')), target: target.box };
  const ops: StoreOp[] = [];
  const counts: Record<string, number> = {};
  for (const s of manifest.sections) {
    const text = open(s.name, sectionFile(s.name), s, files.get(sectionFile(s.name)), 'altered').toString('utf8');
    const lines = text ? text.split('\n') : [];
    if (lines.length !== s.entries) fail('altered', `section ${s.name} holds ${lines.length} records, the manifest says ${s.entries}`);
    const sub = target.store.sub<unknown>(s.name);
    const keep = new Set<string>();
    lines.forEach((line, i) => {
      try {
        const pair = JSON.parse(line);
        if (!Array.isArray(pair) || pair.length !== 2) throw new Error('not a [key, value] pair');
        const value = checkRecord(s.name as SectionName, pair[0], pair[1], boxes);
        keep.add(pair[0]);
        ops.push({ type: 'put', sublevel: sub, key: pair[0], value });
      } catch (err) {
        fail('invalid', `section ${s.name}, record ${i + 1}: ${String((err as Error).message).slice(0, 300)}`);
      }
    });
    // The section replaces what is here (meta: only its own keys; the session secret stays).
    if (s.name !== 'meta') for await (const k of sub.keys()) if (!keep.has(k)) ops.push({ type: 'del', sublevel: sub, key: k });
    counts[s.name] = s.entries;
  }
  return { manifest, ops, identity, counts };
}

/** Writes a checked plan: the identity files staged first, the store in one batch, then the files in place. */
export async function applyRestore(plan: RestorePlan, target: { store: Store; dataDir: string }): Promise<void> {
  const dir = join(target.dataDir, 'identity');
  const files: [string, string][] = [['key.pem', plan.identity.keyPem], ['cert.pem', plan.identity.certPem], ['chain.pem', plan.identity.chainPem.join('')]];
  for (const [name, text] of files) writeFileAtomic(join(dir, `${name}.restore`), text, 0o600);
  await target.store.commit(plan.ops);
  for (const [name] of files) renameSync(join(dir, `${name}.restore`), join(dir, name));
}

function readManifest(bytes: Buffer | undefined, appVersion: string): Manifest {
  if (!bytes) return fail('foreign', 'not a backup of this appliance (no manifest.json)');
  let raw: any;
  try { raw = JSON.parse(bytes.toString('utf8')); } catch { return fail('foreign', 'not a backup of this appliance (manifest.json is not JSON)'); }
  if (raw?.format !== FORMAT) return fail('foreign', `not a backup of this appliance (format ${JSON.stringify(raw?.format ?? null).slice(0, 60)})`);
  if (typeof raw.formatVersion === 'number' && raw.formatVersion > FORMAT_VERSION) {
    return fail('newer-version', `the archive was made by a newer version (instant-on-edge ${String(raw.appVersion).slice(0, 40)}, backup format ${raw.formatVersion}); this appliance (${appVersion}) reads format ${FORMAT_VERSION}: update it first`);
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) return fail('foreign', `the manifest is not valid: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

function readIdentity(bytes: Buffer): IdentityPart {
  try {
    const id = JSON.parse(bytes.toString('utf8')) as IdentityPart;
    const cert = new X509Certificate(id.certPem);
    if (!cert.checkPrivateKey(createPrivateKey(id.keyPem))) throw new Error('the identity key does not belong to its certificate');
    for (const c of id.chainPem) new X509Certificate(c);
    if (Buffer.from(id.secretKey, 'base64').length !== 32) throw new Error('the secret key is not 32 bytes');
    return id;
  } catch (err) {
    return fail('invalid', `the appliance identity in the archive is not usable: ${(err as Error).message}`);
  }
}
