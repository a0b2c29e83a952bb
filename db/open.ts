/**
 * Opens the one SQLite database of a data folder safely: pragmas set and asserted on every open,
 * the SQLite version checked, a `quick_check`, a backup before migrating, and the backup restored
 * if a migration fails. User data is never dropped to recover.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export type SqliteDatabase = Database.Database;

/** SQLite 3.7.0–3.51.2 can corrupt a WAL database on reset (fixed in 3.51.3). */
export const MIN_SQLITE_VERSION = '3.51.3';
const BACKUPS_KEPT = 5;

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
}

export interface OpenedDatabase {
  readonly sqlite: SqliteDatabase;
  readonly db: Db;
  readonly sqliteVersion: string;
  /** Migrations applied by this open (0 when the schema was current). */
  readonly migrationsApplied: number;
  /** The backup taken before migrating, if one was. */
  readonly backupPath: string | null;
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

/** Set the pragmas we rely on and read each back: a connection that disagrees is refused. */
export function applyPragmas(
  sqlite: SqliteDatabase,
  synchronous: 'NORMAL' | 'FULL' = 'NORMAL',
  busyTimeoutMs = 5000,
): void {
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
  if (!existsSync(backupDir)) return null;
  const prefix = `${basename(file)}.`;
  const found = readdirSync(backupDir)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
    .sort();
  const last = found.at(-1);
  return last ? join(backupDir, last) : null;
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

function pruneBackups(backupDir: string, file: string): void {
  const prefix = `${basename(file)}.`;
  const all = readdirSync(backupDir)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
    .sort();
  for (const old of all.slice(0, Math.max(0, all.length - BACKUPS_KEPT))) {
    rmSync(join(backupDir, old), { force: true });
  }
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
    try {
      applyPragmas(sqlite, options.synchronous, options.busyTimeoutMs);
      const check = sqlite.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`quick_check reported: ${String(check)}`);
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
      mkdirSync(backupDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      backupPath = join(backupDir, `${basename(file)}.${stamp}.bak`);
      await sqlite.backup(backupPath);
      pruneBackups(backupDir, file);
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
        throw new DatabaseOpenError(
          'MIGRATION_FAILED',
          `Updating the database failed (${(error as Error).message}). ${
            backupPath
              ? `Your data was restored from the backup taken just before (${backupPath}); nothing was lost.`
              : 'The database was new; nothing was lost.'
          } Please report this with the message above.`,
          backupPath,
        );
      }
    }

    return {
      sqlite,
      db,
      sqliteVersion,
      migrationsApplied: pending,
      backupPath,
      close: () => {
        if (sqlite.open) sqlite.close();
      },
    };
  } catch (error) {
    if (sqlite.open) sqlite.close();
    throw error;
  }
}
