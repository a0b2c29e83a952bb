import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUPS_KEPT, listBackups, restoreBackup, rollingBackupDue, takeBackup } from '../../../db/backups';
import { DatabaseOpenError, openDatabase } from '../../../db/open';
import { defaultMigrationsDir } from '../../../main/paths';
import { makeTempDir } from '../../helpers/temp-dir';

/** The pid of a process that has exited (so no live process owns it, barring reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

function countSettings(file: string): number {
  const db = new Database(file, { readonly: true });
  const n = (db.prepare('SELECT COUNT(*) AS n FROM settings').get() as { n: number }).n;
  db.close();
  return n;
}

describe('integrity check at open', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('skips quick_check on a big file after a clean shutdown and runs it after an unclean one', async () => {
    const file = join(tmp.dir, 'big.db');
    const options = { file, migrationsDir: defaultMigrationsDir(), quickCheckMaxBytes: 0 };
    const first = await openDatabase(options);
    expect(first.integrityCheck).toEqual({ ran: true, reason: 'small-file' }); // a new file
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('big.db.open-'))).toEqual([
      `big.db.open-${process.pid}`,
    ]);
    first.close();
    expect(readdirSync(tmp.dir).some((n) => n.startsWith('big.db.open-'))).toBe(false);

    const clean = await openDatabase(options);
    expect(clean.integrityCheck).toEqual({ ran: false, reason: 'skipped-clean-shutdown' });
    clean.close();

    // A process that had it open and died without closing leaves its marker behind.
    const pid = deadPid();
    writeFileSync(`${file}.open-${pid}`, `${pid}\n`);
    const afterCrash = await openDatabase(options);
    expect(afterCrash.integrityCheck).toEqual({ ran: true, reason: 'unclean-shutdown' });
    expect(existsSync(`${file}.open-${pid}`)).toBe(false);
    afterCrash.close();
  });

  it('leaves the marker of a live process alone and does not take it for a crash', async () => {
    const file = join(tmp.dir, 'live.db');
    const options = { file, migrationsDir: defaultMigrationsDir(), quickCheckMaxBytes: 0 };
    (await openDatabase(options)).close();
    // The parent of this test runner is alive: its marker means "open elsewhere", not "crashed".
    writeFileSync(`${file}.open-${process.ppid}`, 'x');
    const opened = await openDatabase(options);
    expect(opened.integrityCheck.reason).toBe('skipped-clean-shutdown');
    expect(existsSync(`${file}.open-${process.ppid}`)).toBe(true);
    opened.close();
  });

  it('says in one sentence why a migration failed, without the SQL', async () => {
    const migrationsDir = join(tmp.dir, 'migrations');
    cpSync(defaultMigrationsDir(), migrationsDir, { recursive: true });
    const file = join(tmp.dir, 'm.db');
    const first = await openDatabase({ file, migrationsDir });
    first.sqlite.prepare("INSERT INTO settings VALUES ('k', '1', 0, 0)").run();
    first.close();
    const journalPath = join(migrationsDir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag: '9999_broken' });
    writeFileSync(journalPath, JSON.stringify(journal));
    const longSql = `ALTER TABLE no_such_table ADD COLUMN x integer; -- ${'padding '.repeat(200)}`;
    writeFileSync(join(migrationsDir, '9999_broken.sql'), longSql);
    const error = console.error;
    console.error = () => {};
    const failure = await openDatabase({ file, migrationsDir })
      .catch((e: unknown) => e)
      .finally(() => {
        console.error = error;
      });
    expect(failure).toBeInstanceOf(DatabaseOpenError);
    const message = (failure as DatabaseOpenError).message;
    expect(message).toMatch(
      /^Updating the database failed \(no such table: no_such_table\); your data was restored/,
    );
    expect(message).not.toMatch(/ALTER TABLE|padding/);
    expect(message.length).toBeLessThan(300);
    expect(countSettings(file)).toBe(1);
  });
});

describe('rolling backups', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('takes online backups, keeps the newest seven, and knows when the next is due', async () => {
    const file = join(tmp.dir, 'lora-studio.db');
    const backupDir = join(tmp.dir, 'backups');
    const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    const insert = opened.sqlite.prepare("INSERT INTO settings VALUES (?, '1', 0, 0)");
    const day = 86_400_000;
    const t0 = Date.UTC(2026, 0, 1);
    expect(rollingBackupDue(backupDir, file, t0, day)).toBe(true);
    for (let i = 0; i < 9; i++) {
      insert.run(`k${i}`);
      await takeBackup(opened.sqlite, { file, backupDir, kind: 'rolling', now: t0 + i * day });
    }
    const kept = listBackups(backupDir, file);
    expect(kept).toHaveLength(BACKUPS_KEPT.rolling);
    expect(kept.every((b) => b.kind === 'rolling' && b.sizeBytes > 0)).toBe(true);
    expect(kept[0]?.name).toContain('2026-01-03'); // the two oldest went
    expect(rollingBackupDue(backupDir, file, Date.now(), day)).toBe(false);
    expect(readdirSync(backupDir).some((n) => n.endsWith('.partial'))).toBe(false);
    // The newest backup has every row written before it.
    expect(countSettings(kept.at(-1)?.path as string)).toBe(9);
    opened.close();
  });

  it('restores a backup and keeps the file it replaces', async () => {
    const file = join(tmp.dir, 'lora-studio.db');
    const backupDir = join(tmp.dir, 'backups');
    const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    opened.sqlite.prepare("INSERT INTO settings VALUES ('before', '1', 0, 0)").run();
    const backup = await takeBackup(opened.sqlite, { file, backupDir, kind: 'rolling' });
    opened.sqlite.prepare("INSERT INTO settings VALUES ('after', '1', 0, 0)").run();
    opened.close();

    const keptAs = restoreBackup({ file, backupPath: backup });
    expect(keptAs).toMatch(/lora-studio\.db\.damaged-/);
    expect(countSettings(keptAs as string)).toBe(2);
    const reopened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    expect(reopened.sqlite.prepare('SELECT key FROM settings ORDER BY key').all()).toEqual([
      { key: 'before' },
    ]);
    reopened.close();
    expect(() => restoreBackup({ file, backupPath: join(backupDir, 'missing.bak') })).toThrow(/No backup/);
  });
});
