/**
 * The whole first run in Chromium against serve mode, on a fresh data folder, with no id typed:
 * empty app → first-run guide → sample dataset (one click) → new job: the dataset picked from the
 * list, the base model picked from the ones found (the Hugging Face cache), the preset chosen from the
 * GPU's memory → preflight → run (fixture trainer on the fake GPUs, speaking the real protocol) → completed → adapter in the
 * library. Clicks and seconds are counted and printed.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeHfCacheModel } from '../fixtures/fake-model';
import { useE2eSession } from './e2e-session';
import { openApp, runCli } from './serve-harness';
import { writeTinyModel } from './training-setup';

const TRAINERS = fileURLToPath(new URL('../fixtures/trainers', import.meta.url));

describe('first run: from a fresh install to a finished adapter', () => {
  const e2e = useE2eSession({
    viewport: { width: 1440, height: 1000 },
    fakeGpus: true,
    prepare: async (dataDir) => {
      // The one thing a real install brings that this machine cannot: a trainer for the fake GPUs.
      const trainer = [process.execPath, resolve(TRAINERS, 'doctor-shim.mjs'), resolve(TRAINERS, 'merge.mjs')]
        .map((w) => JSON.stringify(w))
        .join(' ');
      await runCli(dataDir, ['settings', 'set', 'trainer.command', trainer]);
      writeHfCacheModel(join(dataDir, 'hf', 'hub'), 'acme/tiny-chat', 'f00dfeed', {
        chatTemplate: 'tokenizer_config',
      });
    },
    serveEnv: (dataDir) => ({ HF_HOME: join(dataDir, 'hf'), HF_HUB_OFFLINE: '1' }),
  });

  it('walks empty app → sample → model → preset → preflight → run → adapter with no id typed', async () => {
    const page = e2e.page();
    let clicks = 0;
    const click = async (target: Locator) => {
      clicks++;
      await target.click();
    };
    const started = Date.now();

    await openApp(page, e2e.server());
    await page.getByTestId('datasets-empty').waitFor();
    await click(page.getByTestId('datasets-open-guide'));
    await page.getByTestId('page-setup').waitFor();
    await page.locator('[data-testid="setup-step-gpu"][data-verdict="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('setup-message-gpu').textContent()).toContain('NVIDIA H100');
    await page.locator('[data-testid="setup-step-model"][data-verdict="ok"]').waitFor();
    await page.locator('[data-testid="setup-step-dataset"][data-verdict="warn"]').waitFor();
    // Starting models sized to the (fake) 80 GB H100s: every one fits with plain LoRA.
    await page.getByTestId('starting-model').first().waitFor();
    expect(await page.locator('[data-testid="starting-model"][data-fit="lora"]').count()).toBe(7);

    await click(page.getByTestId('setup-fix-dataset').getByTestId('datasets-import-sample'));
    await page.locator('[data-testid="setup-step-dataset"][data-verdict="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('setup-message-dataset').textContent()).toContain('250 valid rows');

    await click(page.getByTestId('setup-new-job'));
    await page.getByTestId('job-form').waitFor();
    const option = page.getByTestId('job-dataset-option');
    await option.first().waitFor();
    expect(await option.count()).toBe(1);
    expect(await option.first().textContent()).toContain('Lab assistant (sample)');
    expect(await option.first().textContent()).toContain('250 rows');
    await click(option.first());
    await click(page.getByTestId('model-scan-item'));
    await page.getByTestId('model-info').waitFor();
    // The preset is chosen from the GPU's memory, with one line saying why: no click needed.
    await page.locator('[data-testid="preset-reason"][data-chosen-by="auto"][data-verdict="fits"]').waitFor();
    expect(await page.getByTestId('preset-reason').textContent()).toMatch(/Balanced with LoRA: fits in/);
    expect(await page.getByTestId('preset-balanced').locator('input').isChecked()).toBe(true);
    await page.locator('[data-testid="preflight"][data-state="ok"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="preflight-check"][data-verdict="fail"]').count()).toBe(0);

    await click(page.getByTestId('job-queue'));
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor({ timeout: 120_000 });
    const notes = await page.getByTestId('timeline-entry').first().textContent();
    expect(notes).toContain('dataset frozen automatically as version 1 (250 rows)');

    await click(page.getByTestId('nav-models'));
    const row = page.getByTestId('library-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await click(row.first());
    expect(await page.getByTestId('lineage-dataset').textContent()).toBe('Lab assistant (sample) v1');
    const seconds = (Date.now() - started) / 1000;
    console.log(`first run: ${clicks} clicks, ${seconds.toFixed(1)} s (fixture trainer)`);
  });
});

describe("a new user without the trainer's Python", () => {
  const e2e = useE2eSession({
    prepare: async (dataDir) => {
      writeTinyModel(join(dataDir, 'models', 'tiny'));
      await runCli(dataDir, ['datasets', 'import', '--sample']);
    },
    serveEnv: (dataDir) => ({
      LORA_STUDIO_PYTHON: join(dataDir, 'no-such-python'),
      HF_HOME: join(dataDir, 'hf'),
      HF_HUB_OFFLINE: '1',
    }),
  });

  it("is led from the failed preflight check to the guide's Python step, which says what to do offline", async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/training/new');
    await page.getByTestId('job-dataset-option').first().click();
    await page.getByTestId('job-model-path').fill(join(e2e.dataDir(), 'models', 'tiny'));
    await page
      .locator('[data-testid="preflight-check"][data-check-id="python"][data-verdict="fail"]')
      .waitFor({
        timeout: 30_000,
      });
    await page.getByTestId('preflight-python-fix').click();
    await page.getByTestId('page-setup').waitFor();
    await page.locator('[data-testid="setup-step-python"][data-verdict="fail"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('setup-fix-python').textContent()).toMatch(/offline/);
    // No GPU here: the guide says what still works.
    expect(await page.getByTestId('setup-message-gpu').textContent()).toContain('you can curate datasets');
    // The status bar's reason wraps instead of ending in "…": nothing of it is cut off.
    const detail = page.getByTestId('gpu-none-detail');
    expect(await detail.textContent()).toMatch(/nvidia-smi not found/);
    expect(
      await detail.evaluate(
        (el) => el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight + 1,
      ),
    ).toBe(true);
    const bar = await page.getByTestId('gpu-status').boundingBox();
    expect(bar !== null && bar.y + bar.height <= (page.viewportSize()?.height ?? 0) + 1).toBe(true);
  });
});
