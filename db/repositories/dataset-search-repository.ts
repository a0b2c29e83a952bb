/**
 * The full-text index of dataset rows (`dataset_rows_fts`, migration 0001_rows_search): bulk
 * indexing after an import, and splitting search text into the tokens the index holds.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../open';

/** Page cache for the bulk index build: the FTS5 merge is several times faster with room to work. */
const BUILD_CACHE_KIB = 131_072;

/** The search index of dataset rows, on one connection. */
export class DatasetSearchRepository {
  private scratch: { insert: Statement; tokens: Statement; clear: Statement } | null = null;

  constructor(private readonly sqlite: SqliteDatabase) {}

  /**
   * Index every row of a dataset in one INSERT ... SELECT (the importer calls this once its rows are
   * in). Safe to call again: a dataset already (partly) indexed is indexed with INSERT OR REPLACE,
   * which is twice as slow, so the first run uses a plain INSERT. When this dataset is most of the
   * index, the index is merged into one segment afterwards, which makes large searches ~40% faster.
   */
  indexRows(datasetId: string): void {
    const sqlite = this.sqlite;
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
   * After rows were indexed as they were inserted (DatasetRowsRepository.insertIndexedBatch): merge
   * the index into one segment when this dataset is most of it (large searches ~40% faster). On the
   * connection's own page cache: the merge reads each old page once and writes each new one once, so
   * a big cache only held pages — 128 MB made a 1M-row merge slower (3.1 s against 2.5 s with 4 MB)
   * and was the import's peak memory on big files (+137 MB).
   */
  optimizeFor(datasetId: string): void {
    const sqlite = this.sqlite;
    const mine = sqlite
      .prepare('SELECT count(*) FROM dataset_rows WHERE dataset_id = ?')
      .pluck()
      .get(datasetId) as number;
    const all = (
      sqlite.prepare('SELECT max(id) - min(id) + 1 AS n FROM dataset_rows').get() as { n: number | null }
    ).n;
    if (mine === 0 || all === null || mine * 2 < all) return;
    sqlite.prepare("INSERT INTO dataset_rows_fts (dataset_rows_fts) VALUES ('optimize')").run();
  }

  /**
   * The tokens of `text`, in order, exactly as the index holds them (case-folded, diacritics
   * removed): the text goes through the same unicode61 tokenizer in a scratch FTS5 table of the
   * connection's temp schema (made on first use). Going through SQLite rather than a JS regex
   * guarantees every term is one token, which detail=column requires (a term of two tokens would
   * be a phrase query, an error).
   */
  tokenize(text: string): string[] {
    const scratch = this.scratch ?? this.openScratch();
    scratch.clear.run();
    scratch.insert.run(text);
    const terms = scratch.tokens.all() as string[];
    scratch.clear.run();
    return terms;
  }

  private openScratch(): { insert: Statement; tokens: Statement; clear: Statement } {
    this.sqlite.exec(
      `CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch
         USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
       CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch_terms
         USING fts5vocab(temp, search_scratch, instance);`,
    );
    this.scratch = {
      insert: this.sqlite.prepare('INSERT INTO temp.search_scratch (rowid, text) VALUES (1, ?)'),
      tokens: this.sqlite.prepare('SELECT term FROM temp.search_scratch_terms ORDER BY "offset"').pluck(),
      clear: this.sqlite.prepare('DELETE FROM temp.search_scratch'),
    };
    return this.scratch;
  }
}
