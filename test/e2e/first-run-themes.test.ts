/**
 * Light and dark themes follow the OS (`prefers-color-scheme`, emulated in Chromium) until the
 * Appearance setting forces one. Also writes screenshots of the main pages in both themes to
 * `$THEME_SHOTS_DIR` (default: a temp folder, printed) for a person to look over.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp, runCli } from './serve-harness';
import { writeTinyModel } from './training-setup';

/** The page background the theme paints (global.css's --bg for light and dark). */
const LIGHT_BG = 'rgb(246, 247, 249)';
const DARK_BG = 'rgb(19, 21, 24)';

const background = (page: Page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

/** Waits until the page paints `expected` (a theme change is a settings round trip away). */
async function expectBackground(page: Page, expected: string): Promise<void> {
  await expect.poll(() => background(page), { timeout: 10_000 }).toBe(expected);
}

describe('themes', () => {
  const e2e = useE2eSession({
    fakeGpus: true,
    viewport: { width: 1440, height: 900 },
    prepare: async (dataDir) => {
      writeTinyModel(join(dataDir, 'models', 'tiny'));
      await runCli(dataDir, ['datasets', 'import', '--sample']);
    },
  });

  it('follows the OS colour scheme, and the setting forces one either way', async () => {
    const page = e2e.page();
    await page.emulateMedia({ colorScheme: 'dark' });
    await openApp(page, e2e.server(), '#/settings');
    await expectBackground(page, DARK_BG);
    await page.emulateMedia({ colorScheme: 'light' });
    await expectBackground(page, LIGHT_BG);

    // Forced dark while the OS is light…
    const theme = page.getByTestId('settings-theme');
    await theme.selectOption('dark');
    await page.getByTestId('settings-save').click();
    await expectBackground(page, DARK_BG);
    // …and it stays dark across a reload, painted before the settings arrive.
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    expect(await background(page)).toBe(DARK_BG);

    // Forced light while the OS is dark.
    await page.emulateMedia({ colorScheme: 'dark' });
    await theme.selectOption('light');
    await page.getByTestId('settings-save').click();
    await expectBackground(page, LIGHT_BG);

    // Back to the system: the OS decides again.
    await theme.selectOption('system');
    await page.getByTestId('settings-save').click();
    await expectBackground(page, DARK_BG);
    await page.emulateMedia({ colorScheme: 'light' });
    await expectBackground(page, LIGHT_BG);
  });

  it('paints the main pages in both themes (screenshots for a person to check)', async () => {
    const page = e2e.page();
    const dir = process.env.THEME_SHOTS_DIR ?? join(tmpdir(), `lora-studio-theme-shots-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const model = encodeURIComponent(join(e2e.dataDir(), 'models', 'tiny'));
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page, e2e.server(), '#/datasets');
      await expectBackground(page, scheme === 'dark' ? DARK_BG : LIGHT_BG);
      const shots: ReadonlyArray<readonly [string, string, string]> = [
        ['datasets', '#/datasets', 'datasets-table'],
        ['setup', '#/setup', 'setup-step-gpu'],
        ['new-job', `#/training/new?model=${model}`, 'preset-reason'],
        ['training', '#/training', 'page-training'],
        ['gpus', '#/gpus', 'app-shell'],
        ['models', '#/models', 'app-shell'],
        ['costs', '#/costs', 'app-shell'],
        ['settings', '#/settings', 'about-panel'],
      ];
      for (const [name, hash, ready] of shots) {
        await page.goto(`${e2e.server().url}${hash}`);
        await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
        await page.screenshot({ path: join(dir, `${name}-${scheme}.png`) });
      }
      // A dataset with its rows and an open invalid row; the shortcuts sheet over it.
      await page.goto(`${e2e.server().url}#/datasets`);
      await page.getByTestId('datasets-row').first().click();
      await page.getByTestId('rows-filters-toggle').click();
      await page.getByTestId('filter-valid').selectOption('invalid');
      await page.locator('[data-testid="rows-total"][data-total="2"]').waitFor();
      await page.locator('[data-testid="row-item"][data-valid="false"]').first().click();
      await page.getByTestId('row-detail').waitFor();
      await page.screenshot({ path: join(dir, `dataset-${scheme}.png`) });
      await page.keyboard.press('Escape');
      await page.getByTestId('shortcuts-open').click();
      await page.getByTestId('shortcuts-sheet').waitFor();
      await page.screenshot({ path: join(dir, `shortcuts-${scheme}.png`) });
      await page.keyboard.press('Escape');
    }
    console.log(`theme screenshots: ${dir}`);
  });
});
