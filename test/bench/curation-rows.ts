/**
 * Row browser benchmark: a dataset of N synthetic chat rows (1,000,000 by default, ~1.6 kB each),
 * then 100-row pages with a search filter, as the row browser asks for them. Figures in ms:
 * `first_page_*` is a new search (its total counted), `scroll_page_*` the following pages of the
 * same search (total cached), `mixed_*` all of them. The database is kept in the temp folder and
 * reused by later runs. `npx tsx test/bench/curation-rows.ts [--rows N] [--db FILE] [--json]`.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteDatabase } from '../../db/open';
import { openDatabase } from '../../db/open';
import { DatasetRowQueryRepository } from '../../db/repositories/dataset-row-query-repository';
import { DatasetRowsRepository } from '../../db/repositories/dataset-rows-repository';
import { DatasetSearchRepository } from '../../db/repositories/dataset-search-repository';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { RowQuery } from '../../main/datasets/query/row-query';
import { defaultMigrationsDir } from '../../main/paths';
import type { RowFilter } from '../../preload/contract';
import { createRowGenerator, seededRandom } from './curation-data';

const BATCH = 5000;
const PAGE = 100;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Build (or reuse) the benchmark database; returns the dataset id and the generator's vocabulary. */
async function prepare(file: string, rows: number, log: (line: string) => void) {
  const fresh = !existsSync(file);
  const opened = await openDatabase({ file, migrationsDir: defaultMigrationsDir() });
  const datasets = new DatasetsRepository(opened.db);
  const generator = createRowGenerator(1);
  const figures: Record<string, number> = {};
  let dataset = datasets.list().find((d) => d.name === `bench-${rows}` && d.status === 'ready');
  if (!dataset || fresh) {
    const created = datasets.create({
      name: `bench-${rows}`,
      format: 'jsonl',
      shape: 'chat',
      status: 'importing',
      sourceName: 'bench.jsonl',
    });
    const repo = new DatasetRowsRepository(opened.db, opened.sqlite);
    let t = performance.now();
    let valid = 0;
    for (let i = 0; i < rows; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, rows - i) }, () => generator.next());
      valid += batch.filter((r) => r.valid).length;
      repo.insertBatch(created.id, batch);
      if (i % 100_000 === 0) log(`inserted ${i} rows`);
    }
    figures.insert_s = round((performance.now() - t) / 1000);
    t = performance.now();
    new DatasetSearchRepository(opened.sqlite).indexRows(created.id);
    figures.index_s = round((performance.now() - t) / 1000);
    log(`indexed in ${figures.index_s} s`);
    dataset = datasets.update(created.id, {
      status: 'ready',
      rowCount: rows,
      validCount: valid,
      invalidCount: rows - valid,
    });
  }
  if (!dataset) throw new Error('no benchmark dataset');
  return { opened, datasetId: dataset.id, vocabulary: generator.vocabulary, figures };
}

/** A RowQuery on a connection, with its own repositories (so caches start empty). */
function rowQueryOn(sqlite: SqliteDatabase): RowQuery {
  return new RowQuery(new DatasetRowQueryRepository(sqlite), new DatasetSearchRepository(sqlite));
}

/** Time each page request of a list of filters, each scrolled through `scrolls` more pages. */
function measure(query: RowQuery, datasetId: string, filters: RowFilter[], scrolls: number) {
  const first: number[] = [];
  const scroll: number[] = [];
  for (const filter of filters) {
    let t = performance.now();
    const { total } = query.page(datasetId, 0, PAGE, filter);
    first.push(performance.now() - t);
    for (let s = 1; s <= scrolls && s * PAGE * 7 < total; s++) {
      t = performance.now();
      query.page(datasetId, s * PAGE * 7, PAGE, filter);
      scroll.push(performance.now() - t);
    }
  }
  return { first, scroll };
}

/** Run the benchmark and return its figures. */
export async function benchCurationRows(
  options: { rows?: number; db?: string; log?: (line: string) => void } = {},
) {
  const rows = options.rows ?? 1_000_000;
  const file = options.db ?? join(tmpdir(), `lora-studio-curation-bench-${rows}.db`);
  const log = options.log ?? (() => undefined);
  const { opened, datasetId, vocabulary, figures } = await prepare(file, rows, log);
  try {
    const random = seededRandom(99);
    const pick = (from: number, to: number): string =>
      vocabulary[from + Math.floor(random() * Math.min(vocabulary.length - from, to - from))] ?? 'ka';
    // Zipf-distributed words: the top ranks appear in most rows, the tail in a few hundred.
    const searches: RowFilter[] = [];
    for (let i = 0; i < 40; i++) {
      const kind = i % 4;
      if (kind === 0) searches.push({ search: `${pick(0, 20)} ` });
      else if (kind === 1) searches.push({ search: `${pick(100, 2000)} ` });
      else if (kind === 2) searches.push({ search: `${pick(2000, 20_000)} ${pick(0, 50)} ` });
      else searches.push({ search: pick(20, 500).slice(0, 4) });
    }
    const combined: RowFilter[] = searches
      .slice(0, 12)
      .map((f, i) => ({ ...f, valid: true, minTurns: i % 3 }));
    const query = rowQueryOn(opened.sqlite);
    measure(query, datasetId, searches.slice(0, 3), 1); // warm the page cache
    const search = measure(rowQueryOn(opened.sqlite), datasetId, searches, 5);
    const withFilters = measure(rowQueryOn(opened.sqlite), datasetId, combined, 3);
    const browse = measure(
      rowQueryOn(opened.sqlite),
      datasetId,
      [{}, { valid: false }, { minChars: 2000 }],
      5,
    );
    const all = [...search.first, ...search.scroll];
    return {
      rows,
      ...figures,
      first_page_p50_ms: round(quantile(search.first, 0.5)),
      first_page_p95_ms: round(quantile(search.first, 0.95)),
      scroll_page_p50_ms: round(quantile(search.scroll, 0.5)),
      scroll_page_p95_ms: round(quantile(search.scroll, 0.95)),
      mixed_p50_ms: round(quantile(all, 0.5)),
      mixed_p95_ms: round(quantile(all, 0.95)),
      search_and_filters_first_p95_ms: round(quantile(withFilters.first, 0.95)),
      search_and_filters_scroll_p95_ms: round(quantile(withFilters.scroll, 0.95)),
      browse_first_p95_ms: round(quantile(browse.first, 0.95)),
      browse_scroll_p95_ms: round(quantile(browse.scroll, 0.95)),
    };
  } finally {
    opened.close();
  }
}

if (process.argv[1]?.endsWith('curation-rows.ts')) {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const json = args.includes('--json');
  const figures = await benchCurationRows({
    rows: value('--rows') ? Number(value('--rows')) : undefined,
    db: value('--db'),
    log: json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(36)} ${v}\n`);
}
