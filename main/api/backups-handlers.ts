import { basename } from 'node:path';
import type { Backup } from '../../preload/contract';
import { BACKUP_POLICY, backupDirOf, backupsOf, type RollingBackups } from '../backups/rolling-backups';
import { AppError } from '../errors';
import type { Handlers } from './api-router';

/** `backups.list` and `backups.create`: the database backups of this data folder. */
export function createBackupsHandlers(deps: {
  readonly dbFile: string;
  /** Null when this core is not the primary (only the primary writes backups). */
  readonly backups: RollingBackups | null;
}): Pick<Handlers, 'backups.list' | 'backups.create'> {
  const toBackup = (b: ReturnType<typeof backupsOf>[number]): Backup => ({
    name: b.name,
    kind: b.kind,
    sizeBytes: b.sizeBytes,
    createdAt: Math.round(b.createdAt),
  });
  return {
    'backups.list': () => ({
      dir: backupDirOf(deps.dbFile),
      backups: backupsOf(deps.dbFile).map(toBackup),
      ...BACKUP_POLICY,
    }),
    'backups.create': async () => {
      if (deps.backups === null) {
        throw new AppError(
          'UNAVAILABLE',
          'Only the app that owns this data folder takes backups; it is not running here.',
        );
      }
      const path = await deps.backups.take();
      const made = backupsOf(deps.dbFile).find((b) => b.name === basename(path));
      if (!made) throw new AppError('INTERNAL', `The backup ${path} was written but cannot be read back.`);
      return toBackup(made);
    },
  };
}

/** `startup.restoreBackup` on a working core: refused, the database is open (restore with the app closed). */
export function createStartupHandlers(): Pick<Handlers, 'startup.restoreBackup'> {
  return {
    'startup.restoreBackup': () => {
      throw new AppError(
        'CONFLICT',
        'The database is open and working; to go back to a backup, quit LoRA Studio and run `lora-studio db restore FILE`.',
      );
    },
  };
}
