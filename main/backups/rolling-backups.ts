/**
 * The primary core's rolling backups of its database (defect 6): one when a day has passed since
 * the newest (checked at start and then hourly) and one on a clean exit while the file is small,
 * the last `BACKUPS_KEPT.rolling` (7) kept. Restoring is `lora-studio db restore` or the start-up
 * error screen: the database must be closed, so no running core restores.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BACKUPS_KEPT, type BackupFile, listBackups, rollingBackupDue, takeBackup } from '../../db/backups';
import type { SqliteDatabase } from '../../db/open';

/** A rolling backup is due once the newest is this old. */
export const ROLLING_BACKUP_EVERY_MS = 24 * 60 * 60 * 1000;
/** How often the running primary checks whether a rolling backup is due. */
export const ROLLING_BACKUP_CHECK_MS = 60 * 60 * 1000;
/**
 * A clean exit takes a backup only up to this database size (a 256 MB backup takes about a second
 * here; a larger file would hold up every quit, and still gets its daily backup).
 */
export const EXIT_BACKUP_MAX_BYTES = 256 * 1024 * 1024;

/** Where the backups of a database file live (the same folder db/open.ts uses). */
export function backupDirOf(file: string): string {
  return join(dirname(file), 'backups');
}

/** Every backup of a database file, newest first. */
export function backupsOf(file: string): BackupFile[] {
  return listBackups(backupDirOf(file), file).reverse();
}

/** Rolling backups of an open database: started by the primary, finished by its clean close. */
export class RollingBackups {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      readonly sqlite: SqliteDatabase;
      readonly file: string;
      readonly now: () => number;
      readonly everyMs?: number;
      readonly checkMs?: number;
    },
  ) {}

  /** Take a backup now if one is due, then check again every hour. */
  start(): void {
    this.backupIfDue();
    this.timer = setInterval(() => this.backupIfDue(), this.deps.checkMs ?? ROLLING_BACKUP_CHECK_MS);
    this.timer.unref();
  }

  /** Take a rolling backup now (the CLI's `db backup`, the clean exit). Returns its path. */
  take(): Promise<string> {
    const next = this.running.then(() =>
      takeBackup(this.deps.sqlite, {
        file: this.deps.file,
        backupDir: backupDirOf(this.deps.file),
        kind: 'rolling',
        now: this.deps.now(),
      }),
    );
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Stop the timer; on a clean exit, back up a small database. Never throws: the exit goes on. */
  async stop(options: { readonly backupOnExit: boolean }): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    const { file } = this.deps;
    if (!options.backupOnExit || !existsSync(file) || statSync(file).size > EXIT_BACKUP_MAX_BYTES) return;
    await this.take().catch((error: unknown) => console.error('backup on exit failed:', error));
  }

  private backupIfDue(): void {
    const { file, now } = this.deps;
    if (!rollingBackupDue(backupDirOf(file), file, now(), this.deps.everyMs ?? ROLLING_BACKUP_EVERY_MS))
      return;
    this.take().catch((error: unknown) => console.error('rolling backup failed:', error));
  }
}

/** What Settings and `db backups` show about the backups kept. */
export const BACKUP_POLICY = {
  rollingKept: BACKUPS_KEPT.rolling,
  everyMs: ROLLING_BACKUP_EVERY_MS,
  exitMaxBytes: EXIT_BACKUP_MAX_BYTES,
} as const;
