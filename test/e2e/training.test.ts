import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeHfCacheModel } from '../fixtures/fake-model';
import { useE2eSession } from './e2e-session';
import { fullPageScreenshot } from './full-page-screenshot';
import { fillJobForm, type JobFormInput } from './job-form';
import { openApp, type ServeProcess } from './serve-harness';
import { type FrozenVersion, insertFrozenVersion, setFixtureTrainer, writeTinyModel } from './training-setup';

/** Opens the new-job form from the Training page and fills it; the model's facts are the tiny Llama's. */
async function newJobFromForm(page: Page, input: JobFormInput): Promise<void> {
  await page.getByTestId('training-new').click();
  await fillJobForm(page, input);
  expect(await page.getByTestId('model-architecture').textContent()).toBe('LlamaForCausalLM');
  expect(await page.getByTestId('model-tokenizer').textContent()).toContain('yes');
}

describe('training jobs through the UI (fixture trainers)', () => {
  const e2e = useE2eSession({
    viewport: { width: 1440, height: 1000 },
    startServe: false,
    prepare: async (dataDir) => {
      writeTinyModel(join(dataDir, 'models', 'tiny-llama'));
      await mkdir(join(dataDir, 'hf'), { recursive: true });
    },
  });
  let version: FrozenVersion;
  let model: string;
  let page: Page;

  beforeEach(() => {
    model = join(e2e.dataDir(), 'models', 'tiny-llama');
    page = e2e.page();
  });

  /** Settings and the dataset version go in before serve starts (the CLI creates the database). */
  async function start(fixture: string, env: Readonly<Record<string, string>> = {}): Promise<ServeProcess> {
    await setFixtureTrainer(e2e.dataDir(), fixture, env);
    version = insertFrozenVersion(e2e.dataDir());
    return e2e.startServe();
  }

  it('queues a job from the form, follows it live and shows the finished run', async () => {
    await openApp(page, await start('ok.mjs'), '#/training');
    await page.getByTestId('training-empty').waitFor();

    await newJobFromForm(page, {
      version: version.versionId,
      model,
      name: 'tiny arithmetic',
      settings: { max_steps: '30', save_steps: '10', logging_steps: '5' },
    });
    const checks = page.getByTestId('preflight-check');
    expect(await checks.count()).toBeGreaterThan(3);
    expect(await page.locator('[data-testid="preflight-check"][data-verdict="fail"]').count()).toBe(0);
    expect(await page.getByTestId('vram-total').textContent()).toMatch(/GiB$/);
    await fullPageScreenshot(page, '/tmp/training-new-job.png');

    await page.getByTestId('job-queue').click();
    const jobPage = page.getByTestId('page-job');
    await jobPage.waitFor();
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor();
    expect(await page.getByTestId('job-page-step').textContent()).toBe('30 / 30');
    expect(await page.getByTestId('job-page-fraction').textContent()).toContain('100');
    expect(await page.getByTestId('job-page-loss').textContent()).toMatch(/^\d+\.\d{4}$/);
    expect(await page.getByTestId('job-page-devices').textContent()).toBe('CPU');
    expect(await page.getByTestId('job-page-devices').getAttribute('title')).toBe('training on CPU (chosen)');
    await page.getByTestId('job-page-tokens').filter({ hasText: 'tok/s' }).waitFor();
    // The timeline is refetched after the status event: wait for its completed entry, then read it.
    await page.locator('[data-testid="timeline-entry"][data-status="completed"]').waitFor();
    const statuses = await page
      .getByTestId('timeline-entry')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('completed');
    expect(await page.getByTestId('checkpoint-row').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('job-config-json').textContent()).toContain('"max_steps": 30');

    await page.getByTestId('logs-tab-events').click();
    await page
      .locator('[data-testid="logs-lines"][data-stream="events"] [data-testid="log-line"]')
      .first()
      .waitFor();
    await page.getByTestId('logs-search').fill('"checkpoint"');
    // The core filters the tail: every line left mentions a checkpoint.
    const lines = page.getByTestId('log-line');
    await lines.filter({ hasNotText: '"checkpoint"' }).first().waitFor({ state: 'detached' });
    expect(await lines.count()).toBeGreaterThanOrEqual(3);
    await fullPageScreenshot(page, '/tmp/training-job-page.png');

    await page.getByTestId('nav-training').click();
    const row = page.locator('[data-testid="job-row"]', { hasText: 'tiny arithmetic' });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('completed');
    expect(await row.getByTestId('job-steps').textContent()).toBe('30 / 30');
    expect(await row.getByTestId('job-loss').textContent()).toMatch(/^\d+\.\d{4}$/);
  });

  it('cancels a running job after asking, then resumes it from its checkpoint to the end', async () => {
    // The first run holds at step 5 until it is cancelled, so the cancel never races the run's end on
    // a slow machine (it once finished its 6 s before the dialog was confirmed); the resume runs on.
    await openApp(page, await start('cancellable.mjs', { FIXTURE_HOLD_AT: '5' }), '#/training');
    await newJobFromForm(page, {
      version: version.versionId,
      model,
      name: 'to be cancelled',
      settings: { max_steps: '60', save_steps: '100000', logging_steps: '1' },
    });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-status="running"]').waitFor();
    // Steps arrive through job.progress events while the page stays open.
    // (Polled from here: the page's CSP forbids evaluating a string predicate in it.)
    await expect
      .poll(async () => Number.parseInt((await page.getByTestId('job-page-step').textContent()) ?? '0', 10))
      .toBeGreaterThanOrEqual(3);

    await page.getByTestId('job-cancel').click();
    await page.getByTestId('job-cancel-dialog').waitFor();
    await page.getByTestId('job-cancel-dialog-dismiss').click();
    expect(await page.locator('[data-testid="page-job"]').getAttribute('data-status')).toBe('running');

    await page.getByTestId('job-cancel').click();
    await page.getByTestId('job-cancel-dialog-confirm').click();
    await page.locator('[data-testid="page-job"][data-status="cancelled"]').waitFor();
    await page.getByTestId('checkpoint-row').first().waitFor();
    await page.locator('[data-testid="job-resume"]:not([disabled])').waitFor();
    expect(await page.getByTestId('job-cancel').count()).toBe(0);

    await page.getByTestId('nav-training').click();
    const row = page.locator('[data-testid="job-row"]', { hasText: 'to be cancelled' });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('cancelled');

    // Resume continues the same job from its checkpoint, in the same run folder, to the end.
    await row.getByTestId('job-link').click();
    await page.getByTestId('job-resume').click();
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor();
    await page.getByTestId('job-page-step').filter({ hasText: '60 / 60' }).waitFor();
    // The timeline is refetched after the status event: wait for its completed entry, then read it.
    await page.locator('[data-testid="timeline-entry"][data-status="completed"]').waitFor();
    const statuses = await page
      .getByTestId('timeline-entry')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    expect(statuses).toContain('cancelled');
    expect(statuses.at(-1)).toBe('completed');
  });

  it('shows why a job failed with its stderr, and retries it as a new job', async () => {
    await openApp(page, await start('crash.mjs'), '#/training');
    await newJobFromForm(page, { version: version.versionId, model, name: 'crashes' });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-status="failed"]').waitFor();
    expect(await page.getByTestId('job-error').textContent()).toContain('RuntimeError: boom');
    await page.getByTestId('logs-tab-stderr').click();
    await page.getByTestId('log-line').filter({ hasText: 'Traceback (most recent call last)' }).waitFor();
    expect(await page.getByTestId('job-resume').isDisabled()).toBe(true);
    const firstId = await page.getByTestId('page-job').getAttribute('data-job-id');

    await page.getByTestId('job-retry').click();
    await page.getByTestId('page-title').filter({ hasText: 'crashes (retry)' }).waitFor();
    expect(await page.getByTestId('page-job').getAttribute('data-job-id')).not.toBe(firstId);
    await page.locator('[data-testid="page-job"][data-status="failed"]').waitFor();
    await page.getByTestId('nav-training').click();
    await page.locator('[data-testid="job-row"][data-status="failed"]').nth(1).waitFor();
  });

  it('clones a job into a pre-filled form', async () => {
    await openApp(page, await start('ok.mjs'), '#/training');
    await newJobFromForm(page, {
      version: version.versionId,
      model,
      name: 'original',
      settings: { max_steps: '12', lora_r: '4' },
    });
    await page.getByTestId('job-queue').click();
    await page.locator('[data-testid="page-job"][data-status="completed"]').waitFor();

    await page.getByTestId('job-clone').click();
    await page.getByTestId('job-form').waitFor();
    expect(await page.getByTestId('job-name').inputValue()).toBe('original (copy)');
    expect(await page.getByTestId('job-dataset-version').inputValue()).toBe(version.versionId);
    expect(await page.getByTestId('job-model-path').inputValue()).toBe(model);
    expect(await page.getByTestId('setting-lora_r').inputValue()).toBe('4');
    expect(await page.getByTestId('setting-max_steps').inputValue()).toBe('12');
    expect(await page.getByTestId('gpu-option-cpu').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="preset-fast"] input').isChecked()).toBe(true);
    // Only what was changed is carried over; the rest still follows the preset.
    expect(await page.getByTestId('setting-lora_alpha').inputValue()).toBe('');
    await page.locator('[data-testid="preflight"][data-state="ok"]').waitFor();
  });
});

describe('new-job form checks', () => {
  const e2e = useE2eSession({ viewport: { width: 1440, height: 1000 }, fakeGpus: true });
  let page: Page;
  beforeEach(() => {
    page = e2e.page();
  });

  it('validates every advanced setting against the contract before anything is sent', async () => {
    await openApp(page, e2e.server(), '#/training/new');
    await page.getByTestId('job-advanced').locator('summary').click();
    await page.getByTestId('setting-lora_r').fill('0');
    expect(await page.getByTestId('setting-lora_r-error').textContent()).toContain('at least 1');
    await page.getByTestId('setting-learning_rate').fill('fast');
    expect(await page.getByTestId('setting-learning_rate-error').textContent()).toContain('not a number');
    await page.getByTestId('setting-per_device_batch_size').fill('2.5');
    expect(await page.getByTestId('setting-per_device_batch_size-error').textContent()).toContain(
      'whole number',
    );
    await page.getByTestId('setting-warmup').fill('1');
    expect(await page.getByTestId('setting-warmup-error').textContent()).toContain('at most 0.99');
    expect(await page.getByTestId('setting-lora_r').getAttribute('aria-invalid')).toBe('true');

    await page.getByTestId('setting-lora_r-reset').click();
    expect(await page.getByTestId('setting-lora_r-error').count()).toBe(0);
    expect(await page.getByTestId('setting-lora_r').inputValue()).toBe('');

    await page.getByTestId('job-queue').click();
    await page.getByTestId('job-datasetVersionId-error').waitFor();
    await page.getByTestId('job-modelPath-error').waitFor();
  });

  it('offers the GPUs nvidia-smi reports, says which one an unticked job gets, and compares the estimate with their free memory', async () => {
    const model = writeTinyModel(join(e2e.dataDir(), 'models', 'tiny'));
    await openApp(page, e2e.server(), '#/training/new');
    await page.locator('[data-testid="gpu-status"][data-state="ok"]').waitFor();
    // Nothing is ticked for the user: preflight takes the idle GPU (the fake's GPU 0 is ~95% busy).
    expect(await page.getByTestId('gpu-option-0').isChecked()).toBe(false);
    await page.getByTestId('job-model-path').fill(model);
    await page.getByTestId('job-dataset-version').fill('ds_not_frozen');
    await page
      .locator('[data-testid="gpu-picker-mode"]', { hasText: 'None chosen: training on GPU 1 (NVIDIA H100' })
      .waitFor();
    await page.getByTestId('vram-total').waitFor();
    await page.getByTestId('vram-free').waitFor();
    expect(await page.getByTestId('vram-verdict').getAttribute('data-fit')).toBe('yes');

    await page.getByTestId('gpu-option-1').check();
    expect(await page.getByTestId('gpu-picker-mode').textContent()).toBe('One GPU.');
    await page.getByTestId('gpu-option-0').check();
    expect(await page.getByTestId('gpu-picker-mode').textContent()).toContain('2 GPUs');
  });
});

describe('base models from the Hugging Face cache', () => {
  const e2e = useE2eSession({
    viewport: { width: 1440, height: 1000 },
    prepare: (dataDir) => {
      writeHfCacheModel(join(dataDir, 'hf', 'hub'), 'acme/tiny-chat', 'f00dfeed', {
        chatTemplate: 'tokenizer_config',
      });
    },
    serveEnv: (dataDir) => ({ HF_HOME: join(dataDir, 'hf') }),
  });
  let page: Page;
  beforeEach(() => {
    page = e2e.page();
  });

  it('lists them on the Models page, and one click starts a job form on it', async () => {
    await openApp(page, e2e.server(), '#/models');
    const row = page.getByTestId('base-model-row');
    await row.waitFor();
    expect(await row.textContent()).toContain('acme/tiny-chat');
    await row.getByRole('link', { name: 'Train' }).click();
    await page.getByTestId('job-form').waitFor();
    expect(await page.getByTestId('job-model-path').inputValue()).toContain('f00dfeed');
    await page.getByTestId('model-info').waitFor();
    expect(await page.getByTestId('model-chat-template').textContent()).toContain('yes');
    expect(await page.getByTestId('model-scan-item').getAttribute('aria-pressed')).toBe('true');
  });

  it('offers them in the new-job form, to pick with a click', async () => {
    await openApp(page, e2e.server(), '#/training/new');
    await page.getByTestId('model-scan-item').click();
    expect(await page.getByTestId('job-model-path').inputValue()).toContain('models--acme--tiny-chat');
    await page.getByTestId('model-info').waitFor();
    expect(await page.getByTestId('model-architecture').textContent()).toBe('LlamaForCausalLM');
  });
});
