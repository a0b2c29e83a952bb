/**
 * Backups of the database file in `<data folder>/backups/`: taken with SQLite's online backup API
 * (the app keeps running), named `<db file>.<ISO stamp>.<kind>.bak` so that names sort by time, and
 * pruned per kind. Restoring keeps the file it replaces (renamed `.damaged-…`): nothing is dropped.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SqliteDatabase } from './open';

/** Why a backup was taken. Pre-migration backups predate the kinds and carry none in their name. */
export type BackupKind = 'rolling' | 'pre-migration';

/** How many backups of each kind are kept (the oldest are removed first). */
export const BACKUPS_KEPT: Readonly<Record<BackupKind, number>> = { rolling: 7, 'pre-migration': 5 };

/** A backup file on disk. */
export interface BackupFile {
  readonly path: string;
  readonly name: string;
  readonly kind: BackupKind;
  readonly sizeBytes: number;
  /** File modification time (ms): when the backup was written. */
  readonly createdAt: number;
}

function kindOf(name: string): BackupKind {
  return name.endsWith('.rolling.bak') ? 'rolling' : 'pre-migration';
}

/** Every backup of `file` in `backupDir`, oldest first. */
export function listBackups(backupDir: string, file: string): BackupFile[] {
  if (!existsSync(backupDir)) return [];
  const prefix = `${basename(file)}.`;
  return readdirSync(backupDir)
    .filter((n) => n.startsWith(prefix) && n.endsWith('.bak'))
    .sort()
    .map((name) => {
      const path = join(backupDir, name);
      const st = statSync(path);
      return { path, name, kind: kindOf(name), sizeBytes: st.size, createdAt: st.mtimeMs };
    });
}

/** The file name of a new backup of `file` taken at `now`. */
export function backupName(file: string, kind: BackupKind, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return kind === 'rolling' ? `${basename(file)}.${stamp}.rolling.bak` : `${basename(file)}.${stamp}.bak`;
}

/** Remove the oldest backups of a kind beyond what is kept. */
export function pruneBackups(backupDir: string, file: string, kind: BackupKind): void {
  const ofKind = listBackups(backupDir, file).filter((b) => b.kind === kind);
  for (const old of ofKind.slice(0, Math.max(0, ofKind.length - BACKUPS_KEPT[kind]))) {
    rmSync(old.path, { force: true });
  }
}

/**
 * Copy the open database into a new backup with SQLite's online backup API (pages are copied in
 * steps, so other statements keep running), written under a temporary name and renamed when
 * whole, then prune. Returns the backup's path.
 */
export async function takeBackup(
  sqlite: SqliteDatabase,
  options: {
    readonly file: string;
    readonly backupDir: string;
    readonly kind: BackupKind;
    readonly now?: number;
  },
): Promise<string> {
  mkdirSync(options.backupDir, { recursive: true });
  const path = join(options.backupDir, backupName(options.file, options.kind, options.now ?? Date.now()));
  const partial = `${path}.partial`;
  try {
    await sqlite.backup(partial);
    renameSync(partial, path);
  } finally {
    rmSync(partial, { force: true });
  }
  pruneBackups(options.backupDir, options.file, options.kind);
  return path;
}

/** Whether a rolling backup is due: none yet, or the newest is older than `everyMs`. */
export function rollingBackupDue(backupDir: string, file: string, now: number, everyMs: number): boolean {
  const newest = listBackups(backupDir, file)
    .filter((b) => b.kind === 'rolling')
    .at(-1);
  return newest === undefined || now - newest.createdAt >= everyMs;
}

/**
 * Put a backup in place of the database file (which must be closed). The file it replaces is kept
 * beside it as `<file>.damaged-<stamp>`; the WAL and shared-memory files of the old file go with it.
 * Returns the path the old file was moved to (null when there was none).
 */
export function restoreBackup(options: {
  readonly file: string;
  readonly backupPath: string;
  readonly now?: number;
}): string | null {
  const { file, backupPath } = options;
  if (!existsSync(backupPath)) throw new Error(`No backup at ${backupPath}.`);
  let keptAs: string | null = null;
  if (existsSync(file)) {
    keptAs = `${file}.damaged-${new Date(options.now ?? Date.now()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, keptAs);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${keptAs}${suffix}`);
    }
  }
  copyFileSync(backupPath, `${file}.restoring`);
  renameSync(`${file}.restoring`, file);
  return keptAs;
}
