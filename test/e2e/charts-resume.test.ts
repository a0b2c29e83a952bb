import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalGroup } from '../../main/training/process-info';
import {
  launchChromium,
  makeDataDir,
  openApp,
  removeDataDir,
  type ServeProcess,
  startServe,
} from './serve-harness';
import { insertFrozenVersion, setFixtureTrainer, writeTinyModel } from './training-setup';

const MAX_STEPS = 60;

/** One value from the data folder's database (the page shows neither the pid nor the attempts). */
function lookUp(dataDir: string, sql: string, ...args: unknown[]): number | null {
  const db = new Database(join(dataDir, 'lora-studio.db'), { readonly: true });
  try {
    return (db.prepare(sql).get(...args) as { n: number | null }).n;
  } finally {
    db.close();
  }
}

/** The loss chart's point count in the page (compiled without the DOM library: a string). */
const LOSS_POINTS = `Number(document.querySelector('[data-testid="chart-loss-canvas"]')?.getAttribute('data-points'))`;

describe('a resumed run’s charts (fixture trainer killed after a checkpoint, then resumed)', () => {
  let browser: Browser;
  let dataDir: string;
  let server: ServeProcess;
  let page: Page;
  const previousStepMs = process.env.FIXTURE_STEP_MS;

  beforeAll(async () => {
    process.env.FIXTURE_STEP_MS = '150';
    browser = await launchChromium();
    dataDir = await makeDataDir();
    const model = writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
    await mkdir(join(dataDir, 'hf'), { recursive: true });
    await setFixtureTrainer(dataDir, 'resumable.mjs');
    const version = insertFrozenVersion(dataDir);
    server = await startServe({ dataDir });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });

    await openApp(page, server, '#/training/new');
    await page.getByTestId('job-form').waitFor();
    await page.getByTestId('job-name').fill('resumed run');
    await page.getByTestId('job-dataset-version').fill(version.versionId);
    await page.getByTestId('job-model-path').fill(model);
    await page.getByTestId('model-info').waitFor();
    await page.getByTestId('preset-fast').click();
    await page.getByTestId('gpu-option-cpu').check();
    await page.getByTestId('job-advanced').locator('summary').click();
    const settings = { max_steps: String(MAX_STEPS), logging_steps: '1', save_steps: '10' };
    for (const [key, value] of Object.entries(settings)) await page.getByTestId(`setting-${key}`).fill(value);
    await page.locator('[data-testid="preflight"][data-state="ok"]').waitFor();
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-job-id]').waitFor();
  }, 120_000);

  afterAll(async () => {
    if (previousStepMs === undefined) delete process.env.FIXTURE_STEP_MS;
    else process.env.FIXTURE_STEP_MS = previousStepMs;
    await page?.close();
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await removeDataDir(dataDir);
  });

  it('shows the latest attempt’s curve, the re-run steps faded behind it, and says so', async () => {
    const id = (await page.getByTestId('page-job').getAttribute('data-job-id'))!;
    // Past the checkpoint at step 20, the trainer dies (the OOM killer, say).
    await page.waitForFunction(`${LOSS_POINTS} >= 25`, undefined, { timeout: 60_000 });
    const pid = lookUp(dataDir, 'SELECT pid AS n FROM training_jobs WHERE id = ?', id);
    expect(pid).not.toBeNull();
    signalGroup(pid!, 'SIGKILL');
    await page.locator('[data-testid="page-job"][data-status="failed"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('job-charts-superseded').count()).toBe(0);
    const killedAt = lookUp(
      dataDir,
      "SELECT MAX(step) AS n FROM metrics_points WHERE job_id = ? AND name = 'loss' AND attempt = 1",
      id,
    )!;
    // The newest checkpoint the killed attempt wrote: where the resume continues from.
    const checkpoint = Math.max(
      ...readFileSync(join(dataDir, 'runs', id, 'events.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('"checkpoint"'))
        .map((line) => (JSON.parse(line) as { step: number }).step),
    );
    expect(killedAt).toBeGreaterThan(checkpoint);
    expect(checkpoint).toBeGreaterThanOrEqual(20);

    // Resume: the new attempt re-runs the steps after the last checkpoint; the page, watching
    // live, sees steps it already holds come again and loads the run anew.
    await page.getByTestId('job-resume').click();
    const note = page.getByTestId('job-charts-superseded');
    await note.waitFor({ timeout: 60_000 });
    expect(await note.textContent()).toMatch(
      /^Resumed run: steps? [\d,–]+ of attempt 1 were run again after the resume\./,
    );
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor({ timeout: 90_000 });
    // Every step once on the current curve, and the killed attempt's steps past its checkpoint
    // once more, faded: two lines.
    const canvas = page.getByTestId('chart-loss-canvas');
    const rerun = killedAt - checkpoint;
    await page.waitForFunction(`${LOSS_POINTS} === ${MAX_STEPS + rerun}`, undefined, { timeout: 30_000 });
    expect(await canvas.getAttribute('data-datasets')).toBe('2');
    const steps = rerun === 1 ? `step ${killedAt}` : `steps ${checkpoint + 1}–${killedAt}`;
    expect(await note.textContent()).toBe(
      `Resumed run: ${steps} of attempt 1 were run again after the resume. The current curve shows the latest attempt; the earlier points (${rerun} on the loss) are kept, drawn faded and dashed.`,
    );
    await page.getByTestId('job-charts').screenshot({ path: '/tmp/charts-resumed.png' });
  });
});
