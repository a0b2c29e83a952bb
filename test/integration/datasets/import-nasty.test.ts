import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../main/errors';
import { NASTY_CASES, type NastyImported, type NastyRefused } from '../../fixtures/datasets/make-nasty';
import { createImporterHarness, type ImporterHarness } from '../../helpers/dataset-importer-harness';

let h: ImporterHarness;
beforeAll(async () => {
  h = await createImporterHarness();
});
afterAll(() => h.cleanup());

const refused = (e: NastyImported | NastyRefused): e is NastyRefused => 'error' in e;

describe('nasty dataset inputs (RELIABILITY.md DATA-corpus)', () => {
  for (const nasty of NASTY_CASES) {
    const { expect: want } = nasty;
    if (refused(want)) {
      it(`refuses ${nasty.name} with a clear error and keeps nothing`, async () => {
        const before = h.counts();
        const filesBefore = h.dataFiles();
        const path = join(h.srcDir, nasty.file);
        writeFileSync(path, nasty.content());
        const error = await h.importer.importNow({ path }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe(want.code);
        expect((error as AppError).message).toMatch(want.error);
        expect(h.counts()).toEqual(before);
        expect(h.dataFiles()).toEqual(filesBefore);
      });
    } else {
      it(`imports ${nasty.name}: ${want.rows} rows, ${want.rows - want.valid} flagged`, async () => {
        const path = join(h.srcDir, nasty.file);
        const bytes = nasty.content();
        writeFileSync(path, bytes);
        const summary = await h.importer.importNow({ path });
        expect({ rows: summary.rows, valid: summary.valid, invalid: summary.invalid }).toEqual({
          rows: want.rows,
          valid: want.valid,
          invalid: want.rows - want.valid,
        });
        if (want.format) expect(summary.format).toBe(want.format);
        const dataset = h.dataset(summary.id);
        expect(dataset).toMatchObject({ status: 'ready', row_count: want.rows, valid_count: want.valid });
        expect(dataset.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
        expect(readFileSync(join(h.dataDir, dataset.file_path as string)).equals(bytes)).toBe(true);
        if (want.encoding) expect(JSON.parse(dataset.options_json as string).encoding).toBe(want.encoding);
        if (want.evidence)
          expect(JSON.parse(dataset.detection_json as string).evidence.join('\n')).toMatch(want.evidence);
        const rows = h.rows(summary.id);
        expect(rows).toHaveLength(want.rows);
        if (want.lines) expect(rows.map((r) => r.line_number)).toEqual(want.lines);
        const flagged = rows.filter((r) => r.valid === 0);
        if (want.problems) {
          expect(flagged.map((r) => r.line_number)).toEqual(want.problems.map(([line]) => line));
          want.problems.forEach(([, pattern], i) => {
            const problems = JSON.parse(flagged[i]!.problems_json) as Array<{ message: string }>;
            expect(problems.map((p) => p.message).join('\n')).toMatch(pattern);
          });
        }
        for (const row of rows) expect(() => JSON.parse(row.original_json)).not.toThrow();
      });
    }
  }

  it('never pollutes Object.prototype, and keeps `__proto__` keys as data', async () => {
    const path = join(h.srcDir, 'proto-check.jsonl');
    writeFileSync(path, '{"__proto__": {"polluted": "yes"}, "text": "own"}\n');
    const summary = await h.importer.importNow({ path });
    const [row] = h.rows(summary.id);
    const original = JSON.parse(row!.original_json) as Record<string, unknown>;
    expect(Object.keys(original)).toEqual(['__proto__', 'text']);
    expect(JSON.parse(row!.canonical_json!)).toEqual({ text: 'own' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('keeps integers past 2^53 digit for digit in the original', async () => {
    const path = join(h.srcDir, 'bigint-exact.jsonl');
    writeFileSync(path, '{"id": 123456789012345678901234567890, "text": "big"}\n');
    const summary = await h.importer.importNow({ path });
    expect(h.rows(summary.id)[0]!.original_json).toContain('123456789012345678901234567890');
  });

  it('imports a single 60 MB line (under the 64 MB limit) as one row, in linear time', async () => {
    const text = 'a'.repeat(60 * 1024 * 1024);
    const path = join(h.srcDir, 'huge-line.jsonl');
    writeFileSync(path, `{"text": "${text}"}\n{"text": "after"}\n`);
    const started = Date.now();
    const summary = await h.importer.importNow({ path });
    expect(summary).toMatchObject({ rows: 2, valid: 2, shape: 'text' });
    const lengths = h.sqlite
      .prepare(
        'SELECT char_length AS n, line_number AS line FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index',
      )
      .all(summary.id);
    expect(lengths).toEqual([
      { n: text.length, line: 1 },
      { n: 5, line: 2 },
    ]);
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 60_000);

  it('refuses a 100 MB line with its line number, and leaves no dataset behind', async () => {
    const path = join(h.srcDir, 'too-long-line.jsonl');
    writeFileSync(path, `{"text": "before"}\n{"text": "${'a'.repeat(100 * 1024 * 1024)}"}\n`);
    await expect(h.importer.importNow({ path })).rejects.toThrow(/^line 2 is longer than 64 MB; split it/);
    const left = h.sqlite
      .prepare("SELECT COUNT(*) AS n FROM datasets WHERE source_name = 'too-long-line.jsonl'")
      .get() as {
      n: number;
    };
    expect(left.n).toBe(0);
  }, 60_000);
});
