import { join } from 'node:path';
import type { BackupList } from '../../preload/contract';
import { restoreDataFolderBackup } from '../backups/restore-backup';
import { backupDirOf } from '../backups/rolling-backups';
import { databaseFile } from '../paths';
import { type CliContext, call, usageError } from './cli-context';

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
      const { restored: backupPath, file, keptAs } = restoreDataFolderBackup(ctx.dataDir, rest[0] as string);
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
