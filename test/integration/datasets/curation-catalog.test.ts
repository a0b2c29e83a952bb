import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contract } from '../../../preload/contract';
import { type CurationFixture, chat, createCurationFixture } from '../../helpers/curation-fixture';

describe('dataset list, details, rename and delete', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    let t = 1_000;
    fx = await createCurationFixture({ now: () => t++ });
    id = fx.addDataset([chat('q', 'a'), { raw: 'bad' }], 'first');
  });
  afterEach(() => fx.cleanup());

  it('lists ready datasets with their counts and version numbers, hiding imports in progress', async () => {
    fx.addDataset([chat('q', 'a')], 'busy', 'importing');
    const second = fx.addDataset([chat('x', 'y')], 'second');
    await fx.curator.freeze({ id });
    const list = fx.curator.list();
    expect(list.map((d) => d.name).sort()).toEqual(['first', 'second']);
    expect(list.find((d) => d.id === id)).toMatchObject({
      name: 'first',
      format: 'jsonl',
      shape: 'chat',
      status: 'ready',
      rows: 2,
      valid: 1,
      invalid: 1,
      versions: 1,
    });
    expect(list.find((d) => d.id === second)?.versions).toBe(0);
    expect(contract['datasets.list'].output.safeParse(list).success).toBe(true);
  });

  it('gives details that satisfy the contract: detection, statistics, versions', async () => {
    await fx.curator.freeze({ id, note: 'n' });
    const detail = fx.curator.get(id);
    expect(detail).toMatchObject({
      id,
      detection: { shape: 'chat', evidence: ['test rows'] },
      stats: { rows: 2, valid: 1, invalid: 1 },
      versionList: [{ version: 1, rows: 1, note: 'n' }],
      error: null,
    });
    expect(contract['datasets.get'].output.safeParse(detail).success).toBe(true);
    const importing = fx.addDataset([chat('q', 'a')], 'busy', 'importing');
    expect(fx.curator.get(importing).stats.rows).toBe(0);
  });

  it('renames and soft deletes, with a changed event each time', () => {
    const summary = fx.curator.rename(id, 'better name');
    expect(summary).toMatchObject({ id, name: 'better name' });
    expect(fx.curator.get(id).name).toBe('better name');
    expect(fx.curator.delete(id)).toEqual({ deleted: true });
    expect(fx.curator.list()).toEqual([]);
    expect(() => fx.curator.get(id)).toThrow(/no dataset/);
    expect(() => fx.curator.delete(id)).toThrow(/no dataset/);
    expect(fx.sqlite.prepare('SELECT count(*) FROM dataset_rows WHERE dataset_id = ?').pluck().get(id)).toBe(
      2,
    );
    const changed = fx.pushed.filter((e) => e.name === 'changed').map((e) => e.payload);
    expect(changed).toEqual([
      { entity: 'datasets', id },
      { entity: 'datasets', id },
    ]);
  });

  it('answers every row channel with output the contract accepts', async () => {
    const rows = fx.curator.rows({ id, offset: 0, limit: 10 });
    expect(contract['datasets.rows'].output.safeParse(rows).success).toBe(true);
    const preview = await fx.curator.dedupe({ id, mode: 'near', apply: false });
    expect(contract['datasets.dedupe'].output.safeParse(preview).success).toBe(true);
    const version = await fx.curator.freeze({ id });
    expect(contract['datasets.freeze'].output.safeParse(version).success).toBe(true);
    const stats = fx.curator.refreshStats(id);
    expect(contract['datasets.get'].output.shape.stats.safeParse(stats).success).toBe(true);
  });
});
