/**
 * DB-corrupt, the shells' shared decision (main/backups/startup-core.ts `openCoreOrStartup`, used by
 * both serve and the Electron shell): the real core when the database opens; the start-up core when
 * it cannot, answering only the restore channel, holding the folder, and switching to a real core
 * opened on the restored backup; any other failure thrown. Real cores on real SQLite files.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoreOrStartup } from '../../../main/backups/startup-core';
import { type Core, createCore } from '../../../main/core';
import { CoreLock } from '../../../main/core-lock';
import { databaseFile } from '../../../main/paths';
import type { Result } from '../../../preload/contract';
import { makeTempDir } from '../../helpers/temp-dir';

let tmp: ReturnType<typeof makeTempDir>;
let dataDir: string;
const closers: Array<() => Promise<void>> = [];
beforeEach(() => {
  tmp = makeTempDir('lora-startup-');
  dataDir = join(tmp.dir, 'data');
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  tmp.cleanup();
});

const open = () => createCore({ dataDir, shell: 'test' });

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** A data folder with the currency set to CHF and one backup of it, then the database overwritten. */
async function damagedFolderWithBackup(): Promise<string> {
  const core = await open();
  value(await core.api.invoke('settings.update', { 'energy.currency': 'CHF' }));
  const backup = value<{ name: string }>(await core.api.invoke('backups.create', {}));
  await core.close();
  const file = databaseFile(dataDir);
  for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  writeFileSync(file, Buffer.alloc(64 * 1024, 7)); // not a database any more
  return backup.name;
}

describe('openCoreOrStartup: the start-up decision both shells share', () => {
  it('serves the real core when the database opens', async () => {
    const running = await openCoreOrStartup({ dataDir, shell: 'test', open });
    closers.push(() => running.close());
    expect(running.startupError).toBeNull();
    expect(running.current()).not.toBeNull();
    const info = value<{ isPrimary: boolean }>(await running.served.api.invoke('app.info', {}));
    expect(info.isPrimary).toBe(true);
    await running.close();
    expect(running.current()).toBeNull();
    expect(CoreLock.holder(dataDir)).toBeNull();
  });

  it('serves the start-up core for a damaged database, and switches to the restored one', async () => {
    const backupName = await damagedFolderWithBackup();
    const reopened: Core[] = [];
    const running = await openCoreOrStartup({
      dataDir,
      shell: 'test',
      open,
      onReopened: async (core) => {
        reopened.push(core);
      },
    });
    closers.push(() => running.close());
    expect(running.startupError?.message).toBeTruthy();
    expect(running.current()).toBeNull();
    // It holds the folder: no other app opens it meanwhile.
    expect(CoreLock.holder(dataDir)?.pid).toBe(process.pid);

    // Every channel but the restore answers UNAVAILABLE, with what the error screen shows.
    for (const channel of ['app.info', 'settings.get', 'jobs.list']) {
      const refused = await running.served.api.invoke(channel, {});
      expect(refused.ok, channel).toBe(false);
      if (refused.ok) continue;
      expect(refused.error.code).toBe('UNAVAILABLE');
      expect(refused.error.message).toMatch(/^LoRA Studio could not open its database: /);
      const failure = (refused.error.details as { startupFailure: { backups: Array<{ name: string }> } })
        .startupFailure;
      expect(failure.backups.map((b) => b.name)).toEqual([backupName]);
    }
    const bad = await running.served.api.invoke('startup.restoreBackup', { name: 42 });
    expect(bad.ok ? null : bad.error.code).toBe('BAD_INPUT');
    const unknown = await running.served.api.invoke('startup.restoreBackup', { name: '../lora-studio.db' });
    expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
    expect(reopened).toHaveLength(0);

    const restored = value<{ restored: string; keptAs: string | null }>(
      await running.served.api.invoke('startup.restoreBackup', { name: backupName }),
    );
    expect(restored.keptAs).toBeTruthy();
    expect(readdirSync(dataDir).filter((n) => n.startsWith('lora-studio.db.damaged-'))).toHaveLength(1);
    // The same served object now answers from the real core on the backup's data.
    expect(reopened).toHaveLength(1);
    expect(running.current()).toBe(reopened[0]);
    const settings = value<Record<string, unknown>>(await running.served.api.invoke('settings.get', {}));
    expect(settings['energy.currency']).toBe('CHF');
    // A second restore reaches the running core, which refuses it.
    const again = await running.served.api.invoke('startup.restoreBackup', { name: backupName });
    expect(again.ok).toBe(false);
    await running.close();
    expect(CoreLock.holder(dataDir)).toBeNull();
    expect(existsSync(databaseFile(dataDir))).toBe(true);
  });

  it('throws a failure that is not the database, holding nothing', async () => {
    await expect(
      openCoreOrStartup({
        dataDir,
        shell: 'test',
        open: () => Promise.reject(new Error('the GPU driver exploded')),
      }),
    ).rejects.toThrow('the GPU driver exploded');
    expect(CoreLock.holder(dataDir)).toBeNull();
  });
});
