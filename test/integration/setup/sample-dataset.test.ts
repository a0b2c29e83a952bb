import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../main/core';
import type { DatasetDetail, DatasetRowView } from '../../../preload/contract';
import { call } from '../../helpers/library-core';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

describe('the shipped sample dataset', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('imports with `datasets import --sample`: 250 valid rows, 2 invalid ones at their source lines', async () => {
    const dataDir = join(tmp.dir, 'data');
    const imported = await runCli(['datasets', 'import', '--sample', '--json', '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout);
    expect(summary).toMatchObject({
      name: 'Lab assistant (sample)',
      format: 'jsonl',
      shape: 'chat',
      rows: 252,
      valid: 250,
      invalid: 2,
    });

    const core = await createCore({ dataDir });
    try {
      const invalid = await call<{ total: number; rows: DatasetRowView[] }>(core, 'datasets.rows', {
        id: summary.id,
        offset: 0,
        limit: 10,
        filter: { valid: false },
      });
      expect(invalid.total).toBe(2);
      expect(invalid.rows.map((r) => r.lineNumber)).toEqual([38, 182]);
      expect(invalid.rows.every((r) => r.problems.length > 0)).toBe(true);
      const detail = await call<DatasetDetail>(core, 'datasets.get', { id: summary.id });
      expect(detail.stats.problems.length).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });

  it('names the invalid rows by their source lines in the text output', async () => {
    const dataDir = join(tmp.dir, 'data');
    const imported = await runCli(['datasets', 'import', '--sample', '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    const lines = imported.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Imported 252 rows \(250 valid, 2 invalid\)/);
    expect(lines[1]).toMatch(/^ {2}line 38: `messages\[1\]\.role` is `bot`/);
    expect(lines[2]).toMatch(/^ {2}line 182: /);
    expect(lines).toHaveLength(3);
  });

  it('refuses a FILE together with --sample, and a missing FILE names --sample', async () => {
    const dataDir = join(tmp.dir, 'data');
    const both = await runCli(['datasets', 'import', 'x.jsonl', '--sample', '--json', '--data-dir', dataDir]);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stdout).error.message).toMatch(/either a FILE or --sample/);
    const none = await runCli(['datasets', 'import', '--json', '--data-dir', dataDir]);
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.message).toMatch(/--sample/);
  });
});
