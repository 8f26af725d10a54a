// Making a backup: every configuration sublevel (and, when asked, the fleet and its history) as JSON lines,
// the appliance identity and the data folder's secret key (credentials and the CA key stay sealed under it),
// each part encrypted under the admin's passphrase, in one .tar.gz.
import type { Store } from '../store/index.ts';
import type { Identity } from '../pki/index.ts';
import { checkPassphrase, deriveKey, encrypt, newKdf } from './crypt.ts';
import { packArchive } from './archive.ts';
import { ARCHIVE_MAX_BYTES, CHECK_NAME, CONFIG_SECTIONS, FLEET_SECTIONS, FORMAT, FORMAT_VERSION, IDENTITY, MANIFEST, META_KEYS, sectionFile,
  type CheckPart, type IdentityPart, type Manifest, type SectionName } from './format.ts';

export interface BackupSource {
  store: Store;
  identity: () => Identity;
  /** The data folder's secret key (snmp/secret-box.ts): what credentials and the CA key are sealed with. */
  secretKey: Buffer;
  appVersion: string;
  listenerId: () => string;
}

export async function createBackup(src: BackupSource, opts: { passphrase: string; devices: boolean }): Promise<{ archive: Buffer; manifest: Manifest }> {
  const passphrase = checkPassphrase(opts.passphrase);
  const kdf = newKdf();
  const key = await deriveKey(passphrase, kdf);
  const names: SectionName[] = [...CONFIG_SECTIONS, ...(opts.devices ? FLEET_SECTIONS : [])];
  const files: { name: string; data: Buffer }[] = [];
  const sections: Manifest['sections'] = [];
  for (const name of names) {
    const lines: string[] = [];
    for await (const [k, v] of src.store.sub<unknown>(name).iterator()) {
      if (name === 'meta' && !META_KEYS.includes(k)) continue;
      lines.push(JSON.stringify([k, v]));
    }
    const { sealed, data } = encrypt(key, `${FORMAT}/${FORMAT_VERSION}/${name}`, Buffer.from(lines.join('\n')));
    sections.push({ name, entries: lines.length, ...sealed });
    files.push({ name: sectionFile(name), data });
  }
  const id = src.identity();
  const identityPart: IdentityPart = { keyPem: id.keyPem, certPem: id.certPem, chainPem: id.chainPem, secretKey: src.secretKey.toString('base64') };
  const ident = encrypt(key, `${FORMAT}/${FORMAT_VERSION}/${IDENTITY}`, Buffer.from(JSON.stringify(identityPart)));
  const check: CheckPart = { format: FORMAT, sections: sections.map((s) => ({ name: s.name, entries: s.entries })) };
  const chk = encrypt(key, `${FORMAT}/${FORMAT_VERSION}/${CHECK_NAME}`, Buffer.from(JSON.stringify(check)));
  const manifest: Manifest = {
    format: FORMAT, formatVersion: FORMAT_VERSION, appVersion: src.appVersion, createdAt: new Date().toISOString(), listenerId: src.listenerId(),
    devices: opts.devices, kdf, check: { ...chk.sealed, data: chk.data.toString('base64') }, identity: ident.sealed, sections,
  };
  const archive = await packArchive([{ name: MANIFEST, data: Buffer.from(JSON.stringify(manifest, null, 1)) }, { name: IDENTITY, data: ident.data }, ...files]);
  // An archive no restore would take is no backup: say so now, not on the day it is needed.
  if (archive.length > ARCHIVE_MAX_BYTES) {
    throw new BackupTooLargeError(`the backup would be ${(archive.length / 2 ** 20).toFixed(0)} MiB, more than the ${ARCHIVE_MAX_BYTES / 2 ** 20} MiB a restore takes${opts.devices ? ': back up without devices and history' : ''}`);
  }
  return { archive, manifest };
}

export class BackupTooLargeError extends Error { readonly code = 'backup-too-large'; }
