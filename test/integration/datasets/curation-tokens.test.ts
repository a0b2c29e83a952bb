import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTinyTokenizer } from '../../fixtures/tokenizer/make-tiny-tokenizer';
import { type CurationFixture, chat, createCurationFixture } from '../../helpers/curation-fixture';

/**
 * Hand-counted with the tiny tokenizer (one token per byte; "hello" is one token; special tokens
 * are one token each; the ByteLevel pre-tokenizer keeps a leading space as its own "Ġ" byte):
 *  chat('hi', 'hello'):  <|im_start|> u s e r \n h i <|im_end|> \n <|im_start|> a s s i s t a n t \n hello <|im_end|> \n = 24
 *  'hello world':        hello Ġ w o r l d <|im_end|> = 8 (the trainer appends eos to text rows)
 *  system 'be brief', user 'hello hello', assistant 'ok':
 *    <|im_start|> s y s t e m \n b e Ġ b r i e f <|im_end|> \n   = 18
 *    <|im_start|> u s e r \n hello Ġ hello <|im_end|> \n          = 11
 *    <|im_start|> a s s i s t a n t \n o k <|im_end|> \n          = 15   → 44
 *  without a template, chat('hi', 'hello') is "user: hi\nassistant: hello":
 *    u s e r : Ġ h i \n a s s i s t a n t : Ġ hello = 21
 */
const ROWS = [
  chat('hi', 'hello'),
  { text: 'hello world' },
  chat('hello hello', 'ok', 'be brief'),
  { messages: [{ role: 'user' as const, content: 'not counted: invalid' }] },
  chat('not counted', 'deleted'),
];

describe('token statistics', () => {
  let fx: CurationFixture;
  let id: string;
  let ids: number[];

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset(ROWS);
    ids = fx.rowIds(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [ids[4] ?? 0] }, deleted: true });
  });
  afterEach(() => fx.cleanup());

  const tokenCounts = () => ids.map((rowId) => fx.rowRecord(rowId).token_count);

  it('renders conversations with the chat template and counts every valid live row', async () => {
    const modelDir = makeTinyTokenizer(join(fx.dataDir, 'model'));
    const stats = await fx.curator.tokenStats({ id, modelDir, maxSeqLen: 16 });
    expect(stats).toMatchObject({
      modelDir,
      maxSeqLen: 16,
      rowsCounted: 3,
      total: 76,
      mean: 76 / 3,
      p50: 24,
      p95: 44,
      max: 44,
      truncated: 2,
      usedChatTemplate: true,
    });
    expect(stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(tokenCounts()).toEqual([24, 8, 44, null, null]);
    expect(fx.curator.get(id).stats.tokens).toEqual(stats);
    const task = fx.pushed.find((e) => e.name === 'task' && e.payload.kind === 'datasets.tokenStats');
    expect(task?.payload).toMatchObject({ kind: 'datasets.tokenStats', state: 'completed', resultId: id });
  });

  it('reads the template from chat_template.jinja, and counts plainly without one', async () => {
    const fromFile = makeTinyTokenizer(join(fx.dataDir, 'file-template'), { template: 'file' });
    expect((await fx.curator.tokenStats({ id, modelDir: fromFile, maxSeqLen: 64 })).total).toBe(76);
    const none = makeTinyTokenizer(join(fx.dataDir, 'no-template'), { template: 'none' });
    const plain = await fx.curator.tokenStats({ id, modelDir: none, maxSeqLen: 64 });
    expect(plain.usedChatTemplate).toBe(false);
    expect(tokenCounts()[0]).toBe(21);
    expect(plain.truncated).toBe(0);
  });

  it('keeps the last token count when the rows change', async () => {
    const modelDir = makeTinyTokenizer(join(fx.dataDir, 'model'));
    await fx.curator.tokenStats({ id, modelDir, maxSeqLen: 16 });
    fx.curator.updateRow({ datasetId: id, rowId: ids[1] ?? 0, canonical: { text: 'hello' } });
    expect(fx.rowRecord(ids[1] ?? 0).token_count).toBeNull();
    expect(fx.curator.get(id).stats.tokens?.total).toBe(76);
  });

  it('says clearly when the folder has no tokenizer', async () => {
    await expect(fx.curator.tokenStats({ id, modelDir: fx.dataDir, maxSeqLen: 64 })).rejects.toThrow(
      /has no tokenizer\.json/,
    );
    const failed = fx.pushed.find((e) => e.name === 'task' && e.payload.kind === 'datasets.tokenStats');
    expect(failed?.payload).toMatchObject({ state: 'failed', error: { code: 'BAD_INPUT' } });
  });
});

describe('token statistics in worker threads', () => {
  it('gives the same numbers off the main thread, with progress events', async () => {
    const fx = await createCurationFixture({ workers: true, tokenWorkers: 1 });
    try {
      const id = fx.addDataset(ROWS.slice(0, 3));
      const modelDir = makeTinyTokenizer(join(fx.dataDir, 'model'));
      const stats = await fx.curator.tokenStats({ id, modelDir, maxSeqLen: 16 });
      expect(stats).toMatchObject({ rowsCounted: 3, total: 76, p50: 24, max: 44, truncated: 2 });
      expect(fx.rowIds(id).map((rowId) => fx.rowRecord(rowId).token_count)).toEqual([24, 8, 44]);
      expect(fx.pushed.some((e) => e.name === 'progress' && e.payload.kind === 'datasets.tokenStats')).toBe(
        true,
      );
    } finally {
      fx.cleanup();
    }
  });

  it('splits a big dataset between several workers and adds their counts up', async () => {
    const fx = await createCurationFixture({ workers: true, tokenWorkers: 3 });
    try {
      const rows = Array.from({ length: 15_000 }, (_, i) =>
        i % 3 === 2 ? { text: 'hello world' } : (ROWS[i % 3] ?? ROWS[0]),
      );
      const id = fx.addDataset(rows as typeof ROWS);
      const modelDir = makeTinyTokenizer(join(fx.dataDir, 'model'));
      const stats = await fx.curator.tokenStats({ id, modelDir, maxSeqLen: 16 });
      // 5,000 rows each of 24, 8 (text) and 8 tokens.
      expect(stats).toMatchObject({
        rowsCounted: 15_000,
        total: 5000 * (24 + 8 + 8),
        max: 24,
        truncated: 5000,
      });
      const stored = fx.sqlite
        .prepare('SELECT count(*) AS n, sum(token_count) AS total FROM dataset_rows WHERE dataset_id = ?')
        .get(id);
      expect(stored).toEqual({ n: 15_000, total: 200_000 });
    } finally {
      fx.cleanup();
    }
  });
});
