/**
 * Filling the new-job form the way a person would, for the e2e tests and the live-chart benchmark:
 * name, frozen dataset version, model folder (its facts appear), the fast preset, where to run, any
 * advanced settings; then a clean preflight. The page must already show the form.
 */
import type { Page } from 'playwright-core';

export interface JobFormInput {
  readonly name: string;
  readonly version: string;
  readonly model: string;
  /** `cpu`, or the one GPU to tick (GPU 0 is unticked when another is asked for). */
  readonly gpu?: 'cpu' | number;
  /** Advanced settings by key (`setting-<key>` fields); the section is opened only when there are some. */
  readonly settings?: Readonly<Record<string, string>>;
}

export async function fillJobForm(page: Page, input: JobFormInput): Promise<void> {
  await page.getByTestId('job-form').waitFor();
  await page.getByTestId('job-name').fill(input.name);
  await page.getByTestId('job-dataset-version').fill(input.version);
  await page.getByTestId('job-model-path').fill(input.model);
  await page.getByTestId('model-info').waitFor();
  await page.getByTestId('preset-fast').click();
  const gpu = input.gpu ?? 'cpu';
  await page.getByTestId(`gpu-option-${gpu}`).check();
  if (gpu !== 'cpu' && gpu !== 0) await page.getByTestId('gpu-option-0').uncheck();
  const settings = Object.entries(input.settings ?? {});
  if (settings.length > 0) {
    await page.getByTestId('job-advanced').locator('summary').click();
    for (const [key, value] of settings) await page.getByTestId(`setting-${key}`).fill(value);
  }
  await page
    .locator('[data-testid="preflight"][data-state="ok"]')
    .waitFor()
    .catch(async (error: unknown) => {
      throw new Error(`preflight: ${await page.getByTestId('preflight').textContent()}`, { cause: error });
    });
}
