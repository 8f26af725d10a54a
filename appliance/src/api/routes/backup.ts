// Backup and restore (issue 16 §5): POST /api/v1/backup {"passphrase","devices"} answers the archive;
// POST /api/v1/restore takes the archive as the body and the passphrase in X-Backup-Passphrase; a refused
// archive is a 400 (422 for a damaged or foreign one) saying why, and changes nothing. Scheduled backups:
// GET /api/v1/backup/schedule, PUT /api/v1/backup/passphrase, POST /api/v1/backup/run.
import type Router from '@koa/router';
import { ApiError } from '../errors.ts';
import { recordChange } from '../audit.ts';
import { readLimited } from '../body.ts';
import type { AppServices } from '../services.ts';
import { backupPassphrasePut, backupPost } from '../../contract/operations.ts';
import { ARCHIVE_MAX_BYTES, BackupTooLargeError, BusyError, PassphraseError, RestoreError, type Backups } from '../../backup/index.ts';
import { parseBody } from './core.ts';

export const RESTORE_MAX_BYTES = ARCHIVE_MAX_BYTES;

function backups(s: AppServices): Backups {
  if (!s.backups) throw new ApiError(503, 'backup-unavailable', 'backups are not available on this appliance');
  return s.backups;
}

function mapped(err: unknown): never {
  if (err instanceof PassphraseError) throw new ApiError(400, 'weak-passphrase', err.message, [{ field: 'passphrase', message: err.message }]);
  if (err instanceof BusyError) throw new ApiError(409, err.code, err.message);
  if (err instanceof BackupTooLargeError) throw new ApiError(409, err.code, err.message);
  if (err instanceof RestoreError) {
    const status = err.code === 'too-large' ? 413 : err.code === 'weak-passphrase' ? 400 : 422;
    throw new ApiError(status, `restore-${err.code}`, `restore refused, nothing was changed: ${err.message}`,
      err.code === 'weak-passphrase' || err.code === 'wrong-passphrase' ? [{ field: 'X-Backup-Passphrase', message: err.message }] : undefined);
  }
  throw err;
}

export function backupRoutes(router: Router, s: AppServices) {
  router.post('/api/v1/backup', async (ctx) => {
    const body = parseBody(backupPost, ctx.request.body);
    const { archive, manifest } = await backups(s).create(body).catch(mapped);
    recordChange(ctx, { action: 'backup.create', after: { devices: body.devices, bytes: archive.length, sections: manifest.sections.map((x) => `${x.name}:${x.entries}`) } });
    ctx.set('Content-Type', 'application/gzip');
    ctx.set('Content-Disposition', `attachment; filename="instant-on-edge-backup-${manifest.listenerId}-${manifest.createdAt.slice(0, 10)}.tar.gz"`);
    ctx.body = archive;
  });

  router.post('/api/v1/restore', async (ctx) => {
    const passphrase = ctx.get('x-backup-passphrase');
    if (!passphrase) throw new ApiError(400, 'weak-passphrase', 'send the backup\'s passphrase in the X-Backup-Passphrase header', [{ field: 'X-Backup-Passphrase', message: 'missing' }]);
    const chunks: Buffer[] = [];
    for await (const c of readLimited(ctx, RESTORE_MAX_BYTES)) chunks.push(c);
    const archive = Buffer.concat(chunks);
    if (!archive.length) throw new ApiError(400, 'restore-empty', 'send the backup archive as the request body');
    const r = await backups(s).restore(archive, passphrase).catch(mapped);
    recordChange(ctx, { action: 'backup.restore', after: r });
    ctx.body = r;
  });

  router.get('/api/v1/backup/schedule', (ctx) => { ctx.body = backups(s).scheduled.status(); });

  router.put('/api/v1/backup/passphrase', async (ctx) => {
    const body = parseBody(backupPassphrasePut, ctx.request.body);
    await backups(s).scheduled.setPassphrase(body.passphrase).catch(mapped);
    recordChange(ctx, { action: body.passphrase === null ? 'backup.passphrase-removed' : 'backup.passphrase-set' });
    ctx.body = backups(s).scheduled.status();
  });

  router.post('/api/v1/backup/run', async (ctx) => {
    const r = await backups(s).scheduled.runNow();
    if (r.error) throw new ApiError(409, 'backup-failed', `the backup could not be written: ${r.error}`);
    ctx.body = r;
  });
}
