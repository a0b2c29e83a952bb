/**
 * Opens the one SQLite database of a data folder safely: pragmas set and asserted on every open,
 * the SQLite version checked, a `quick_check` when it is cheap or after an unclean shutdown, a
 * backup before migrating, and the backup restored if a migration fails. User data is never
 * dropped to recover.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { listBackups, takeBackup } from './backups';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type SqliteDatabase = Database.Database;

/** SQLite 3.7.0–3.51.2 can corrupt a WAL database on reset (fixed in 3.51.3). */
export const MIN_SQLITE_VERSION = '3.51.3';
/**
 * Up to this size a `quick_check` runs on every open (measured: 0.41 s for 60 MB here); above it,
 * only after an unclean shutdown, since on a 5 GB file it takes over 20 s.
 */
export const QUICK_CHECK_ALWAYS_BYTES = 64 * 1024 * 1024;

/** Why `quick_check` did or did not run at open. */
export type IntegrityCheckReason = 'small-file' | 'unclean-shutdown' | 'always' | 'skipped-clean-shutdown';

export type DatabaseOpenErrorCode = 'SQLITE_TOO_OLD' | 'CORRUPT' | 'MIGRATION_FAILED' | 'PRAGMA_FAILED';

/** Why the database could not be opened, with the backup a person can restore from. */
export class DatabaseOpenError extends Error {
  constructor(
    readonly code: DatabaseOpenErrorCode,
    message: string,
    readonly backupPath: string | null = null,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

export interface OpenDatabaseOptions {
  /** The database file; created with its folder when missing. */
  readonly file: string;
  /** Folder of drizzle-kit's generated migrations (with meta/_journal.json). */
  readonly migrationsDir: string;
  /** Where backups go; defaults to `<folder of file>/backups`. */
  readonly backupDir?: string;
  readonly synchronous?: 'NORMAL' | 'FULL';
  readonly busyTimeoutMs?: number;
  /** better-sqlite3's compiled module to load (the Electron-ABI build in the desktop app). */
  readonly nativeBinding?: string;
  /** `auto` (default): quick_check small files and after an unclean shutdown; `always`: every open. */
  readonly integrityCheck?: 'auto' | 'always';
  /** With `auto`, files up to this size are checked on every open (default QUICK_CHECK_ALWAYS_BYTES). */
  readonly quickCheckMaxBytes?: number;
}

export interface OpenedDatabase {
  readonly sqlite: SqliteDatabase;
  readonly db: Db;
  readonly sqliteVersion: string;
  /** Migrations applied by this open (0 when the schema was current). */
  readonly migrationsApplied: number;
  /** The backup taken before migrating, if one was. */
  readonly backupPath: string | null;
  /** Whether `quick_check` ran at this open, and why. */
  readonly integrityCheck: { readonly ran: boolean; readonly reason: IntegrityCheckReason };
  close(): void;
}

/** Compare dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Page size of a newly created database file (bytes). */
const PAGE_SIZE = 8192;

/** Set the pragmas we rely on and read each back: a connection that disagrees is refused. */
export function applyPragmas(
  sqlite: SqliteDatabase,
  synchronous: 'NORMAL' | 'FULL' = 'NORMAL',
  busyTimeoutMs = 5000,
): void {
  // Takes effect only on a new, empty file (before WAL is set); a no-op on every later open. Rows
  // of ~1 kB (dataset rows) wasted ~14% of each 4 kB page: 8 kB pages made a 200k-row chat
  // dataset's database 6% smaller (229 → 215 MB).
  sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  const journal = sqlite.pragma('journal_mode = WAL', { simple: true });
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  const checks: ReadonlyArray<readonly [string, unknown, unknown]> = [
    ['journal_mode', journal, 'wal'],
    ['synchronous', sqlite.pragma('synchronous', { simple: true }), synchronous === 'FULL' ? 2 : 1],
    ['foreign_keys', sqlite.pragma('foreign_keys', { simple: true }), 1],
    ['busy_timeout', sqlite.pragma('busy_timeout', { simple: true }), Math.trunc(busyTimeoutMs)],
  ];
  for (const [name, actual, expected] of checks) {
    if (actual !== expected) {
      throw new DatabaseOpenError(
        'PRAGMA_FAILED',
        `PRAGMA ${name} is ${String(actual)}, expected ${expected}`,
      );
    }
  }
}

/** The newest backup of a database file, for a start-up error that offers it. */
export function latestBackup(backupDir: string, file: string): string | null {
  return listBackups(backupDir, file).at(-1)?.path ?? null;
}

/**
 * Each process that has the database open keeps a marker `<file>.open-<pid>` beside it and removes
 * it on a clean close. A marker whose process is gone means that process did not close cleanly.
 */
function openMarker(file: string, pid: number): string {
  return `${file}.open-${pid}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove the markers of processes that are gone; true when there was at least one. */
function clearStaleMarkers(file: string): boolean {
  const dir = dirname(file);
  const prefix = `${basename(file)}.open-`;
  let stale = false;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) continue;
    stale = true;
    rmSync(join(dir, name), { force: true });
  }
  return stale;
}

/** The first line of a migration error, without the SQL drizzle puts in its message. */
function migrationCause(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  const raw = cause instanceof Error ? cause.message : (error as Error).message;
  const line = (raw ?? 'unknown error').split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function pendingMigrations(sqlite: SqliteDatabase, migrationsDir: string): number {
  const migrations = readMigrationFiles({ migrationsFolder: migrationsDir });
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!hasTable) return migrations.length;
  const row = sqlite.prepare('SELECT MAX(created_at) AS last FROM __drizzle_migrations').get() as {
    last: number | null;
  };
  const last = Number(row.last ?? 0);
  return migrations.filter((m) => m.folderMillis > last).length;
}

function hasUserTables(sqlite: SqliteDatabase): boolean {
  return (
    sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' LIMIT 1")
      .get() !== undefined
  );
}

function removeWalFiles(file: string): void {
  rmSync(`${file}-wal`, { force: true });
  rmSync(`${file}-shm`, { force: true });
}

/** Open (and create or migrate) the database. Throws DatabaseOpenError with a clear message. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const { file, migrationsDir } = options;
  const backupDir = options.backupDir ?? join(dirname(file), 'backups');
  mkdirSync(dirname(file), { recursive: true });
  const existed = existsSync(file) && statSync(file).size > 0;

  const dbOptions = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {};
  let sqlite: SqliteDatabase;
  try {
    sqlite = new Database(file, dbOptions);
  } catch (error) {
    throw new DatabaseOpenError(
      'CORRUPT',
      `Cannot open the database ${file}: ${(error as Error).message}`,
      latestBackup(backupDir, file),
    );
  }

  try {
    // The library's own version, read before touching the file (a damaged file fails any statement).
    const probe = new Database(':memory:', dbOptions);
    const sqliteVersion = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    probe.close();
    if (compareVersions(sqliteVersion, MIN_SQLITE_VERSION) < 0) {
      throw new DatabaseOpenError(
        'SQLITE_TOO_OLD',
        `SQLite ${sqliteVersion} is too old: versions before ${MIN_SQLITE_VERSION} can corrupt a WAL database. Reinstall the app.`,
      );
    }
    const unclean = clearStaleMarkers(file);
    const integrityCheck: OpenedDatabase['integrityCheck'] =
      options.integrityCheck === 'always'
        ? { ran: true, reason: 'always' }
        : unclean
          ? { ran: true, reason: 'unclean-shutdown' }
          : !existed || statSync(file).size <= (options.quickCheckMaxBytes ?? QUICK_CHECK_ALWAYS_BYTES)
            ? { ran: true, reason: 'small-file' }
            : { ran: false, reason: 'skipped-clean-shutdown' };
    try {
      applyPragmas(sqlite, options.synchronous, options.busyTimeoutMs);
      // Any statement reads the schema page: a damaged header fails here even when quick_check is skipped.
      sqlite.prepare('SELECT COUNT(*) FROM sqlite_master').get();
      if (integrityCheck.ran) {
        const check = sqlite.pragma('quick_check', { simple: true });
        if (check !== 'ok') throw new Error(`quick_check reported: ${String(check)}`);
      }
    } catch (error) {
      if (error instanceof DatabaseOpenError) throw error;
      const backup = latestBackup(backupDir, file);
      throw new DatabaseOpenError(
        'CORRUPT',
        `The database ${file} is damaged (${(error as Error).message}).${
          backup
            ? ` The last backup is ${backup}: close the app and copy it over the database to restore it.`
            : ''
        }`,
        backup,
      );
    }

    const pending = pendingMigrations(sqlite, migrationsDir);
    let backupPath: string | null = null;
    if (pending > 0 && existed && hasUserTables(sqlite)) {
      backupPath = await takeBackup(sqlite, { file, backupDir, kind: 'pre-migration' });
    }

    const db = drizzle(sqlite, { schema });
    if (pending > 0) {
      try {
        migrate(db, { migrationsFolder: migrationsDir });
      } catch (error) {
        sqlite.close();
        if (backupPath) {
          removeWalFiles(file);
          copyFileSync(backupPath, file);
        }
        // The whole error (with the statement drizzle ran) goes to the log; the message stays short.
        console.error('database migration failed:', error);
        throw new DatabaseOpenError(
          'MIGRATION_FAILED',
          `Updating the database failed (${migrationCause(error)}); ${
            backupPath
              ? `your data was restored from the backup taken just before (${backupPath}), so nothing was lost.`
              : 'the database was new, so nothing was lost.'
          }`,
          backupPath,
        );
      }
    }

    const marker = openMarker(file, process.pid);
    writeFileSync(marker, `${process.pid}\n`);
    return {
      sqlite,
      db,
      sqliteVersion,
      migrationsApplied: pending,
      backupPath,
      integrityCheck,
      close: () => {
        if (sqlite.open) sqlite.close();
        rmSync(marker, { force: true });
      },
    };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    throw error;
  }
}
