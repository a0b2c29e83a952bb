/**
 * Defect 6, as a person meets it: the database of the data folder is damaged, `serve` still starts
 * and the browser shows the start-up error screen with the backups kept; "Restore this backup"
 * opens the app on the backup's data, and the damaged file is kept beside the database.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { runCli } from './serve-harness';

describe('start-up with a damaged database', () => {
  const e2e = useE2eSession({
    prepare: async (dataDir) => {
      await runCli(dataDir, ['settings', 'set', 'energy.currency', 'CHF']);
      await runCli(dataDir, ['db', 'backup']);
      const file = join(dataDir, 'lora-studio.db');
      for (const suffix of ['-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      writeFileSync(file, Buffer.alloc(64 * 1024, 7)); // not a database any more
    },
  });

  it('shows the error screen with the backups, and restoring one opens the app on its data', async () => {
    const page = e2e.page();
    const server = e2e.server();
    expect(server.stderr()).toMatch(/could not open its database/);
    await page.goto(server.url);
    await page.getByTestId('startup-error').waitFor();
    expect(await page.getByTestId('startup-error-message').textContent()).toMatch(
      /could not open its database/,
    );
    const rows = page.getByTestId('startup-backup');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/rolling/);

    await page.getByTestId('startup-restore').first().click();
    await page.getByTestId('app-shell').waitFor();
    await page.goto(`${server.url}#/settings`);
    const currency = page.getByTestId('settings-currency');
    await currency.waitFor();
    expect(await currency.inputValue()).toBe('CHF');
    const kept = readdirSync(e2e.dataDir()).filter((n) => n.startsWith('lora-studio.db.damaged-'));
    expect(kept).toHaveLength(1);
    expect(existsSync(join(e2e.dataDir(), 'lora-studio.endpoint.json'))).toBe(true); // now the primary
  });
});
