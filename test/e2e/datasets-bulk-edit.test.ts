import { describe, expect, it } from 'vitest';
import {
  chatRow,
  expectCount,
  expectTotal,
  importThroughUi,
  useDatasetsE2e,
  writeJsonl,
} from './datasets-helpers';

/** Enough rows that a bulk edit runs for a few seconds of 1,000-row slices. */
const ROWS = 60_000;

describe('bulk edits in the UI', () => {
  const e2e = useDatasetsE2e();

  it('shows a bulk delete moving, and a cancel stops it with the rows it changed', async () => {
    const page = e2e.page();
    await importThroughUi(
      e2e,
      await writeJsonl(
        e2e.inputDir(),
        'many.jsonl',
        Array.from({ length: ROWS }, (_, i) => chatRow(i)),
      ),
    );
    await expectTotal(page, ROWS);
    await page.getByTestId('bulk-delete').click();
    await page.getByTestId('bulk-confirm').click();
    // The bar moves (a fraction above zero), then Cancel stops the delete between two slices.
    const bar = page.getByTestId('bulk-progress');
    await expect
      .poll(async () => Number((await bar.getAttribute('data-fraction').catch(() => null)) ?? 0), {
        timeout: 30_000,
        interval: 20,
      })
      .toBeGreaterThan(0);
    await page.getByTestId('bulk-cancel').click();
    const notice = page.getByTestId('rows-notice');
    await notice.waitFor({ timeout: 30_000 });
    const match = /^Cancelled after changing ([\d,]+) rows\.$/.exec((await notice.textContent()) ?? '');
    expect(match).not.toBeNull();
    const changed = Number(match?.[1]?.replace(/,/g, ''));
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(ROWS);
    await expectCount(page, 'count-deleted', changed);
    await expectTotal(page, ROWS - changed);
  });
});
