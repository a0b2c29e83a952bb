import { describe, expect, it } from 'vitest';
import {
  chatRow,
  expectCount,
  expectTotal,
  importThroughUi,
  inspectThroughUi,
  until,
  useDatasetsE2e,
  writeJsonl,
  writeText,
} from './datasets-helpers';
import { openApp } from './serve-harness';

describe('dataset import in the UI', () => {
  const e2e = useDatasetsE2e();

  it('says what to do when there are no datasets', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/datasets');
    const empty = await page.getByTestId('datasets-empty').textContent();
    expect(empty).toContain('No datasets yet');
    expect(empty).toContain('Import dataset');
  });

  it('imports a chat JSONL: path → inspect → import with progress → the dataset page with its counts', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 30_000 }, (_, i) => chatRow(i));
    const path = await writeJsonl(e2e.inputDir(), 'support-chats.jsonl', rows);
    await openApp(page, e2e.server(), '#/datasets');

    await inspectThroughUi(page, path);
    expect(await page.getByTestId('import-detected-format').textContent()).toBe('jsonl');
    expect(await page.getByTestId('import-encoding').textContent()).toBe('utf-8');
    expect(await page.getByTestId('import-detected-shape').textContent()).toBe('chat');
    expect(await page.getByTestId('import-shape').inputValue()).toBe('chat');
    expect((await page.getByTestId('import-evidence').textContent())?.length).toBeGreaterThan(20);
    expect(await page.getByTestId('import-preview').textContent()).toContain('Question number 0');
    expect(await page.getByTestId('import-name').inputValue()).toBe('support-chats');

    // Record whether the progress bar was ever shown, however fast the import turns out to be.
    await page.evaluate(`
      window.sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="import-progress-bar"]')) window.sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    `);
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="page-dataset"][data-dataset-id]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate<boolean>('window.sawProgress')).toBe(true);

    expect(await page.getByTestId('dataset-name').textContent()).toBe('support-chats');
    await expectCount(page, 'count-rows', 30_000);
    await expectCount(page, 'count-valid', 30_000);
    await expectCount(page, 'count-invalid', 0);
    await expectTotal(page, 30_000);
    await page.getByTestId('row-item').first().waitFor();

    await page.getByTestId('dataset-back').click();
    const listed = page.getByTestId('datasets-row');
    await listed.first().waitFor();
    expect(await listed.count()).toBe(1);
    expect(await page.getByTestId('datasets-row-rows').textContent()).toBe('30,000');
  });

  it('flags invalid rows with their line numbers and problems', async () => {
    const page = e2e.page();
    const path = await writeJsonl(e2e.inputDir(), 'mixed.jsonl', [
      chatRow(1),
      chatRow(2),
      '{"messages": [{"role": "user", "content": "cut off',
      chatRow(4),
      { messages: [{ role: 'user', content: 'Is anyone there?' }] },
      chatRow(6),
    ]);
    await importThroughUi(e2e, path);
    await expectCount(page, 'count-rows', 6);
    await expectCount(page, 'count-invalid', 2);

    await page.getByTestId('rows-filters-toggle').click();
    await page.getByTestId('filter-valid').selectOption('invalid');
    await expectTotal(page, 2);
    const invalid = page.locator('[data-testid="row-item"][data-valid="false"]');
    await until(
      () => invalid.count(),
      (n) => n === 2,
    );
    await invalid.first().click();
    expect(await page.getByTestId('row-detail-location').textContent()).toBe('line 3');
    await page.getByTestId('row-detail-invalid').waitFor();
    expect(await page.getByTestId('row-problems').textContent()).not.toBe('');
    expect(await page.getByTestId('row-original').textContent()).toContain('cut off');

    await invalid.nth(1).click();
    await until(
      () => page.getByTestId('row-detail-location').textContent(),
      (text) => text === 'line 5',
    );
    expect(await page.getByTestId('row-problems').textContent()).toContain('assistant');
  });

  it('imports a CSV after mapping its columns to the fields of the shape', async () => {
    const page = e2e.page();
    const lines = ['q,a,notes'];
    for (let i = 0; i < 40; i++) lines.push(`"What is ${i} squared?","${i * i}",row ${i}`);
    const path = await writeText(e2e.inputDir(), 'squares.csv', `${lines.join('\n')}\n`);
    await openApp(page, e2e.server(), '#/datasets');
    await inspectThroughUi(page, path);
    expect(await page.getByTestId('import-detected-format').textContent()).toBe('csv');
    await page.getByTestId('import-shape').selectOption('prompt_completion');
    await page.getByTestId('import-mapping').waitFor();
    expect(await page.getByTestId('import-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('import-mapping-missing').textContent()).toContain('Prompt');
    await page.getByTestId('import-map-prompt').selectOption('q');
    await page.getByTestId('import-map-completion').selectOption('a');
    expect(await page.getByTestId('import-start').isEnabled()).toBe(true);
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="page-dataset"][data-dataset-id]').waitFor({ timeout: 30_000 });
    await expectCount(page, 'count-rows', 40);
    await expectCount(page, 'count-valid', 40);
    await page.getByTestId('row-item').first().click();
    const bubbles = page.getByTestId('row-bubble');
    await until(
      () => bubbles.count(),
      (n) => n === 2,
    );
    expect(await bubbles.nth(0).getAttribute('data-role')).toBe('user');
    expect(await bubbles.nth(0).textContent()).toContain('What is 0 squared?');
    expect(await bubbles.nth(1).getAttribute('data-role')).toBe('assistant');
  });

  it('shows why an import failed, in full, and imports nothing', async () => {
    const page = e2e.page();
    const lines = ['prompt,completion'];
    for (let i = 0; i < 20; i++) lines.push(`"p${i}","c${i}"`);
    lines.push('"never closed,c');
    const path = await writeText(e2e.inputDir(), 'broken.csv', `${lines.join('\n')}\n`);
    await openApp(page, e2e.server(), '#/datasets');
    await page.getByTestId('datasets-import').click();
    await page.getByTestId('import-path').fill(path);
    await page.getByTestId('import-inspect').click();
    // Depending on how much of the file inspect reads, the error shows at inspect or at import.
    const failed = page.locator('[data-testid="import-error"], [data-testid="import-inspect-error"]');
    const inspected = page.getByTestId('import-inspection');
    await failed.or(inspected).first().waitFor();
    if ((await failed.count()) === 0) await page.getByTestId('import-start').click();
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toMatch(/line 22: .*quoted field/);

    await page.getByTestId('import-dialog-close').click();
    await page.getByTestId('datasets-empty').waitFor();
  });

  it('shows a large import moving and answers a click (a page that calls the server) within 200 ms meanwhile', async () => {
    const page = e2e.page();
    const filler = 'y'.repeat(400);
    const rows = Array.from({ length: 150_000 }, (_, i) => chatRow(i, filler));
    const path = await writeJsonl(e2e.inputDir(), 'large.jsonl', rows);
    await openApp(page, e2e.server(), '#/datasets');
    await inspectThroughUi(page, path);
    // Every fraction the progress bar shows, as it shows it.
    await page.evaluate(`
      window.fractions = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="import-progress-bar"][data-fraction]');
        const f = bar === null ? null : Number(bar.getAttribute('data-fraction'));
        if (f !== null && f !== window.fractions.at(-1)) window.fractions.push(f);
      }).observe(document.body, { childList: true, subtree: true, attributes: true });
    `);
    await page.getByTestId('import-start').click();
    const seen = await until(
      () => page.evaluate<number[]>('window.fractions'),
      (f) => f.filter((x) => x > 0 && x < 1).length >= 2,
      30_000,
    );
    expect(seen.at(-1)).toBeGreaterThan(seen[0] ?? 1);

    // Mid-import: close the dialog and open Costs, which shows the price the server holds; the time
    // from the click to that text on screen, measured in the page.
    const answered = await page.evaluate<{ fraction: number; ms: number }>(`new Promise((resolve) => {
      const bar = document.querySelector('[data-testid="import-progress-bar"][data-fraction]');
      const fraction = Number(bar.getAttribute('data-fraction'));
      document.querySelector('[data-testid="import-dialog-close"]').click();
      const started = performance.now();
      document.querySelector('[data-testid="nav-costs"]').click();
      const check = () => document.querySelector('[data-testid="costs-price"]')
        ? resolve({ fraction, ms: performance.now() - started })
        : requestAnimationFrame(check);
      check();
    })`);
    expect(answered.fraction).toBeLessThan(1);
    expect(answered.ms).toBeLessThan(200);
  });

  it('cancels a running import', async () => {
    const page = e2e.page();
    const filler = 'x'.repeat(400);
    const rows = Array.from({ length: 150_000 }, (_, i) => chatRow(i, filler));
    const path = await writeJsonl(e2e.inputDir(), 'big.jsonl', rows);
    await openApp(page, e2e.server(), '#/datasets');
    await inspectThroughUi(page, path);
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-progress-bar"][data-fraction]').waitFor();
    await page.getByTestId('import-cancel').click();
    await page.getByTestId('import-cancelled').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-dialog-close').click();
    await page.getByTestId('datasets-empty').waitFor();
  });
});
