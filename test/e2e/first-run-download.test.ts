/**
 * Downloading a base model from the Get-started page: the guide says up front that the Hub did not
 * answer; a download (fixture trainer speaking the download command's real protocol lines) shows its
 * progress in bytes, can be cancelled, and ends in the model being offered to the new-job form. The
 * real trainer on this offline machine says so, with the way forward, instead of failing obscurely.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';
import { setFixtureTrainer } from './training-setup';

const ROW = '[data-testid="model-download"][data-repo="Qwen/Qwen2.5-0.5B-Instruct"]';

describe('downloading a starting model (fixture trainer)', () => {
  const e2e = useE2eSession({
    viewport: { width: 1440, height: 1000 },
    // The trainer command (behind the doctor shim) is the fixture that speaks `download`.
    prepare: (dataDir) => setFixtureTrainer(dataDir, 'download.mjs'),
    serveEnv: (dataDir) => ({
      HF_HOME: join(dataDir, 'hf'),
      // This machine is offline anyway; declared, the guide need not wait for the probe.
      HF_HUB_OFFLINE: '1',
      FIXTURE_DOWNLOAD_CHUNKS: '16',
      FIXTURE_DOWNLOAD_STEP_MS: '250',
    }),
  });

  it('says the Hub did not answer, shows bytes while downloading, cancels, and hands the model to a new job', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/setup');
    const row = page.locator(ROW);
    await row.getByTestId('model-download-offline').waitFor({ timeout: 30_000 });
    expect(await row.getByTestId('model-download-start').textContent()).toContain('Try anyway');

    await row.getByTestId('model-download-start').click();
    await row.locator('[data-testid="model-download-progress"][data-fraction]').waitFor();
    await expect
      .poll(async () => row.getByTestId('model-download-bytes').textContent())
      .toMatch(/^[\d.]+ (B|KB|MB) of 762\.9 MB$/);
    await page.locator(`${ROW}[data-state="done"]`).waitFor({ timeout: 30_000 });
    await row.getByTestId('model-download-use').click();
    await page.getByTestId('page-new-job').waitFor();
    expect(await page.getByTestId('job-model-path').inputValue()).toMatch(
      /hf\/hub\/models--Qwen--Qwen2\.5-0\.5B-Instruct\/snapshots\/\w+$/,
    );
    await page.getByTestId('model-info').waitFor();

    // Another model by id, cancelled mid-way.
    await page.goto(`${e2e.server().url}#/setup`);
    await page.getByTestId('hub-download-id').fill('acme/tiny-chat');
    await page.getByTestId('hub-download-choose').click();
    const other = page.locator('[data-testid="model-download"][data-repo="acme/tiny-chat"]');
    await other.getByTestId('model-download-start').click();
    await other.locator('[data-testid="model-download-progress"][data-fraction]').waitFor();
    await other.getByTestId('model-download-cancel').click();
    await page
      .locator('[data-testid="model-download"][data-repo="acme/tiny-chat"][data-state="cancelled"]')
      .waitFor();
    expect(await other.getByTestId('model-download-start').textContent()).toContain('Retry');
  });
});

describe('downloading on this offline machine (the real trainer)', () => {
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
  }).trim();
  const e2e = useE2eSession({
    serveEnv: (dataDir) => ({
      LORA_STUDIO_PYTHON: python,
      HF_HOME: join(dataDir, 'hf'),
      HF_HUB_OFFLINE: '1',
    }),
  });

  it('says the machine is offline and what to do instead', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/setup');
    const row = page.locator(ROW);
    await row.getByTestId('model-download-offline').waitFor({ timeout: 30_000 });
    await row.getByTestId('model-download-start').click();
    const error = row.locator('[data-testid="model-download-error"][data-reason="offline"]');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/this machine is offline.*copy the model folder here/);
  });
});
