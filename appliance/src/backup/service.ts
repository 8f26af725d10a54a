// Backups as one service for the API and the scheduler: make an archive, restore one (then the appliance
// restarts its components so every room reads the restored records), scheduled backups to a folder.
import type { Store } from '../store/index.ts';
import type { Identity } from '../pki/index.ts';
import { loadOrCreateKey, type SecretBox } from '../snmp/index.ts';
import { createBackup } from './backup.ts';
import { applyRestore, planRestore } from './restore.ts';
import { ScheduledBackups, type ScheduleSettings } from './scheduled.ts';

export interface BackupsDeps {
  store: Store;
  box: SecretBox;
  dataDir: string;
  identity: () => Identity;
  version: string;
  listenerId: () => string;
  schedule: () => ScheduleSettings;
  /** Restarts the appliance's components after a restore (the CLI's in-process restart); absent: restart by hand. */
  requestRestart?: (reason: string) => void;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void };
}

export class BusyError extends Error { readonly code = 'backup-busy'; }

export class Backups {
  readonly scheduled: ScheduledBackups;
  private busy = false;

  constructor(private readonly d: BackupsDeps) {
    this.scheduled = new ScheduledBackups({ store: d.store, box: d.box, settings: d.schedule, listenerId: d.listenerId, log: d.log,
      make: async (passphrase, devices) => (await this.create({ passphrase, devices })).archive });
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new BusyError('a backup or restore is already running; try again in a moment');
    this.busy = true;
    try { return await fn(); } finally { this.busy = false; }
  }

  create(opts: { passphrase: string; devices: boolean }) {
    return this.exclusive(async () => createBackup({ store: this.d.store, identity: this.d.identity, secretKey: await loadOrCreateKey(this.d.dataDir),
      appVersion: this.d.version, listenerId: this.d.listenerId }, opts));
  }

  restore(archive: Buffer, passphrase: string) {
    return this.exclusive(async () => {
      const plan = await planRestore(archive, passphrase, { store: this.d.store, box: this.d.box, appVersion: this.d.version });
      await applyRestore(plan, { store: this.d.store, dataDir: this.d.dataDir });
      const m = plan.manifest;
      this.d.log.warn({ from: m.listenerId, made: m.createdAt, version: m.appVersion, sections: plan.counts }, 'backup restored; restarting the appliance\'s components');
      const restarting = !!this.d.requestRestart;
      if (restarting) setTimeout(() => this.d.requestRestart!('restore'), 200).unref();
      return { restored: plan.counts, archive: { listenerId: m.listenerId, createdAt: m.createdAt, appVersion: m.appVersion, devices: m.devices },
        restart: restarting ? 'restarting' : 'required' };
    });
  }
}
