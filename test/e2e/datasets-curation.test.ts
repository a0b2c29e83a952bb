import { describe, expect, it } from 'vitest';
import {
  chatRow,
  expectCount,
  expectTotal,
  importThroughUi,
  numberAttr,
  until,
  useDatasetsE2e,
  writeJsonl,
} from './datasets-helpers';

describe('dataset curation in the UI', () => {
  const e2e = useDatasetsE2e();

  it('finds a row with the search box', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 300 }, (_, i) =>
      i === 137 ? chatRow(i, 'zanzibar spice route') : chatRow(i),
    );
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'search.jsonl', rows));
    await expectTotal(page, 300);

    await page.keyboard.press('/');
    const focused = await page.evaluate<string>("document.activeElement?.getAttribute('data-testid')");
    expect(focused).toBe('rows-search');
    await page.keyboard.type('zanzibar');
    await expectTotal(page, 1);
    const item = page.getByTestId('row-item');
    await until(
      () => item.count(),
      (n) => n === 1,
    );
    expect(await item.textContent()).toContain('Question number 137');

    await page.getByTestId('rows-search').fill('');
    await expectTotal(page, 300);
  });

  it('moves through rows with j/k, opens one with Enter and closes it with Escape', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'keys.jsonl',
        Array.from({ length: 50 }, (_, i) => chatRow(i)),
      ),
    );
    await page.getByTestId('row-item').first().waitFor();
    await page.getByTestId('page-title').click();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.locator('[data-testid="row-item"][aria-selected="true"][data-index="1"]').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('row-detail').waitFor();
    expect(await page.getByTestId('row-detail-location').textContent()).toBe('line 2');
    expect(await page.getByTestId('row-bubbles').textContent()).toContain('Question number 1:');
    await page.keyboard.press('Escape');
    await page.getByTestId('row-detail').waitFor({ state: 'detached' });
  });

  it('scrolls a large dataset, fetching pages as they come into view', async () => {
    const page = e2e.page();
    const count = 20_000;
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'large.jsonl',
        Array.from({ length: count }, (_, i) => chatRow(i)),
      ),
    );
    await expectTotal(page, count);
    expect(await page.getByTestId('row-item').count()).toBeLessThan(120);
    await page.evaluate(`(() => {
      const list = document.querySelector('[data-testid="rows-list"]');
      list.scrollTop = list.scrollHeight;
    })()`);
    const last = page.locator(`[data-testid="row-item"][data-index="${count - 1}"]`);
    await last.waitFor();
    expect(await last.textContent()).toContain(`Question number ${count - 1}:`);
    expect(await page.getByTestId('row-item').count()).toBeLessThan(120);
  });

  it('edits an invalid row into a valid one', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(e2e.inputDir(), 'fixme.jsonl', [
        chatRow(1),
        { messages: [{ role: 'user', content: 'What is the capital of France?' }] },
        chatRow(3),
      ]),
    );
    await expectCount(page, 'count-invalid', 1);
    const invalid = page.locator('[data-testid="row-item"][data-valid="false"]');
    await invalid.waitFor();
    await invalid.click();
    await page.getByTestId('row-detail-invalid').waitFor();
    await page.getByTestId('row-edit').click();
    await page.getByTestId('row-edit-add').click();
    const messages = page.getByTestId('row-edit-message');
    expect(await messages.count()).toBe(2);
    expect(await page.getByTestId('row-edit-role').nth(1).inputValue()).toBe('assistant');
    await page.getByTestId('row-edit-content').nth(1).fill('Paris.');
    await page.getByTestId('row-edit-save').click();
    await page.getByTestId('row-detail-valid').waitFor();
    expect(await page.getByTestId('row-status').textContent()).toContain('valid');
    expect(await page.getByTestId('row-bubbles').textContent()).toContain('Paris.');
    await expectCount(page, 'count-invalid', 0);
    await expectCount(page, 'count-valid', 3);
  });

  it('previews duplicates and deletes them', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 50 }, (_, i) => chatRow(i));
    rows.push(chatRow(10));
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'dupes.jsonl', rows));
    await expectTotal(page, 51);

    await page.getByTestId('action-dedupe').click();
    await page.getByTestId('dedupe-exact').check();
    await page.getByTestId('dedupe-preview').click();
    await page.getByTestId('dedupe-result').waitFor();
    expect(await page.getByTestId('dedupe-summary').textContent()).toMatch(
      /1 groups?, 1 rows? would be deleted/,
    );
    expect(await page.getByTestId('dedupe-groups').locator('li').count()).toBe(1);
    await page.getByTestId('dedupe-apply').click();
    await until(
      () => page.getByTestId('dedupe-summary').textContent(),
      (text) => text?.startsWith('Deleted 1 duplicate') === true,
    );
    await page.getByTestId('dedupe-done').click();
    await expectCount(page, 'count-deleted', 1);
    await expectTotal(page, 50);

    // The removed row is among the deleted rows, and can be restored.
    await page.getByTestId('rows-filters-toggle').click();
    await page.getByTestId('filter-deleted').check();
    await expectTotal(page, 1);
    await page.getByTestId('row-item').click();
    await page.getByTestId('row-detail-deleted').waitFor();
    expect(await page.getByTestId('row-detail-location').textContent()).toBe('line 51');
  });

  it('deletes every row matching a filter after confirming the count', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? chatRow(i, 'needle') : chatRow(i)));
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'bulk.jsonl', rows));
    await page.getByTestId('rows-search').fill('needle');
    await expectTotal(page, 10);
    await page.getByTestId('bulk-delete').click();
    expect(await page.getByTestId('bulk-count').textContent()).toContain('10 rows');
    await page.getByTestId('bulk-confirm').click();
    await page.getByTestId('rows-notice').waitFor();
    await expectTotal(page, 0);
    await expectCount(page, 'count-deleted', 10);
    await page.getByTestId('rows-search').fill('');
    await expectTotal(page, 30);
  });

  it('splits into train and validation and shows the counts', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'split.jsonl',
        Array.from({ length: 100 }, (_, i) => chatRow(i)),
      ),
    );
    await page.getByTestId('action-split').click();
    await page.getByTestId('split-percent').fill('10');
    await page.getByTestId('split-seed').fill('7');
    await page.getByTestId('split-apply').click();
    await page.getByTestId('split-result').waitFor();
    const train = Number(await page.getByTestId('split-train').textContent());
    const val = Number(await page.getByTestId('split-val').textContent());
    expect(val).toBe(10);
    expect(train).toBe(90);
    // "90 train · 10 val" reads on one line.
    const [trainBox, valBox] = await Promise.all([
      page.getByTestId('split-train').boundingBox(),
      page.getByTestId('split-val').boundingBox(),
    ]);
    expect(Math.abs((trainBox?.y ?? 0) - (valBox?.y ?? 100))).toBeLessThan(2);
    await page.getByTestId('split-close').click();
    await expectCount(page, 'count-train', 90);
    await expectCount(page, 'count-val', 10);
  });

  it('freezes v1, which appears in the versions list', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'freeze.jsonl',
        Array.from({ length: 25 }, (_, i) => chatRow(i)),
      ),
    );
    await page.getByTestId('action-freeze').click();
    await page.getByTestId('freeze-note').fill('first cut');
    await page.getByTestId('freeze-confirm').click();
    await page.getByTestId('versions-table').waitFor();
    const v1 = page.locator('[data-testid="version-row"][data-version="1"]');
    await v1.waitFor();
    expect(await v1.getByTestId('version-rows').textContent()).toBe('25');
    expect(await v1.textContent()).toContain('first cut');
    expect(await numberAttr(page, 'count-versions')).toBe(1);
  });
});
