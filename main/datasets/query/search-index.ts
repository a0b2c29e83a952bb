/**
 * The full-text index of dataset rows (`dataset_rows_fts`, migration 0001_rows_search): bulk
 * indexing after an import, and turning what a person types into a safe FTS5 query.
 */
import type { SqliteDatabase } from '../../../db/open';

/** Page cache for the bulk index build: the FTS5 merge is several times faster with room to work. */
const BUILD_CACHE_KIB = 131_072;
/** Longest query we build: more terms only narrow further and cost more. */
const MAX_TERMS = 16;
/**
 * The index stores 3- and 4-character prefixes (prefix='3 4'): a prefix of 3 or 4 reads one list,
 * a longer one merges the few words it starts; shorter ones would merge a large part of the vocabulary.
 */
const MIN_PREFIX_CHARS = 3;

/**
 * Index every row of a dataset in one INSERT ... SELECT (the importer calls this once its rows are
 * in). Safe to call again: a dataset already (partly) indexed is indexed with INSERT OR REPLACE,
 * which is twice as slow, so the first run uses a plain INSERT. When this dataset is most of the
 * index, the index is merged into one segment afterwards, which makes large searches ~40% faster.
 */
export function indexDatasetRows(sqlite: SqliteDatabase, datasetId: string): void {
  const span = sqlite
    .prepare('SELECT min(id) AS lo, max(id) AS hi FROM dataset_rows WHERE dataset_id = ?')
    .get(datasetId) as { lo: number | null; hi: number | null };
  if (span.lo === null || span.hi === null) return;
  const indexedBefore =
    sqlite
      .prepare('SELECT 1 FROM dataset_rows_fts WHERE rowid BETWEEN ? AND ? LIMIT 1')
      .get(span.lo, span.hi) !== undefined;
  const previousCache = sqlite.pragma('cache_size', { simple: true }) as number;
  sqlite.pragma(`cache_size = -${BUILD_CACHE_KIB}`);
  try {
    const indexed = sqlite
      .prepare(
        `INSERT ${indexedBefore ? 'OR REPLACE ' : ''}INTO dataset_rows_fts (rowid, text, roles)
         SELECT id, coalesce(text, ''), coalesce(roles, '') FROM dataset_rows_search_text WHERE dataset_id = ?`,
      )
      .run(datasetId).changes;
    const all = (
      sqlite.prepare('SELECT max(id) - min(id) + 1 AS n FROM dataset_rows').get() as { n: number | null }
    ).n;
    if (indexed > 0 && all !== null && indexed * 2 >= all) {
      sqlite.prepare("INSERT INTO dataset_rows_fts (dataset_rows_fts) VALUES ('optimize')").run();
    }
  } finally {
    sqlite.pragma(`cache_size = ${Math.trunc(previousCache)}`);
  }
}

/**
 * Splits text into the exact tokens the index holds (case-folded, diacritics removed) by running it
 * through the same unicode61 tokenizer in a scratch FTS5 table of the connection's temp schema.
 * Going through SQLite rather than a JS regex guarantees every term is one token, which
 * detail=column requires (a term of two tokens would be a phrase query, an error).
 */
export class SearchTokenizer {
  private readonly insert;
  private readonly tokens;
  private readonly clear;

  constructor(sqlite: SqliteDatabase) {
    sqlite.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch
         USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
       CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch_terms
         USING fts5vocab(temp, search_scratch, instance);`,
    );
    this.insert = sqlite.prepare('INSERT INTO temp.search_scratch (rowid, text) VALUES (1, ?)');
    this.tokens = sqlite.prepare('SELECT term FROM temp.search_scratch_terms ORDER BY "offset"').pluck();
    this.clear = sqlite.prepare('DELETE FROM temp.search_scratch');
  }

  /** The tokens of `text`, in order. */
  tokenize(text: string): string[] {
    this.clear.run();
    this.insert.run(text);
    const terms = this.tokens.all() as string[];
    this.clear.run();
    return terms;
  }
}

/**
 * An FTS5 expression for the row browser: every token a quoted term (all must match), the last one
 * a prefix while it is still being typed (no separator after it) and at least 3 characters long.
 * Null when the text holds nothing searchable. Never passes FTS5 syntax through.
 */
export function toFtsQuery(tokens: ReadonlyArray<string>, stillTyping: boolean): string | null {
  const terms = [...new Set(tokens.filter((t) => t.length > 0 && !t.includes('"')))].slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms
    .map((t, i) => {
      const prefix = stillTyping && i === terms.length - 1 && [...t].length >= MIN_PREFIX_CHARS;
      return prefix ? `"${t}"*` : `"${t}"`;
    })
    .join(' ');
}

/** Whether the last word of a search box is still being typed: it ends in a letter or digit. */
export function endsInWord(text: string): boolean {
  return /[\p{L}\p{N}\p{M}]$/u.test(text);
}
