import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/open';
import { defaultMigrationsDir } from '../../../main/paths';
import { makeTempDir } from '../../helpers/temp-dir';

describe('migration content_hash_blob: hex content hashes become 8-byte BLOBs', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('converts the rows of a database made before it, keeping which rows are duplicates', async () => {
    // The migrations as they were before this one (whatever number the merger gives it).
    const before = join(tmp.dir, 'before');
    cpSync(defaultMigrationsDir(), before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    const at = journal.entries.findIndex((e) => e.tag.endsWith('_content_hash_blob'));
    expect(at).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, at);
    writeFileSync(journalPath, JSON.stringify(journal));

    const file = join(tmp.dir, 'old.db');
    const old = await openDatabase({ file, migrationsDir: before });
    old.sqlite
      .prepare(
        `INSERT INTO datasets (id, name, format, shape, status, source_name, created_at, updated_at)
         VALUES ('ds_old', 'old', 'jsonl', 'text', 'ready', 'old.jsonl', 0, 0)`,
      )
      .run();
    const insert = old.sqlite.prepare(
      `INSERT INTO dataset_rows (dataset_id, row_index, original_json, canonical_json, valid, content_hash,
         created_at, updated_at) VALUES ('ds_old', ?, '{}', ?, 1, ?, 0, 0)`,
    );
    const hexes = ['00112233445566778899aabbccddeeff', 'ffeeddccbbaa99887766554433221100'];
    insert.run(0, '{"text":"a"}', hexes[0]);
    insert.run(1, '{"text":"b"}', hexes[1]);
    insert.run(2, '{"text":"a"}', hexes[0]);
    insert.run(3, '{}', null);
    old.close();

    const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
    try {
      const rows = opened.sqlite
        .prepare(
          'SELECT typeof(content_hash) AS type, hex(content_hash) AS hex FROM dataset_rows ORDER BY row_index',
        )
        .all();
      expect(rows).toEqual([
        { type: 'blob', hex: '0011223344556677' },
        { type: 'blob', hex: 'FFEEDDCCBBAA9988' },
        { type: 'blob', hex: '0011223344556677' },
        { type: 'null', hex: '' },
      ]);
    } finally {
      opened.close();
    }
  });
});
