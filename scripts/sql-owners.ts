/**
 * Repositories (db/) are the only code that runs SQL: a source file outside db/ that calls
 * `.prepare(` (better-sqlite3: always SQL) or `.exec(` with SQL (a SQL literal, or on a receiver
 * named like a connection) breaks the rule. Checked by test/unit/sql-owners.test.ts. Tests are not
 * scanned: a test that must look at the database opens the SQLite file itself (STYLE.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** One raw SQL call outside db/. */
export interface RawSqlCall {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/** Top-level folders of product code outside db/. */
const SCANNED = ['main', 'preload', 'renderer', 'scripts'];

const SQL_VERB =
  'SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|WITH|REPLACE|VACUUM|ATTACH|DETACH|ANALYZE|REINDEX';
/** `.prepare(` anywhere; `.exec(` with a SQL literal; `.exec(` on sqlite/db/database/connection. */
const RAW_SQL = new RegExp(
  [
    String.raw`\.prepare\s*\(`,
    String.raw`\.exec\s*\(\s*[\x60'"]\s*(?:${SQL_VERB})\b`,
    String.raw`\b(?:sqlite|db|database|connection|conn)\s*\??\.\s*exec\s*\(`,
  ].join('|'),
  'i',
);

function sourceFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (name === 'node_modules' || name === 'out') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every raw SQL call in product code outside db/ (comment lines are skipped). */
export function findRawSql(root: string): RawSqlCall[] {
  const calls: RawSqlCall[] = [];
  for (const top of SCANNED) {
    for (const file of sourceFiles(join(root, top))) {
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((text, i) => {
        const trimmed = text.trim();
        if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
        // `.exec(` may have its SQL literal on the next line.
        const joined = /\.exec\s*\(\s*$/.test(trimmed) ? `${trimmed} ${lines[i + 1]?.trim() ?? ''}` : trimmed;
        if (RAW_SQL.test(joined)) {
          calls.push({ file: relative(root, file).split(sep).join('/'), line: i + 1, text: trimmed });
        }
      });
    }
  }
  return calls;
}
