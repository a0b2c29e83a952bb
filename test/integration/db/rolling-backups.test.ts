/**
 * Defect 6 wired: the primary core takes a rolling backup when one is due at start and on a clean
 * exit, keeps the last 7, lists them on `backups.list`; the CLI lists, takes and restores them,
 * and refuses to restore while an app holds the data folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKUPS_KEPT } from '../../../db/backups';
import { type Core, createCore } from '../../../main/core';
import type { BackupList } from '../../../preload/contract';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

const env: NodeJS.ProcessEnv = { ...process.env, PATH: `/nonexistent:${process.env.PATH}` };
delete env.LORA_STUDIO_HOME;

async function list(core: Core): Promise<BackupList> {
  const result = await core.api.invoke('backups.list', {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value as BackupList;
}

/** The currency setting as stored in the SQLite file itself. */
function storedCurrency(file: string): string | null {
  const db = new Database(file, { readonly: true });
  const row = db.prepare("SELECT value_json AS value FROM settings WHERE key = 'energy.currency'").get() as
    | { value: string }
    | undefined;
  db.close();
  return row ? (JSON.parse(row.value) as string) : null;
}

describe('rolling backups of the primary core', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('backs up at start when due and on a clean exit, keeping the last 7', async () => {
    const dataDir = join(tmp.dir, 'data');
    const core = await createCore({ dataDir, backups: true });
    // The start-up backup runs in the background: wait for it to land.
    for (let i = 0; i < 100 && (await list(core)).backups.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const atStart = await list(core);
    expect(atStart.backups.map((b) => b.kind)).toEqual(['rolling']);
    expect(atStart.backups[0]!.sizeBytes).toBeGreaterThan(0);
    expect(atStart.dir).toBe(join(dataDir, 'backups'));
    expect(atStart.rollingKept).toBe(7);
    for (let i = 0; i < BACKUPS_KEPT.rolling + 2; i++) {
      const made = await core.api.invoke('backups.create', {});
      expect(made.ok).toBe(true);
    }
    const after = await list(core);
    expect(after.backups).toHaveLength(BACKUPS_KEPT.rolling);
    // Newest first.
    const times = after.backups.map((b) => b.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const newestBeforeExit = after.backups[0]!.name;
    await core.close();
    const names = readdirSync(join(dataDir, 'backups')).filter((n) => n.endsWith('.rolling.bak'));
    expect(names).toHaveLength(BACKUPS_KEPT.rolling);
    expect(names.sort().at(-1)).not.toBe(newestBeforeExit); // the exit backup is the newest
  });

  it('takes no backup at start when the newest is less than a day old', async () => {
    const dataDir = join(tmp.dir, 'data');
    const first = await createCore({ dataDir, backups: true });
    await first.close(); // start-up + exit backups
    const count = readdirSync(join(dataDir, 'backups')).length;
    const second = await createCore({ dataDir, backups: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(count);
    await second.close();
    expect(readdirSync(join(dataDir, 'backups'))).toHaveLength(count + 1); // the exit backup
  });

  it('the CLI lists, takes and restores backups; restore is refused while an app holds the folder', async () => {
    const dataDir = join(tmp.dir, 'data');
    const file = join(dataDir, 'lora-studio.db');
    // No app running: the CLI's own core is the primary and takes the backup.
    const set = await runCli(['settings', 'set', 'energy.currency', 'EUR', '--data-dir', dataDir], env);
    expect(set.code, set.stderr).toBe(0);
    const made = await runCli(['db', 'backup', '--json', '--data-dir', dataDir], env);
    expect(made.code, made.stderr).toBe(0);
    const backup = JSON.parse(made.stdout) as { name: string; sizeBytes: number };
    expect(backup.sizeBytes).toBeGreaterThan(0);
    const core = await createCore({ dataDir, backups: false });
    expect((await core.api.invoke('settings.update', { 'energy.currency': 'GBP' })).ok).toBe(true);

    const refused = await runCli(['db', 'restore', backup.name, '--json', '--data-dir', dataDir], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('CONFLICT');
    expect(JSON.parse(refused.stdout).error.message).toMatch(/pid \d+.*quit it/);
    await core.close();
    expect(storedCurrency(file)).toBe('GBP');

    const listed = await runCli(['db', 'backups', '--data-dir', dataDir], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(backup.name);

    const junk = await runCli(
      ['db', 'restore', join(dataDir, 'lora-studio.endpoint.json'), '--data-dir', dataDir],
      env,
    );
    expect(junk.code).not.toBe(0);
    const missing = await runCli(['db', 'restore', 'nope.bak', '--data-dir', dataDir], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No backup "nope.bak"/);
    expect(storedCurrency(file)).toBe('GBP'); // nothing half-done

    const restored = await runCli(['db', 'restore', backup.name, '--json', '--data-dir', dataDir], env);
    expect(restored.code, restored.stderr).toBe(0);
    const out = JSON.parse(restored.stdout) as { keptAs: string };
    expect(existsSync(out.keptAs)).toBe(true);
    expect(storedCurrency(file)).toBe('EUR');
    expect(storedCurrency(out.keptAs)).toBe('GBP');
  }, 120_000);
});
