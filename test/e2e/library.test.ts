/**
 * What a run leaves behind, in Chromium against serve mode: a run on the fake GPU (fixture trainer,
 * fixture nvidia-smi reporting power) through the form, then the notification centre (filter, open
 * the run), the model library (detail, lineage, Ollama export) and the Costs page with a budget.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { fullPageScreenshot } from './full-page-screenshot';
import { fillJobForm } from './job-form';
import { openApp, runCli } from './serve-harness';
import { insertFrozenVersion, writeTinyModel } from './training-setup';

const TRAINERS = fileURLToPath(new URL('../fixtures/trainers', import.meta.url));

describe('the library, costs and notifications in the browser', () => {
  const e2e = useE2eSession({ fakeGpus: true, startServe: false, viewport: { width: 1440, height: 1000 } });

  it('a run on the GPU leaves an adapter, a cost against the budget and notifications', async () => {
    const dataDir = e2e.dataDir();
    const page = e2e.page();
    const model = writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
    const trainer = [process.execPath, resolve(TRAINERS, 'doctor-shim.mjs'), resolve(TRAINERS, 'merge.mjs')]
      .map((w) => JSON.stringify(w))
      .join(' ');
    await runCli(dataDir, ['settings', 'set', 'trainer.command', trainer]);
    await runCli(dataDir, ['settings', 'set', 'energy.pricePerKwh', '100']);
    await runCli(dataDir, ['settings', 'set', 'budget.monthly', '0.001']);
    const version = insertFrozenVersion(dataDir);
    const server = await e2e.startServe();
    await openApp(page, server, '#/training/new');

    // ~10 ms a step: 400 steps give the fake nvidia-smi a few seconds of power readings.
    await fillJobForm(page, {
      name: 'arith on gpu',
      version: version.versionId,
      model,
      gpu: 0,
      settings: { max_steps: '400', save_steps: '100' },
    });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor({ timeout: 60_000 });
    await page
      .locator('[data-testid="job-live-cost"][data-final="true"]')
      .filter({ hasText: 'Wh' })
      .waitFor();

    // The notification centre: the run, and the budget crossed at 80% and 100%.
    await page.getByTestId('notifications-unread').waitFor();
    await page.getByTestId('notifications-bell').click();
    const items = page.getByTestId('notification-item');
    await items.filter({ hasText: 'Monthly budget spent' }).waitFor();
    await items.filter({ hasText: 'Training finished: arith on gpu' }).waitFor();
    expect(await items.filter({ hasText: 'Training finished: arith on gpu' }).textContent()).toMatch(
      /final loss \d\.\d{4}/,
    );
    await page.getByTestId('notifications-filter-budget').click();
    await expect.poll(() => items.count()).toBe(2);
    await page.getByTestId('notifications-filter-all').click();
    await fullPageScreenshot(page, '/tmp/library-notifications.png');
    await items.filter({ hasText: 'Training finished' }).getByTestId('notification-open').click();
    await page.getByTestId('page-job').waitFor();
    expect(page.url()).toContain('#/training/jobs/');
    await page.getByTestId('notifications-bell').click();
    expect(await items.filter({ hasText: 'Training finished' }).getAttribute('data-read')).toBe('true');
    await page.keyboard.press('Escape');

    // The library: the adapter, its detail, lineage links and the Ollama export.
    await page.getByTestId('nav-models').click();
    const row = page.getByTestId('library-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await page.getByTestId('library-search').fill('no such thing');
    await page.getByTestId('library-no-match').waitFor();
    await page.getByTestId('library-search').fill('arith');
    await row.first().click();
    const detail = page.getByTestId('artifact-detail');
    await detail.waitFor();
    expect(await page.getByTestId('artifact-sha256').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('artifact-path').textContent()).toMatch(/runs\/job_[^/]+\/adapter$/);
    expect(await page.getByTestId('lineage-dataset').textContent()).toBe('arithmetic v1');
    expect(await page.getByTestId('lineage-job').textContent()).toBe('arith on gpu');
    await page.getByTestId('artifact-export-ollama').click();
    expect(await page.getByTestId('artifact-ollama-command').textContent()).toMatch(
      /^ollama create arith-on-gpu -f ".*Modelfile"$/,
    );
    // Try it: the base model and the adapter side by side (the fixture generator echoes the prompt).
    await page.getByTestId('try-prompt').fill('two plus two');
    await page.getByTestId('try-run').click();
    await page.locator('[data-testid="try-adapter"][data-state="done"]').waitFor();
    expect(await page.getByTestId('try-base-text').textContent()).toBe('[base] echo: two plus two');
    expect(await page.getByTestId('try-adapter-text').textContent()).toBe(
      '[adapter adapter] echo: two plus two',
    );
    await fullPageScreenshot(page, '/tmp/library-models.png');
    await page.getByTestId('artifact-merge-start').click();
    await page.getByTestId('artifact-merge-outcome').filter({ hasText: 'Merged' }).waitFor();
    await expect.poll(() => row.count()).toBe(2);
    expect(await row.filter({ hasText: 'merged' }).count()).toBe(1);
    await page.getByTestId('lineage-job').click();
    await page.getByTestId('page-job').waitFor();

    await page.getByTestId('nav-training').click();
    await page.getByTestId('job-cost').filter({ hasText: /€|EUR/ }).first().waitFor();

    // Costs: the run's energy and cost, spend over the budget, the chart.
    await page.getByTestId('nav-costs').click();
    await page.getByTestId('costs-job-row').first().waitFor();
    const fraction = Number(await page.getByTestId('costs-budget').getAttribute('data-fraction'));
    expect(fraction).toBeGreaterThan(1);
    expect(await page.getByTestId('costs-job-row').textContent()).toMatch(/NVIDIA H100.*Wh/);
    expect(Number(await page.getByTestId('costs-chart').getAttribute('data-points'))).toBe(1);
    await fullPageScreenshot(page, '/tmp/library-costs.png');
  }, 120_000);
});
