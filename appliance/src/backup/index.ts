// Backup and restore (issue 16 §5): one passphrase-encrypted archive of the configuration (and optionally the
// fleet and its history); restore checks everything before it writes anything; scheduled backups to a folder.
export { createBackup, BackupTooLargeError, type BackupSource } from './backup.ts';
export { planRestore, applyRestore, RestoreError, type RestorePlan, type RestoreCode } from './restore.ts';
export { ScheduledBackups, type ScheduleSettings } from './scheduled.ts';
export { checkPassphrase, PassphraseError, PASSPHRASE_MIN } from './crypt.ts';
export { FORMAT, FORMAT_VERSION, CONFIG_SECTIONS, FLEET_SECTIONS, ARCHIVE_MAX_BYTES } from './format.ts';
export { Backups, BusyError } from './service.ts';
