import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findRawSql } from '../../scripts/sql-owners';
import { makeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** Files outside db/ allowed raw SQL, each with why (none today: keep it that way). */
const EXCEPTIONS: Readonly<Record<string, string>> = {};

describe('SQL has one owner: db/', () => {
  let tmp: ReturnType<typeof makeTempDir> | null = null;
  afterEach(() => tmp?.cleanup());

  it('no product file outside db/ prepares or executes SQL (beyond the listed exceptions)', () => {
    const found = findRawSql(ROOT)
      .filter((c) => !(c.file in EXCEPTIONS))
      .map((c) => `${c.file}:${c.line} ${c.text}`);
    expect(found, 'move these statements into a repository in db/repositories/').toEqual([]);
  });

  it('every exception still needs its place on the list', () => {
    const withSql = new Set(findRawSql(ROOT).map((c) => c.file));
    const stale = Object.keys(EXCEPTIONS).filter((file) => !withSql.has(file));
    expect(stale, 'these files no longer run raw SQL: remove them from EXCEPTIONS').toEqual([]);
  });

  it('finds prepare, exec with SQL and exec on a connection, not RegExp.exec, comments or db/', () => {
    tmp = makeTempDir();
    const root = tmp.dir;
    for (const d of ['main/a', 'db/repositories', 'renderer/src', 'scripts']) {
      mkdirSync(join(root, d), { recursive: true });
    }
    writeFileSync(
      join(root, 'main/a/service.ts'),
      [
        "const n = sqlite.prepare('SELECT 1').get();",
        'const m = this.deps.sqlite',
        '  .prepare(sql)',
        '  .all();',
        "other.exec('CREATE TABLE t (x)');",
        'db.exec(schemaText);',
        'handle.exec(',
        '  `delete from t`,',
        ');',
        'const found = /x(\\d+)/.exec(text);',
        'const again = pattern.exec(output);',
        '// sqlite.prepare(sql) in a comment',
        ' * or in a doc comment: sqlite.exec(sql)',
      ].join('\n'),
    );
    writeFileSync(
      join(root, 'db/repositories/rows.ts'),
      "sqlite.prepare('SELECT 1');\nsqlite.exec('VACUUM');\n",
    );
    writeFileSync(join(root, 'renderer/src/page.tsx'), 'const m = /a/.exec(s);\n');
    writeFileSync(join(root, 'scripts/tool.ts'), "database.exec('PRAGMA x');\n");
    const found = findRawSql(root).map((c) => `${c.file}:${c.line}`);
    expect(found.sort()).toEqual(
      [
        'main/a/service.ts:1',
        'main/a/service.ts:3',
        'main/a/service.ts:5',
        'main/a/service.ts:6',
        'main/a/service.ts:7',
        'scripts/tool.ts:1',
      ].sort(),
    );
  });
});
