import { describe, expect, it } from 'vitest';
import { expectTotal, importThroughUi, useDatasetsE2e, writeJsonl } from './datasets-helpers';

describe('preference and tool-calling rows in the UI', () => {
  const e2e = useDatasetsE2e();

  it('shows a DPO pair with its chosen and rejected answers side by side', async () => {
    const page = e2e.page();
    const rows = Array.from({ length: 12 }, (_, i) => ({
      conversations: [{ from: 'human', value: `Explain topic ${i}.` }],
      chosen: { from: 'gpt', value: `A careful explanation of topic ${i}.` },
      rejected: { from: 'gpt', value: `Whatever about ${i}.` },
    }));
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'pairs.jsonl', rows));
    await expectTotal(page, 12);
    await page.getByTestId('row-item').first().click();
    await page.getByTestId('row-pair').waitFor();
    expect(await page.getByTestId('row-prompt').textContent()).toContain('Explain topic 0.');
    expect(await page.getByTestId('row-chosen').textContent()).toContain('A careful explanation of topic 0.');
    expect(await page.getByTestId('row-rejected').textContent()).toContain('Whatever about 0.');
    const chosen = await page.getByTestId('row-chosen').boundingBox();
    const rejected = await page.getByTestId('row-rejected').boundingBox();
    // side by side: same row, rejected to the right
    expect(rejected && chosen && Math.abs(rejected.y - chosen.y) < 2 && rejected.x > chosen.x).toBe(true);
  });

  it('shows a tool-calling row with its tools and the call', async () => {
    const page = e2e.page();
    const tool = { name: 'get_price', description: 'Price of an item', parameters: { type: 'object' } };
    const rows = Array.from({ length: 5 }, (_, i) => ({
      conversations: [
        { from: 'human', value: `Price of item ${i}?` },
        { from: 'function_call', value: JSON.stringify({ name: 'get_price', arguments: { item: i } }) },
        { from: 'observation', value: `${i * 2}` },
        { from: 'gpt', value: `It costs ${i * 2}.` },
      ],
      tools: JSON.stringify([tool]),
    }));
    await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'tools.jsonl', rows));
    await expectTotal(page, 5);
    await page.getByTestId('row-item').first().click();
    await page.getByTestId('row-tools').waitFor();
    expect(await page.getByTestId('row-tools').textContent()).toContain('get_price');
    expect(await page.getByTestId('row-tool-calls').textContent()).toBe('get_price({"item":0})');
  });
});
