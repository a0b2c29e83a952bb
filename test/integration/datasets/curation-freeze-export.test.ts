import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CurationFixture, chat, createCurationFixture } from '../../helpers/curation-fixture';

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('freezing versions and exporting them', () => {
  let fx: CurationFixture;
  let id: string;

  beforeEach(async () => {
    fx = await createCurationFixture();
    id = fx.addDataset([
      { raw: { instruction: 'Say hi', output: 'hi' } },
      chat('two', 'second'),
      { text: 'third as text' },
      { messages: [{ role: 'user', content: 'invalid' }] },
      chat('five', 'fifth'),
    ]);
    // Row 0 as an importer of an Alpaca file stores it: the original differs from the canonical form.
    const [first] = fx.rowIds(id);
    fx.sqlite
      .prepare("UPDATE dataset_rows SET canonical_json = ?, valid = 1, problems_json = '[]' WHERE id = ?")
      .run(JSON.stringify(chat('Say hi', 'hi')), first);
  });
  afterEach(() => fx.cleanup());

  it('writes valid live rows with their split and row index to a read-only v1.jsonl, hashed and counted', async () => {
    const ids = fx.rowIds(id);
    await fx.curator.setDeleted({ selection: { datasetId: id, rowIds: [ids[4] ?? 0] }, deleted: true });
    await fx.curator.split({ id, valCount: 1, seed: 1 });
    const version = await fx.curator.freeze({ id, note: 'first cut' });
    expect(version).toMatchObject({
      datasetId: id,
      version: 1,
      rows: 3,
      train: 2,
      val: 1,
      note: 'first cut',
    });
    expect(version.path).toBe(`datasets/${id}/v1.jsonl`);
    const file = join(fx.dataDir, version.path);
    const bytes = readFileSync(file);
    expect(version.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(version.sizeBytes).toBe(bytes.length);
    expect(statSync(file).mode & 0o777).toBe(0o444);
    const rows = lines(file);
    expect(rows.map((r) => r.row)).toEqual([0, 1, 2]);
    expect(rows[0]).toEqual({
      ...chat('Say hi', 'hi'),
      split: expect.stringMatching(/^(train|val)$/),
      row: 0,
    });
    expect(rows[2]).toMatchObject({ text: 'third as text' });
    expect(rows.filter((r) => r.split === 'val')).toHaveLength(1);
    expect(readdirSync(join(fx.dataDir, 'datasets', id))).toEqual(['v1.jsonl']);
  });

  it('numbers versions v1, v2 and keeps earlier files as they were', async () => {
    const v1 = await fx.curator.freeze({ id });
    const before = readFileSync(join(fx.dataDir, v1.path));
    fx.curator.updateRow({ datasetId: id, rowId: fx.rowIds(id)[1] ?? 0, canonical: { text: 'edited' } });
    const v2 = await fx.curator.freeze({ id });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.path).toBe(`datasets/${id}/v2.jsonl`);
    expect(readFileSync(join(fx.dataDir, v1.path))).toEqual(before);
    expect(v2.sha256).not.toBe(v1.sha256);
    expect(fx.curator.get(id).versionList.map((v) => v.version)).toEqual([2, 1]);
    expect(fx.curator.list().find((d) => d.id === id)?.versions).toBe(2);
  });

  it('refuses to freeze a dataset without valid rows, leaving no file', async () => {
    await fx.curator.setDeleted({ selection: { datasetId: id, filter: { valid: true } }, deleted: true });
    await expect(fx.curator.freeze({ id })).rejects.toThrow(/no valid rows/);
    expect(readdirSync(join(fx.dataDir, 'datasets', id))).toEqual([]);
  });

  it('exports a version as canonical chat JSONL or in the original shape', async () => {
    const version = await fx.curator.freeze({ id });
    const canonical = join(fx.dataDir, 'out-canonical.jsonl');
    expect(await fx.curator.export({ versionId: version.id, shape: 'canonical', path: canonical })).toEqual({
      path: canonical,
      rows: 4,
      bytes: statSync(canonical).size,
    });
    expect(lines(canonical)).toEqual([
      chat('Say hi', 'hi'),
      chat('two', 'second'),
      { text: 'third as text' },
      chat('five', 'fifth'),
    ]);
    const original = join(fx.dataDir, 'out-original.jsonl');
    expect((await fx.curator.export({ versionId: version.id, shape: 'original', path: original })).rows).toBe(
      4,
    );
    expect(lines(original)[0]).toEqual({ instruction: 'Say hi', output: 'hi' });
    expect(lines(original)[1]).toEqual(chat('two', 'second'));
  });

  it('never overwrites a file, and never leaves a half file behind', async () => {
    const version = await fx.curator.freeze({ id });
    const taken = join(fx.dataDir, 'taken.jsonl');
    writeFileSync(taken, 'mine');
    await expect(
      fx.curator.export({ versionId: version.id, shape: 'canonical', path: taken }),
    ).rejects.toThrow(/already exists/);
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    await expect(
      fx.curator.export({
        versionId: version.id,
        shape: 'canonical',
        path: join(fx.dataDir, 'missing', 'x.jsonl'),
      }),
    ).rejects.toThrow(/folder does not exist/);
    await expect(
      fx.curator.export({ versionId: version.id, shape: 'canonical', path: 'relative.jsonl' }),
    ).rejects.toThrow(/full path/);
    await expect(
      fx.curator.export({ versionId: 'dsv_nope', shape: 'canonical', path: join(fx.dataDir, 'n.jsonl') }),
    ).rejects.toThrow(/no version/);
    expect(readdirSync(fx.dataDir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('refuses to export a version whose file changed on disk', async () => {
    const version = await fx.curator.freeze({ id });
    const file = join(fx.dataDir, version.path);
    chmodSync(file, 0o644);
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"text":"smuggled","split":"train","row":1}\n`);
    const target = join(fx.dataDir, 'tampered.jsonl');
    await expect(
      fx.curator.export({ versionId: version.id, shape: 'canonical', path: target }),
    ).rejects.toThrow(/changed on disk/);
    expect(existsSync(target)).toBe(false);
  });
});
