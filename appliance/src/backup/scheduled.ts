// Scheduled backups to a folder (a USB stick mounted on the Pi): every `backupIntervalHours`, with the
// passphrase the admin stored for it (sealed in the store, never in a backup), keeping the newest
// `backupKeep` archives of this appliance there. Written to a temp file and renamed, so a half-written
// archive never replaces a good one.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/index.ts';
import type { SecretBox } from '../snmp/index.ts';
import { checkPassphrase } from './crypt.ts';

const PASS_KEY = 'backup-passphrase';
const LAST_KEY = 'backup-last';
const NAME = /^instant-on-edge-backup-[A-Za-z0-9._-]+-\d{8}T\d{6}Z\.tar\.gz$/;

export interface ScheduleSettings { folder: string; intervalHours: number; keep: number; devices: boolean }
export interface LastRun { at: string; file?: string; error?: string }

export class ScheduledBackups {
  private timer?: NodeJS.Timeout;
  private running?: Promise<LastRun>;
  private last?: LastRun;
  private passphraseSet = false;

  constructor(private readonly d: {
    store: Store; box: SecretBox; settings: () => ScheduleSettings; listenerId: () => string;
    make: (passphrase: string, devices: boolean) => Promise<Buffer>; log: { info(o: object, m: string): void; error(o: object, m: string): void };
    now?: () => number; tickMs?: number;
  }) {}

  async start() {
    this.last = await this.d.store.get<LastRun>('meta', LAST_KEY);
    this.passphraseSet = !!(await this.d.store.get('meta', PASS_KEY));
    this.timer = setInterval(() => void this.tick(), this.d.tickMs ?? 60_000);
    this.timer.unref();
  }

  async stop() { clearInterval(this.timer); await this.running?.catch(() => undefined); }

  async setPassphrase(passphrase: string | null): Promise<void> {
    const sub = this.d.store.sub('meta');
    await this.d.store.commit([passphrase === null ? { type: 'del', sublevel: sub, key: PASS_KEY } : { type: 'put', sublevel: sub, key: PASS_KEY, value: { sealed: this.d.box.seal(checkPassphrase(passphrase)) } }]);
    this.passphraseSet = passphrase !== null;
  }

  status() {
    const s = this.d.settings();
    const next = s.folder && this.passphraseSet ? new Date(this.last ? Date.parse(this.last.at) + s.intervalHours * 3600_000 : this.now()).toISOString() : null;
    return { ...s, enabled: !!s.folder && this.passphraseSet, passphraseSet: this.passphraseSet, last: this.last ?? null, nextRunAt: next, files: this.files() };
  }

  files(): string[] {
    const { folder } = this.d.settings();
    if (!folder) return [];
    try { return readdirSync(folder).filter((f) => NAME.test(f)).sort(); } catch { return []; }
  }

  private now() { return this.d.now?.() ?? Date.now(); }

  private async tick() {
    const s = this.d.settings();
    if (!s.folder || !this.passphraseSet || this.running) return;
    if (this.last && this.now() - Date.parse(this.last.at) < s.intervalHours * 3600_000) return;
    await this.runNow().catch(() => undefined);
  }

  /** Makes one backup into the folder now; the result (file or error) is remembered and logged. */
  runNow(): Promise<LastRun> {
    this.running ??= this.run().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async run(): Promise<LastRun> {
    const s = this.d.settings();
    const at = new Date(this.now()).toISOString();
    let result: LastRun;
    try {
      if (!s.folder) throw new Error('no backup folder is set (setting backupFolder)');
      const sealed = await this.d.store.get<{ sealed: string }>('meta', PASS_KEY);
      if (!sealed) throw new Error('no passphrase is stored for scheduled backups');
      const archive = await this.d.make(String(this.d.box.open(sealed.sealed)), s.devices);
      const file = `instant-on-edge-backup-${this.d.listenerId()}-${at.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.tar.gz`;
      mkdirSync(s.folder, { recursive: true });
      writeDurably(join(s.folder, file), archive);
      const stale = this.files().slice(0, -s.keep);
      for (const f of stale) rmSync(join(s.folder, f), { force: true });
      result = { at, file };
      this.d.log.info({ file, bytes: archive.length, removed: stale.length }, 'scheduled backup written');
    } catch (err) {
      result = { at, error: (err as Error).message };
      this.d.log.error({ err: (err as Error).message, folder: s.folder }, 'scheduled backup failed');
    }
    this.last = result;
    await this.d.store.commit([{ type: 'put', sublevel: this.d.store.sub('meta'), key: LAST_KEY, value: result }]);
    return result;
  }
}

function writeDurably(path: string, data: Buffer) {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try { writeSync(fd, data); fsyncSync(fd); } finally { closeSync(fd); }
  renameSync(tmp, path);
}
