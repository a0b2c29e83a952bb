/**
 * The new-job form's default preset comes from the chosen GPU's free memory and the model's size
 * (the app's own estimator), with one line saying why; a person's choice overrides it.
 * GPUs: the fixture nvidia-smi's two H100s, GPU 0 busy (~20 GiB free), GPU 1 idle (~80 GiB free).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeFakeModel } from '../fixtures/fake-model';
import { LLAMA_3_8B_CONFIG } from '../fixtures/model-configs';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

const reason = (page: Page) => page.getByTestId('preset-reason');

/** Waits until the reason line says `attrs` (the choice for the current model and GPUs is in). */
async function waitForChoice(page: Page, attrs: Readonly<Record<string, string>>): Promise<void> {
  const selector = Object.entries(attrs)
    .map(([key, value]) => `[data-${key}="${value}"]`)
    .join('');
  await page.locator(`[data-testid="preset-reason"]${selector}`).waitFor({ timeout: 20_000 });
}

describe('the default preset from GPU memory', () => {
  const e2e = useE2eSession({
    fakeGpus: true,
    viewport: { width: 1440, height: 1000 },
    // Llama-3-8B's real config.json, without weights: the estimator sizes it from its dims.
    prepare: (dataDir) => {
      writeFakeModel(join(dataDir, 'models', 'llama-3-8b'), { config: { ...LLAMA_3_8B_CONFIG }, shards: 0 });
    },
  });

  it('picks Balanced LoRA on the idle 80 GB GPU, QLoRA on the busy one, and yields to a person’s choice', async () => {
    const page = e2e.page();
    const model = join(e2e.dataDir(), 'models', 'llama-3-8b');
    await openApp(page, e2e.server(), `#/training/new?model=${encodeURIComponent(model)}`);

    // No GPU ticked: the idle GPU with the most free memory is what the job gets.
    await waitForChoice(page, { 'chosen-by': 'auto', preset: 'balanced', method: 'lora', verdict: 'fits' });
    expect(await reason(page).textContent()).toMatch(
      /Chosen for your GPU — Balanced with LoRA: fits in 7\d\.\d GiB free/,
    );
    expect(await page.getByTestId('preset-balanced').locator('input').isChecked()).toBe(true);

    // The busy GPU: ~20 GiB free. LoRA on an 8B model does not fit there; QLoRA does.
    await page.getByTestId('gpu-option-0').check();
    await waitForChoice(page, { 'chosen-by': 'auto', preset: 'balanced', method: 'qlora' });
    const text = await reason(page).textContent();
    expect(text).toMatch(
      /Balanced with QLoRA: fits in 1\d\.\d GiB free, needs \d+\.\d GiB \(Balanced with LoRA needs \d+\.\d GiB\)/,
    );
    // Applied as the method setting (Advanced shows it changed from the preset).
    await expect.poll(() => page.getByTestId('setting-method').inputValue()).toBe('qlora');
    // The memory panel estimates the same run the reason speaks of, before any dataset is chosen.
    const needs = text?.match(/Balanced with QLoRA: fits in [\d.]+ GiB free, needs ([\d.]+ GiB)/)?.[1];
    await expect.poll(() => page.getByTestId('vram-total').textContent()).toBe(needs);
    expect(await page.getByTestId('preset-balanced').locator('input').isChecked()).toBe(true);

    // The person picks Fast: it stays, the suggestion is offered instead of applied.
    await page.getByTestId('preset-fast').click();
    await waitForChoice(page, { 'chosen-by': 'person' });
    expect(await reason(page).textContent()).toContain('Suggested for your GPU: Balanced with QLoRA');
    await page.getByTestId('gpu-option-0').uncheck();
    await page.getByTestId('gpu-option-1').check();
    await waitForChoice(page, { 'chosen-by': 'person', method: 'lora' });
    expect(await page.getByTestId('preset-fast').locator('input').isChecked()).toBe(true);
    await page.getByTestId('preset-use-suggested').click();
    await waitForChoice(page, { 'chosen-by': 'auto', preset: 'balanced', method: 'lora' });
    await page.locator('[data-testid="preset-balanced"] input:checked').waitFor();
    await expect.poll(() => page.getByTestId('setting-method').inputValue()).not.toBe('qlora');
  });
});
