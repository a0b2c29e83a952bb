import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../bench/curation-data';
import {
  type CurationFixture,
  chat,
  createCurationFixture,
  type RowSpec,
} from '../../helpers/curation-fixture';

const random = seededRandom(11);
const words = (n: number): string[] => Array.from({ length: n }, () => `w${Math.floor(random() * 5000)}`);
/** The same words with `changes` of them replaced, spread evenly (each change alters 5 shingles). */
/** A preview's groups as row ids only (the labels are checked in the exact-duplicates test). */
const idsOf = (sample: ReadonlyArray<{ keep: number; remove: ReadonlyArray<number> }>) =>
  sample.map(({ keep, remove }) => ({ keep, remove }));
const edited = (base: string[], changes: number): string[] =>
  base.map((w, i) => (changes > 0 && i % Math.floor(base.length / changes) === 7 ? `changed${i}` : w));

describe('deduplication', () => {
  let fx: CurationFixture;
  beforeEach(async () => {
    fx = await createCurationFixture();
  });
  afterEach(() => fx.cleanup());

  it('previews exact duplicates (case and spacing ignored), then deletes all but the first of each', async () => {
    const id = fx.addDataset([
      chat('Same question', 'Same answer'), // 0 kept
      chat('other', 'row'),
      chat('same   QUESTION', 'same answer'), // 2 → removed
      chat('other', 'row'), // 3 → removed
      chat('Same question', 'Same answer'), // 4 → removed
      {
        messages: [
          { role: 'user', content: 'Same question' },
          { role: 'assistant', content: 'Same answer' },
          { role: 'user', content: 'x' },
        ],
      },
    ]);
    const ids = fx.rowIds(id);
    const preview = await fx.curator.dedupe({ id, mode: 'exact', apply: false });
    expect(preview).toEqual({
      mode: 'exact',
      threshold: null,
      groups: 2,
      duplicates: 3,
      // Each row also by its one visible identity: its source line (the fixture's line = row index + 1).
      sample: [
        { keep: ids[0], remove: [ids[2], ids[4]], keepLabel: 'line 1', removeLabels: ['line 3', 'line 5'] },
        { keep: ids[1], remove: [ids[3]], keepLabel: 'line 2', removeLabels: ['line 4'] },
      ],
      applied: false,
    });
    expect(fx.curator.rows({ id, offset: 0, limit: 10 }).total).toBe(6);
    const applied = await fx.curator.dedupe({ id, mode: 'exact', apply: true });
    expect(applied).toMatchObject({ groups: 2, duplicates: 3, applied: true });
    expect(fx.curator.rows({ id, offset: 0, limit: 10 }).rows.map((r) => r.rowIndex)).toEqual([0, 1, 5]);
    expect(fx.curator.get(id)).toMatchObject({ rows: 3 });
    expect(await fx.curator.dedupe({ id, mode: 'exact', apply: false })).toMatchObject({
      groups: 0,
      duplicates: 0,
    });
  });

  it('finds near duplicates above the threshold and not below it', async () => {
    const a = words(400);
    const b = words(200);
    const c = words(200);
    const rows: RowSpec[] = [
      { text: a.join(' ') }, // 0
      { text: b.join(' ') }, // 1
      { text: edited(a, 1).join(' ') }, // 2: J ≈ 0.975 with 0
      { text: edited(b, 5).join(' ') }, // 3: J ≈ 0.77 with 1
      { text: edited(c, 20).join(' ') }, // 4: J ≈ 0.3 with 5
      { text: c.join(' ') }, // 5
      chat('What is the capital of France?', 'Paris.'), // 6
      chat('what is the capital of france ?', 'Paris'), // 7: short text, character shingles
      chat('What is the capital of Spain?', 'Madrid.'), // 8
    ];
    const id = fx.addDataset(rows);
    const ids = fx.rowIds(id);
    const strict = await fx.curator.dedupe({ id, mode: 'near', threshold: 0.9, apply: false });
    expect(idsOf(strict.sample)).toEqual([{ keep: ids[0], remove: [ids[2]] }]);
    const loose = await fx.curator.dedupe({ id, mode: 'near', threshold: 0.6, apply: false });
    expect(loose).toMatchObject({ mode: 'near', threshold: 0.6, groups: 3, duplicates: 3, applied: false });
    expect(idsOf(loose.sample)).toEqual([
      { keep: ids[0], remove: [ids[2]] },
      { keep: ids[1], remove: [ids[3]] },
      { keep: ids[6], remove: [ids[7]] },
    ]);
    // Deterministic: the same rows give the same groups every time.
    expect(await fx.curator.dedupe({ id, mode: 'near', threshold: 0.6, apply: false })).toEqual(loose);
    const applied = await fx.curator.dedupe({ id, mode: 'near', threshold: 0.6, apply: true });
    expect(applied.applied).toBe(true);
    expect(fx.curator.rows({ id, offset: 0, limit: 20 }).rows.map((r) => r.rowIndex)).toEqual([
      0, 1, 4, 5, 6, 8,
    ]);
  });

  it('uses the default threshold and groups a cluster once, keeping its first row', async () => {
    const base = words(300);
    const id = fx.addDataset([
      { text: edited(base, 1).join(' ') },
      { text: base.join(' ') },
      { text: base.join(' ') },
      { text: edited(base, 2).join(' ') },
    ]);
    const ids = fx.rowIds(id);
    const preview = await fx.curator.dedupe({ id, mode: 'near', apply: false });
    expect(preview.threshold).toBe(0.85);
    expect(idsOf(preview.sample)).toEqual([{ keep: ids[0], remove: [ids[1], ids[2], ids[3]] }]);
  });
});

describe('near deduplication in a worker thread', () => {
  it('gives the same groups as in process', async () => {
    const fx = await createCurationFixture({ workers: true });
    try {
      const base = words(100);
      const id = fx.addDataset([
        { text: base.join(' ') },
        chat('x', 'y'),
        { text: edited(base, 1).join(' ') },
      ]);
      const ids = fx.rowIds(id);
      const preview = await fx.curator.dedupe({ id, mode: 'near', threshold: 0.8, apply: false });
      expect(idsOf(preview.sample)).toEqual([{ keep: ids[0], remove: [ids[2]] }]);
    } finally {
      fx.cleanup();
    }
  });
});
