import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTinyTokenizer } from '../fixtures/tokenizer/make-tiny-tokenizer';
import { chatRow, expectTotal, importThroughUi, until, useDatasetsE2e, writeJsonl } from './datasets-helpers';

describe('dataset statistics, versions and export in the UI', () => {
  const e2e = useDatasetsE2e();

  it('renames a dataset from its heading', async () => {
    const page = e2e.page();
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'old-name.jsonl', [chatRow(1)]));
    await page.getByTestId('dataset-rename').click();
    await page.getByTestId('dataset-name-input').fill('support v2');
    await page.keyboard.press('Enter');
    await until(
      () => page.getByTestId('dataset-name').textContent(),
      (name) => name === 'support v2',
    );
    await page.getByTestId('dataset-back').click();
    await until(
      () => page.getByTestId('datasets-row').textContent(),
      (text) => text?.includes('support v2') === true,
    );
  });

  it('shows statistics and counts tokens with a local tokenizer', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 20 }, (_, i) => chatRow(i, i % 5 === 0 ? 'hello '.repeat(40) : ''));
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'tokens.jsonl', rows));
    await page.getByTestId('tab-stats').click();
    expect(await page.getByTestId('stats-rows').textContent()).toBe('20');
    expect(await page.getByTestId('stats-roles').textContent()).toContain('assistant');
    await page.getByTestId('stats-chars-histogram').waitFor();

    const modelDir = join(e2e.inputDir(), 'tiny-model');
    makeTinyTokenizer(modelDir);
    await page.getByTestId('token-model-dir').fill(modelDir);
    await page.getByTestId('token-max-seq').fill('128');
    await page.getByTestId('token-count').click();
    await page.getByTestId('token-result').waitFor({ timeout: 30_000 });
    expect(Number(await page.getByTestId('token-mean').textContent())).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('token-truncated').textContent())).toBe(4);
    await page.getByTestId('token-histogram').waitFor();
  });

  it('tags a row, filters by the tag, and exports a frozen version', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'export.jsonl',
        Array.from({ length: 12 }, (_, i) => chatRow(i)),
      ),
    );
    await page.getByTestId('row-item').nth(2).click();
    await page.getByTestId('row-tag-input').fill('golden');
    await page.keyboard.press('Enter');
    await until(
      () => page.getByTestId('row-tags').textContent(),
      (text) => text?.includes('golden') === true,
    );
    await page.getByTestId('rows-filters-toggle').click();
    await page.getByTestId('filter-tag').fill('golden');
    await expectTotal(page, 1);
    await page.getByTestId('filter-clear').click();
    await expectTotal(page, 12);

    await page.getByTestId('action-freeze').click();
    await page.getByTestId('freeze-confirm').click();
    await page.locator('[data-testid="version-row"][data-version="1"]').waitFor();
    await page.getByTestId('version-export').click();
    const out = join(e2e.inputDir(), 'export-v1.jsonl');
    await page.getByTestId('export-path').fill(out);
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.getByTestId('export-result').textContent()).toContain('12 rows');
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(JSON.parse(lines[0]!)).toHaveProperty('messages');
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
  });
});
