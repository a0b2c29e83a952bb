import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullPageScreenshot } from './full-page-screenshot';
import { fillJobForm } from './job-form';
import {
  launchChromium,
  makeDataDir,
  openApp,
  removeDataDir,
  type ServeProcess,
  startServe,
} from './serve-harness';
import { type FrozenVersion, insertFrozenVersion, setFixtureTrainer, writeTinyModel } from './training-setup';

/** How many points a chart holds (its canvas says; the pixels are chart.js's business). */
async function points(canvas: Locator): Promise<number> {
  return Number((await canvas.getAttribute('data-points')) ?? '0');
}

/** What a chart's canvas attribute should become. */
interface Element {
  getAttribute(name: string): string | null;
}

interface AttrWant {
  readonly equals?: string;
  readonly atLeast?: number;
  readonly below?: number;
}

/** Wait until a chart's canvas attribute is as wanted (charts update on events, not timers). */
async function waitForAttr(page: Page, testId: string, attr: string, want: AttrWant): Promise<void> {
  await page.waitForFunction(
    ({ testId, attr, want }) => {
      // Runs in the page (this file is compiled without the DOM library).
      const doc = (globalThis as unknown as { document: { querySelector(s: string): Element | null } })
        .document;
      const v = doc.querySelector(`[data-testid="${testId}"]`)?.getAttribute(attr);
      if (v === null || v === undefined) return false;
      if (want.equals !== undefined && v !== want.equals) return false;
      if (want.atLeast !== undefined && !(Number(v) >= want.atLeast)) return false;
      if (want.below !== undefined && !(Number(v) < want.below)) return false;
      return true;
    },
    { testId, attr, want },
    { timeout: 60_000 },
  );
}

const MAX_STEPS = 120;

describe('live charts, zoom, smoothing, wall time, export (fixture run)', () => {
  let browser: Browser;
  let dataDir: string;
  let server: ServeProcess;
  let page: Page;
  let version: FrozenVersion;
  let model: string;
  const previousStepMs = process.env.FIXTURE_STEP_MS;

  beforeAll(async () => {
    // Slow enough that the page sees the run grow (about 20 s).
    process.env.FIXTURE_STEP_MS = '150';
    process.env.FIXTURE_TRAINER_GPUS = '2';
    browser = await launchChromium();
    dataDir = await makeDataDir();
    model = writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
    await mkdir(join(dataDir, 'hf'), { recursive: true });
    await setFixtureTrainer(dataDir, 'ok.mjs');
    version = insertFrozenVersion(dataDir);
    server = await startServe({ dataDir, fakeGpus: true });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  }, 120_000);
  afterAll(async () => {
    delete process.env.FIXTURE_TRAINER_GPUS;
    if (previousStepMs === undefined) delete process.env.FIXTURE_STEP_MS;
    else process.env.FIXTURE_STEP_MS = previousStepMs;
    await page?.context().close();
    await browser?.close();
    await server?.stop();
    if (dataDir !== undefined) await removeDataDir(dataDir);
  });

  /**
   * Queues a job through the new-job form on a fake GPU (the CLI without --wait has no live GPU
   * telemetry for the preflight) and returns its id from the job page it lands on.
   */
  async function createJob(
    name: string,
    gpu: number,
    extra: Readonly<Record<string, string>> = {},
  ): Promise<string> {
    await openApp(page, server, '#/training/new');
    // Tick exactly the GPU asked for, so the run goes on that one.
    await fillJobForm(page, {
      name,
      version: version.versionId,
      model,
      gpu,
      settings: {
        max_steps: String(MAX_STEPS),
        logging_steps: '1',
        eval_steps: '10',
        save_steps: '60',
        ...extra,
      },
    });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-job-id]').waitFor();
    return (await page.getByTestId('page-job').getAttribute('data-job-id'))!;
  }

  it('draws a run live, zooms, smooths, switches to wall time and exports CSV and PNG', async () => {
    const id = await createJob('charts run A', 0);
    await openApp(page, server, `#/training/jobs/${id}`);
    const loss = page.getByTestId('chart-loss-canvas');
    await loss.waitFor();

    // Live growth while the job runs.
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', { atLeast: 10 });
    const early = await points(loss);
    expect(await page.getByTestId('page-job').getAttribute('data-status')).toBe('running');
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', { atLeast: early + 15 });
    // The fixture nvidia-smi's GPU 0 is charted while the job runs on it.
    await waitForAttr(page, 'chart-gpu-utilization-canvas', 'data-points', { atLeast: 2 });
    await waitForAttr(page, 'chart-gpu-memory-canvas', 'data-points', { atLeast: 2 });
    await fullPageScreenshot(page, '/tmp/charts-job-running.png');
    await page.getByTestId('job-charts').screenshot({ path: '/tmp/charts-job-charts-running.png' });

    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor({ timeout: 90_000 });
    // The finished run's last points arrive: every step's loss, and an eval every 10 steps.
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', {
      equals: String(MAX_STEPS + MAX_STEPS / 10),
    });
    expect(await page.getByTestId('job-page-tokens').textContent()).toContain('5,000');
    expect(await page.getByTestId('job-page-tokens-mean').textContent()).toContain('5,000');
    expect(await page.getByTestId('job-page-peak-memory').textContent()).toMatch(/^(59|60)\.\d GiB$/);
    expect(await page.getByTestId('job-page-best-eval').textContent()).toMatch(/^\d+\.\d{4} @ \d+$/);

    // Hover read-out: step, time and value of the nearest point.
    const box = (await loss.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect
      .poll(() => page.getByTestId('chart-loss-readout').textContent())
      .toMatch(/^step \d+ · \d\d:\d\d:\d\d.* · (train|eval) loss \d/);

    // Zoom: drag across the middle; the core answers with every point of that range.
    const before = await points(loss);
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await waitForAttr(page, 'chart-loss-canvas', 'data-zoomed', { equals: 'true' });
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', { atLeast: 1, below: before });
    await page.getByTestId('chart-loss-reset').click();
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', { equals: String(before) });

    // Smoothing adds a smoothed line over the (now faint) train loss.
    const datasets = Number(await loss.getAttribute('data-datasets'));
    await page.getByTestId('chart-smoothing').fill('0.9');
    await waitForAttr(page, 'chart-loss-canvas', 'data-datasets', { equals: String(datasets + 1) });

    // Log scale.
    await page.getByTestId('chart-loss-log').check();
    expect(await page.getByTestId('chart-loss-log').isChecked()).toBe(true);

    // Wall time: the axis changes and the charts are drawn again from the core.
    await page.getByTestId('chart-x-time').click();
    await waitForAttr(page, 'chart-loss-canvas', 'data-x-kind', { equals: 'elapsed' });
    await waitForAttr(page, 'chart-loss-canvas', 'data-points', { equals: String(before) });
    await fullPageScreenshot(page, '/tmp/charts-job-finished-walltime.png');

    // CSV: every step, one column per metric.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('job-export-csv').click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe('charts_run_A-metrics.csv');
    const csv = readFileSync((await csvDownload.path())!, 'utf8')
      .trimEnd()
      .split('\n');
    const header = csv[0]!.split(',');
    expect(header.slice(0, 2)).toEqual(['step', 'time']);
    expect(header).toEqual(
      expect.arrayContaining(['loss', 'eval_loss', 'learning_rate', 'grad_norm', 'tokens_per_s']),
    );
    expect(csv).toHaveLength(MAX_STEPS + 1);

    // PNG of one chart.
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('chart-loss-png').click(),
    ]);
    expect(png.suggestedFilename()).toBe('loss.png');
    expect(
      readFileSync((await png.path())!)
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
  }, 180_000);

  it('shows the fixture GPUs on the dashboard with the job using one, and compares two runs', async () => {
    const runB = await createJob('charts run B', 1, { lora_r: '32' });
    await page.locator('[data-testid="page-job"][data-status="running"]').waitFor({ timeout: 60_000 });

    await page.getByTestId('nav-gpus').click();
    await page.locator('[data-testid="page-gpus"][data-state="ok"]').waitFor();
    const cards = page.getByTestId('gpu-card');
    await expect.poll(() => cards.count()).toBe(2);
    const gpu1 = page.locator('[data-testid="gpu-card"][data-index="1"]');
    await gpu1.getByTestId('gpu-card-job').filter({ hasText: 'charts run B' }).waitFor();
    expect(await gpu1.getByTestId('gpu-card-memory').textContent()).toMatch(/GiB of 79\.6 GiB$/);
    const gpu0Job = page.locator('[data-testid="gpu-card"][data-index="0"]').getByTestId('gpu-card-job');
    expect(await gpu0Job.textContent()).toBe('No LoRA Studio job on this GPU.');
    // Processes: the trainer of run B on GPU 1, linked to its job; another program on GPU 0.
    const trainerRow = gpu1.locator(`[data-testid="gpu-process"][data-job-id="${runB}"]`);
    await trainerRow.waitFor({ timeout: 20_000 });
    expect(await trainerRow.textContent()).toContain('charts run B (trainer)');
    const gpu0 = page.locator('[data-testid="gpu-card"][data-index="0"]');
    expect(await gpu0.locator('[data-testid="gpu-process"][data-pid="31337"]').textContent()).toMatch(
      /31337\/usr\/bin\/python359\.6 GiB/,
    );
    expect(await gpu1.getByTestId('gpu-card-clocks').textContent()).toContain('fan n/a');
    await waitForAttr(page, 'gpu-spark-util', 'data-points', { atLeast: 3 });
    await fullPageScreenshot(page, '/tmp/charts-gpu-dashboard.png');

    // Wait for run B to finish, then tick both runs in the job list and compare them.
    await page.getByTestId('nav-training').click();
    const rowB = page.locator(`[data-testid="job-row"][data-job-id="${runB}"]`);
    await page
      .locator(`[data-testid="job-row"][data-job-id="${runB}"][data-status="completed"]`)
      .waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('training-compare').isDisabled()).toBe(true);
    await rowB.getByTestId('job-compare-pick').check();
    await page
      .locator('[data-testid="job-row"]', { hasText: 'charts run A' })
      .getByTestId('job-compare-pick')
      .check();
    await page.getByTestId('training-compare').click();
    await page.locator('[data-testid="page-compare"][data-runs="2"]').waitFor();
    await waitForAttr(page, 'compare-chart-canvas', 'data-points', { equals: String(2 * MAX_STEPS) });
    expect(await page.getByTestId('compare-chart-canvas').getAttribute('data-datasets')).toBe('2');

    // The config diff shows only what differs: the rank and the GPU.
    const keys = await page
      .getByTestId('compare-diff-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(keys).toEqual(['gpus', 'lora_r']);
    expect(await page.getByTestId('compare-dataset').allTextContents()).toEqual([
      'arithmetic v1',
      'arithmetic v1',
    ]);
    for (const best of await page.getByTestId('compare-best-eval').allTextContents()) {
      expect(best).toMatch(/^\d+\.\d{4} @ \d+$/);
    }

    // Another metric, by wall time.
    await page.getByTestId('compare-metric').selectOption('eval_loss');
    await waitForAttr(page, 'compare-chart-canvas', 'data-points', {
      equals: String((2 * MAX_STEPS) / 10),
    });
    await page.getByTestId('compare-x').selectOption('time');
    await waitForAttr(page, 'compare-chart-canvas', 'data-x-kind', { equals: 'elapsed' });
    await page.getByTestId('compare-metric').selectOption('loss');
    await waitForAttr(page, 'compare-chart-canvas', 'data-points', { equals: String(2 * MAX_STEPS) });
    await fullPageScreenshot(page, '/tmp/charts-compare.png');
  }, 180_000);
});
