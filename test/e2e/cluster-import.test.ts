import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';
import { fixtureTrainer, writeTinyModel } from './training-setup';

/**
 * "Import run" on the Training page: a finished run folder from elsewhere (made here by the `ok.mjs`
 * fixture trainer, which speaks the real protocol) becomes a completed job with its steps and loss.
 */
describe('importing a run from elsewhere through the UI', () => {
  const e2e = useE2eSession({ startServe: false, viewport: { width: 1440, height: 1000 } });

  it('imports a finished run folder and opens it as a completed job', async () => {
    const dataDir = e2e.dataDir();
    const page = e2e.page();
    const model = writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
    const remote = join(dataDir, 'remote-run');
    mkdirSync(remote, { recursive: true });
    writeFileSync(
      join(remote, 'config.json'),
      JSON.stringify({ base_model: model, max_steps: 12, logging_steps: 1, save_steps: 6, eval_steps: 6 }),
    );
    const ran = spawnSync(process.execPath, [fixtureTrainer('ok.mjs'), 'train', '--run-dir', remote], {
      encoding: 'utf8',
      env: { ...process.env, FIXTURE_STEP_MS: '1' },
    });
    expect(ran.status, ran.stderr).toBe(0);

    const server = await e2e.startServe();
    await openApp(page, server, '#/training');
    await page.getByTestId('training-empty').waitFor();

    await page.getByTestId('training-import-run').click();
    await page.getByTestId('import-run-dialog').waitFor();
    await page.getByTestId('import-run-path').fill(join(dataDir, 'models'));
    await page.getByTestId('import-run-confirm').click();
    expect(await page.getByTestId('import-run-error').textContent()).toContain('has no events.jsonl');

    await page.getByTestId('import-run-path').fill(remote);
    await page.getByTestId('import-run-confirm').click();
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor();
    expect(await page.getByTestId('job-page-step').textContent()).toBe('12 / 12');
    expect(await page.getByTestId('job-page-loss').textContent()).toMatch(/^\d+\.\d{4}$/);
    await page.screenshot({ path: '/tmp/cluster-import-run.png' });

    await page.getByTestId('nav-training').click();
    await page.locator('[data-testid="job-row"]', { hasText: 'imported remote-run' }).waitFor();
  });
});
