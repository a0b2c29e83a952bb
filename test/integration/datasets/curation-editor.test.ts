import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../main/datasets/normalise/content-hash';
import { type CurationFixture, chat, createCurationFixture } from '../../helpers/curation-fixture';

describe('row editing, deletion and tags', () => {
  let fx: CurationFixture;
  let id: string;
  let ids: number[];

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset([
      chat('first question', 'first answer'),
      { messages: [{ role: 'user', content: 'unanswered' }] },
      chat('third question', 'third answer'),
      chat('fourth question', 'fourth answer'),
    ]);
    ids = fx.rowIds(id);
  });
  afterEach(() => fx.cleanup());

  const counts = () => {
    const d = fx.curator.get(id);
    return { rows: d.rows, valid: d.valid, invalid: d.invalid };
  };
  const changedEvents = () => fx.pushed.filter((e) => e.name === 'changed' && e.payload.id === id).length;

  it('revalidates an edited row, keeps its original, updates counts, stats and search', () => {
    fx.curator.get(id);
    const before = fx.rowRecord(ids[1] ?? 0);
    const canonical = {
      messages: [
        { role: 'user', content: 'unanswered' },
        { role: 'assistant', content: 'Now answered, with a zebra.' },
      ],
    };
    const view = fx.curator.updateRow({ datasetId: id, rowId: ids[1] ?? 0, canonical });
    expect(view).toMatchObject({ valid: true, problems: [], turns: 2, canonical, charLength: 38 });
    const after = fx.rowRecord(ids[1] ?? 0);
    expect(after.original_json).toBe(before.original_json);
    expect(after.content_hash).toEqual(contentHash(canonical as never));
    expect(counts()).toEqual({ rows: 4, valid: 4, invalid: 0 });
    expect(fx.curator.get(id).stats).toMatchObject({ valid: 4, invalid: 0 });
    expect(fx.curator.rows({ id, offset: 0, limit: 10, filter: { search: 'zebra' } }).total).toBe(1);
    expect(changedEvents()).toBe(1);
  });

  it('stores an edit that breaks a rule as an invalid row with its problems', () => {
    const view = fx.curator.updateRow({
      datasetId: id,
      rowId: ids[0] ?? 0,
      canonical: {
        messages: [
          { role: 'assistant', content: 'hi' },
          { role: 'system', content: 'late' },
        ],
      },
    });
    expect(view.valid).toBe(false);
    expect(view.problems.map((p) => p.message)).toEqual([
      'a system message may only come first',
      'ends with a system message, not an assistant reply',
    ]);
    expect(counts()).toEqual({ rows: 4, valid: 2, invalid: 2 });
  });

  it('rejects an edit that is not a row and changes nothing', () => {
    const before = fx.rowRecord(ids[0] ?? 0);
    expect(() =>
      fx.curator.updateRow({
        datasetId: id,
        rowId: ids[0] ?? 0,
        canonical: { messages: [{ role: 'bot', content: 'x' }] },
      }),
    ).toThrow(/not saved.*messages\.0\.role/);
    expect(() => fx.curator.updateRow({ datasetId: id, rowId: ids[0] ?? 0, canonical: 'text' })).toThrow(
      /not saved/,
    );
    expect(() => fx.curator.updateRow({ datasetId: id, rowId: 999_999, canonical: { text: 'x' } })).toThrow(
      /not in dataset/,
    );
    expect(fx.rowRecord(ids[0] ?? 0)).toEqual(before);
    expect(counts()).toEqual({ rows: 4, valid: 3, invalid: 1 });
    expect(changedEvents()).toBe(0);
  });

  it('soft deletes every row of a filter and restores them, keeping counts right', async () => {
    const deleted = await fx.curator.setDeleted({
      selection: { datasetId: id, filter: { search: 'question' } },
      deleted: true,
    });
    expect(deleted).toEqual({ updated: 3 });
    expect(counts()).toEqual({ rows: 1, valid: 0, invalid: 1 });
    expect(fx.rowRecord(ids[0] ?? 0).deleted_at).toBeTypeOf('number');
    // Deleting again changes nothing.
    expect(
      await fx.curator.setDeleted({
        selection: { datasetId: id, filter: { search: 'question' } },
        deleted: true,
      }),
    ).toEqual({
      updated: 0,
    });
    const restored = await fx.curator.setDeleted({
      selection: { datasetId: id, filter: { deleted: true, search: 'third' } },
      deleted: false,
    });
    expect(restored).toEqual({ updated: 1 });
    expect(counts()).toEqual({ rows: 2, valid: 1, invalid: 1 });
    expect(
      await fx.curator.setDeleted({
        selection: { datasetId: id, filter: { deleted: true } },
        deleted: false,
      }),
    ).toEqual({
      updated: 2,
    });
    expect(counts()).toEqual({ rows: 4, valid: 3, invalid: 1 });
    expect(fx.curator.get(id).stats.deleted).toBe(0);
  });

  it('acts only on rows of the dataset named, whatever ids are given', async () => {
    const other = fx.addDataset([chat('other', 'set')], 'other');
    const [foreign] = fx.rowIds(other);
    expect(
      await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [foreign ?? 0] }, deleted: true }),
    ).toEqual({
      updated: 0,
    });
    expect(
      await fx.curator.tag({ selection: { datasetId: id, rowIds: [foreign ?? 0] }, add: ['x'] }),
    ).toEqual({
      updated: 0,
    });
  });

  it('adds and removes tags, kept unique and sorted, and reports only rows that changed', async () => {
    const sel = { datasetId: id, rowIds: [ids[0] ?? 0, ids[2] ?? 0] };
    expect(await fx.curator.tag({ selection: sel, add: ['zeta', 'alpha', 'zeta'] })).toEqual({ updated: 2 });
    expect(await fx.curator.tag({ selection: sel, add: ['alpha'] })).toEqual({ updated: 0 });
    expect(
      await fx.curator.tag({
        selection: { datasetId: id, filter: { search: 'third' } },
        add: ['mid'],
        remove: ['zeta'],
      }),
    ).toEqual({
      updated: 1,
    });
    const tags = fx.curator.rows({ id, offset: 0, limit: 10 }).rows.map((r) => r.tags);
    expect(tags).toEqual([['alpha', 'zeta'], [], ['alpha', 'mid'], []]);
    expect(
      await fx.curator.tag({
        selection: { datasetId: id, filter: { tag: 'alpha' } },
        remove: ['alpha', 'zeta', 'mid'],
      }),
    ).toEqual({
      updated: 2,
    });
    expect(fx.curator.rows({ id, offset: 0, limit: 10, filter: { tag: 'alpha' } }).total).toBe(0);
    expect(fx.rowRecord(ids[0] ?? 0).tags_json).toBe('[]');
  });
});
