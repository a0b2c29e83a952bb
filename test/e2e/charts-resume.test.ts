import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signalGroup } from '../../main/training/process-info';
import { fillJobForm } from './job-form';
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

/** Wait until the loss chart holds at least (or exactly) so many points (its canvas says). */
async function waitForLossPoints(page: Page, want: { atLeast?: number; equals?: number }): Promise<void> {
  await page
    .waitForFunction(
      (w) => {
        // Runs in the page (this file is compiled without the DOM library).
        type Node = { getAttribute(name: string): string | null };
        const doc = (globalThis as unknown as { document: { querySelector(s: string): Node | null } })
          .document;
        const n = Number(
          doc.querySelector('[data-testid="chart-loss-canvas"]')?.getAttribute('data-points') ?? 0,
        );
        return w.equals !== undefined ? n === w.equals : n >= (w.atLeast ?? 0);
      },
      want,
      { timeout: 60_000 },
    )
    .catch(async (error) => {
      await page.screenshot({ path: '/tmp/charts-resume-failed.png', fullPage: true });
      throw error;
    });
}

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
    await fillJobForm(page, {
      name: 'resumed run',
      version: version.versionId,
      model,
      settings: { max_steps: String(MAX_STEPS), logging_steps: '1', save_steps: '10' },
    });
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
    await waitForLossPoints(page, { atLeast: 25 });
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
    // The current curve has every step once; the killed attempt's steps past its checkpoint are
    // drawn once more, as their own faded line (train loss, eval loss, train loss superseded, and
    // eval loss superseded if an eval fell between the checkpoint and the kill).
    const canvas = page.getByTestId('chart-loss-canvas');
    const rerun = killedAt - checkpoint;
    const evals = (sql: string) => lookUp(dataDir, sql, id, checkpoint) ?? 0;
    const evalPoints = evals(
      "SELECT COUNT(DISTINCT step) AS n FROM metrics_points WHERE job_id = ? AND name = 'eval_loss' AND step > ?",
    );
    const evalRerun = evals(
      "SELECT COUNT(*) AS n FROM metrics_points WHERE job_id = ? AND name = 'eval_loss' AND attempt = 1 AND step > ?",
    );
    const evalAll = evals(
      "SELECT COUNT(*) AS n FROM metrics_points WHERE job_id = ? AND name = 'eval_loss' AND attempt = 1 AND step <= ?",
    );
    await waitForLossPoints(page, { equals: MAX_STEPS + rerun + evalAll + evalPoints + evalRerun });
    expect(await canvas.getAttribute('data-datasets')).toBe(String(evalRerun > 0 ? 4 : 3));
    const steps = rerun === 1 ? `step ${killedAt}` : `steps ${checkpoint + 1}–${killedAt}`;
    expect(await note.textContent()).toBe(
      `Resumed run: ${steps} of attempt 1 were run again after the resume. The current curve shows the latest attempt; the earlier points (${rerun} on the loss) are kept, drawn faded and dashed.`,
    );
    await page.getByTestId('job-charts').screenshot({ path: '/tmp/charts-resumed.png' });
  }, 240_000);
});
