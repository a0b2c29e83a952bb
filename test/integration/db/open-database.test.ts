import {
  closeSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions, DatabaseOpenError, MIN_SQLITE_VERSION, openDatabase } from '../../../db/open';
import { defaultMigrationsDir } from '../../../main/paths';
import { makeTempDir } from '../../helpers/temp-dir';

const TABLES = [
  'cost_records',
  'dataset_rows',
  'dataset_versions',
  'datasets',
  'gpu_samples',
  'metrics_points',
  'metrics_rollup',
  'model_artifacts',
  'notifications',
  'settings',
  'training_jobs',
];

function journalEntries(): number {
  return JSON.parse(readFileSync(join(defaultMigrationsDir(), 'meta', '_journal.json'), 'utf8')).entries
    .length;
}

describe('openDatabase', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('applies every generated migration to a fresh database', async () => {
    const opened = await openDatabase({ file: join(tmp.dir, 'a.db'), migrationsDir: defaultMigrationsDir() });
    const tables = opened.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != '__drizzle_migrations' ORDER BY name",
      )
      .all()
      .map((r) => (r as { name: string }).name);
    // FTS5's search index and its shadow tables come from the custom search migration.
    expect(tables.filter((t) => !t.startsWith('dataset_rows_fts'))).toEqual(TABLES);
    expect(tables).toContain('dataset_rows_fts');
    const journal = JSON.parse(readFileSync(join(defaultMigrationsDir(), 'meta', '_journal.json'), 'utf8'));
    expect(opened.migrationsApplied).toBe(journal.entries.length);
    expect(opened.backupPath).toBeNull();
    opened.close();
  });

  it('sets and asserts the pragmas on every open, including a reopen', async () => {
    const file = join(tmp.dir, 'p.db');
    for (let i = 0; i < 2; i++) {
      const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
      expect(opened.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(opened.sqlite.pragma('synchronous', { simple: true })).toBe(1);
      expect(opened.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(opened.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(compareVersions(opened.sqliteVersion, MIN_SQLITE_VERSION)).toBeGreaterThanOrEqual(0);
      expect(opened.migrationsApplied).toBe(i === 0 ? journalEntries() : 0);
      opened.close();
    }
    const full = await openDatabase({ file, migrationsDir: defaultMigrationsDir(), synchronous: 'FULL' });
    expect(full.sqlite.pragma('synchronous', { simple: true })).toBe(2);
    full.close();
  });

  it('restores the backup when a migration fails halfway, with every row still there', async () => {
    const migrationsDir = join(tmp.dir, 'migrations');
    cpSync(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const file = join(tmp.dir, 'm.db');
    const first = await openDatabase({ file, migrationsDir });
    const insert = first.sqlite.prepare(
      "INSERT INTO settings (key, value_json, created_at, updated_at) VALUES (?, '1', 0, 0)",
    );
    for (let i = 0; i < 100; i++) insert.run(`k${i}`);
    first.close();

    // A new migration whose first statement works and whose second fails.
    const journalPath = join(migrationsDir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
    writeFileSync(journalPath, JSON.stringify(journal));
    writeFileSync(
      join(migrationsDir, '9999_broken.sql'),
      'DELETE FROM settings;\n--> statement-breakpoint\nALTER TABLE no_such_table ADD COLUMN x integer;',
    );

    const failure = await openDatabase({ file, migrationsDir }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatabaseOpenError);
    expect((failure as DatabaseOpenError).code).toBe('MIGRATION_FAILED');
    expect((failure as DatabaseOpenError).message).toMatch(/restored from the backup/);
    const backupPath = (failure as DatabaseOpenError).backupPath;
    expect(backupPath).toBeTruthy();
    expect(statSync(backupPath as string).size).toBeGreaterThan(0);

    const check = new Database(file);
    expect((check.prepare('SELECT COUNT(*) AS n FROM settings').get() as { n: number }).n).toBe(100);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('detects a damaged database at start and names the last backup', async () => {
    const file = join(tmp.dir, 'c.db');
    const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    const insert = opened.sqlite.prepare(
      'INSERT INTO settings (key, value_json, created_at, updated_at) VALUES (?, ?, 0, 0)',
    );
    for (let i = 0; i < 2000; i++) insert.run(`key-${i}`, JSON.stringify('x'.repeat(200)));
    opened.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    opened.close();
    mkdirSync(join(tmp.dir, 'backups'));
    copyFileSync(file, join(tmp.dir, 'backups', 'c.db.2026-01-01T00-00-00-000Z.bak'));

    // Flip bytes across the middle pages of the file (not the header, so SQLite opens it).
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    for (let offset = 8192; offset < size - 4096; offset += 4096)
      writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, offset + 100);
    closeSync(fd);

    const started = performance.now();
    const failure = await openDatabase({ file, migrationsDir: defaultMigrationsDir() }).catch(
      (e: unknown) => e,
    );
    const elapsedMs = performance.now() - started;
    expect(failure).toBeInstanceOf(DatabaseOpenError);
    expect((failure as DatabaseOpenError).code).toBe('CORRUPT');
    expect((failure as DatabaseOpenError).backupPath).toMatch(/c\.db\.2026-01-01.*\.bak$/);
    expect((failure as DatabaseOpenError).message).toMatch(/damaged|Cannot open/);
    console.info(`corruption detected in ${elapsedMs.toFixed(0)} ms`);
  });

  it('refuses a file that is not a database with a clear error', async () => {
    const file = join(tmp.dir, 'junk.db');
    writeFileSync(file, Buffer.alloc(8192, 7));
    const failure = await openDatabase({ file, migrationsDir: defaultMigrationsDir() }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(DatabaseOpenError);
    expect((failure as DatabaseOpenError).code).toBe('CORRUPT');
  });
});

describe('compareVersions', () => {
  it('orders dotted versions numerically', () => {
    expect(compareVersions('3.51.2', '3.51.3')).toBeLessThan(0);
    expect(compareVersions('3.53.2', '3.51.3')).toBeGreaterThan(0);
    expect(compareVersions('3.51.3', '3.51.3')).toBe(0);
    expect(compareVersions('3.100.0', '3.51.3')).toBeGreaterThan(0);
  });
});
