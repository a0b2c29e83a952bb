import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { restoreBackup } from '../../db/backups';
import type { BackupList } from '../../preload/contract';
import { backupDirOf } from '../backups/rolling-backups';
import { CoreLock } from '../core-lock';
import { databaseFile } from '../paths';
import { type CliContext, CliError, call, usageError } from './cli-context';

export const DB_USAGE = `  db backups                              List the database backups (newest first)
  db backup                               Take a backup now (the app may be running)
  db restore FILE                         Put a backup in place of the database (app must be closed;
                                          the file it replaces is kept as <file>.damaged-<time>)`;

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function formatList(list: BackupList): string {
  if (list.backups.length === 0) return `No backups yet in ${list.dir}.`;
  const rows = list.backups.map(
    (b) =>
      `  ${new Date(b.createdAt).toISOString()}  ${b.kind.padEnd(13)} ${mib(b.sizeBytes).padStart(11)}  ${b.name}`,
  );
  return [
    `Backups in ${list.dir} (the last ${list.rollingKept} rolling ones are kept: daily, and on a clean exit up to ${mib(list.exitMaxBytes)}):`,
    ...rows,
  ].join('\n');
}

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

/** A backup named by path, or by its name in the data folder's backups folder. */
function resolveBackup(dataDir: string, raw: string): string {
  const asPath = resolve(raw);
  if (existsSync(asPath)) return asPath;
  const inDir = join(backupDirOf(databaseFile(dataDir)), basename(raw));
  if (existsSync(inDir)) return inDir;
  throw new CliError({
    code: 'NOT_FOUND',
    message: `No backup "${raw}" (neither a file nor a name in ${backupDirOf(databaseFile(dataDir))}).`,
  });
}

/** `db backups | backup | restore FILE`. */
export async function dbCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub, ...rest] = ctx.args;
  switch (sub) {
    case 'backups':
      if (rest.length > 0) throw usageError(`db backups takes no arguments, got "${rest.join(' ')}"`, usage);
      return ctx.withCore(async (core) => {
        const list = await call(core, 'backups.list', {});
        ctx.print(list, () => formatList(list));
      });
    case 'backup':
      if (rest.length > 0) throw usageError(`db backup takes no arguments, got "${rest.join(' ')}"`, usage);
      return ctx.withCore(async (core) => {
        const made = await call(core, 'backups.create', {});
        ctx.print(
          made,
          () =>
            `Backed up to ${join(backupDirOf(databaseFile(ctx.dataDir)), made.name)} (${mib(made.sizeBytes)}).`,
        );
      });
    case 'restore': {
      if (rest.length !== 1) throw usageError('db restore takes one backup FILE', usage);
      const backupPath = resolveBackup(ctx.dataDir, rest[0] as string);
      if (!statSync(backupPath).isFile() || !isSqliteFile(backupPath)) {
        throw new CliError({ code: 'BAD_INPUT', message: `${backupPath} is not an SQLite database file.` });
      }
      const holder = CoreLock.holder(ctx.dataDir);
      if (holder !== null) {
        throw new CliError({
          code: 'CONFLICT',
          message: `LoRA Studio (${holder.shell}, pid ${holder.pid}) has this data folder open; quit it, then restore.`,
        });
      }
      const file = databaseFile(ctx.dataDir);
      const keptAs = restoreBackup({ file, backupPath });
      ctx.print({ restored: backupPath, file, keptAs }, () =>
        [`Restored ${backupPath} to ${file}.`, keptAs ? `The file it replaced is kept as ${keptAs}.` : '']
          .filter(Boolean)
          .join('\n'),
      );
      return;
    }
    default:
      throw usageError(sub === undefined ? 'db needs a subcommand' : `Unknown db subcommand "${sub}"`, usage);
  }
}
