/**
 * Restore a backup into a data folder whose database is closed: the CLI's `db restore` and the
 * start-up error screen's "Restore this backup" (serve's degraded mode, the desktop app) share it.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { restoreBackup } from '../../db/backups';
import { CoreLock } from '../core-lock';
import { AppError } from '../errors';
import { databaseFile } from '../paths';
import { backupDirOf } from './rolling-backups';

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Whether a file starts with SQLite's header: a restore of anything else is refused. */
function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** A backup named by path, or by its file name in the data folder's backups folder. */
export function resolveBackup(dataDir: string, nameOrPath: string): string {
  const dir = backupDirOf(databaseFile(dataDir));
  const inDir = join(dir, basename(nameOrPath));
  if (basename(nameOrPath) === nameOrPath && existsSync(inDir)) return inDir;
  const asPath = resolve(nameOrPath);
  if (existsSync(asPath)) return asPath;
  throw new AppError('NOT_FOUND', `No backup "${nameOrPath}" (neither a file nor a name in ${dir}).`);
}

/** What a restore did. */
export interface RestoreResult {
  readonly restored: string;
  readonly file: string;
  /** Where the replaced database file was kept (null when there was none). */
  readonly keptAs: string | null;
}

/**
 * Put a backup in place of the data folder's database, keeping the file it replaces. Refused while
 * another process holds the folder (`allowHolderPid`: the degraded serve holding it itself).
 */
export function restoreDataFolderBackup(
  dataDir: string,
  nameOrPath: string,
  options: { readonly allowHolderPid?: number } = {},
): RestoreResult {
  const backupPath = resolveBackup(dataDir, nameOrPath);
  if (!statSync(backupPath).isFile() || !isSqliteFile(backupPath)) {
    throw new AppError('BAD_INPUT', `${backupPath} is not an SQLite database file.`);
  }
  const holder = CoreLock.holder(dataDir);
  if (holder !== null && holder.pid !== options.allowHolderPid) {
    throw new AppError(
      'CONFLICT',
      `LoRA Studio (${holder.shell}, pid ${holder.pid}) has this data folder open; quit it, then restore.`,
    );
  }
  const file = databaseFile(dataDir);
  const keptAs = restoreBackup({ file, backupPath });
  return { restored: backupPath, file, keptAs };
}
