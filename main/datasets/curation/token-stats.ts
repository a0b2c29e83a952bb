import type { DatasetRowsRepository, IdRange } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetsRepository } from '../../../db/repositories/datasets-repository';
import type { CanonicalRow, TokenStats } from '../../../preload/contract';
import type { ScanControl } from './dedupe';
import { histogramOf } from './histogram';
import { RowTokenizer } from './row-tokenizer';

/** Rows tokenised (and their counts written) per page; the thread yields between pages. */
const PAGE_ROWS = 500;

/** What to count with: a local model folder and the sequence length training will cut at. */
export interface TokenCountOptions {
  readonly modelDir: string;
  readonly maxSeqLen: number;
}

/** The value at a percentile of sorted values (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** Token statistics of a list of per-row counts. */
export function summariseTokens(
  counts: Uint32Array,
  options: TokenCountOptions & { readonly usedChatTemplate: boolean; readonly computedAt: number },
): TokenStats {
  const sorted = counts.slice().sort();
  let total = 0;
  let truncated = 0;
  for (const n of counts) {
    total += n;
    if (n > options.maxSeqLen) truncated++;
  }
  return {
    modelDir: options.modelDir,
    maxSeqLen: options.maxSeqLen,
    rowsCounted: counts.length,
    total,
    mean: counts.length === 0 ? 0 : total / counts.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0),
    truncated,
    histogram: histogramOf(counts),
    usedChatTemplate: options.usedChatTemplate,
    computedAt: options.computedAt,
  };
}

/** Ids from `from` (inclusive) to `to` (exclusive); a dataset is counted in such slices in parallel. */
export type { IdRange };

/** What counting a slice gives: the counts in id order and whether the chat template was used. */
export interface TokenCounts {
  readonly counts: Uint32Array;
  readonly templated: boolean;
}

/**
 * Count the tokens of a dataset's valid, live rows (all of them, or one id range) with a model's
 * tokenizer and chat template, storing each row's token_count. Reads and writes a page at a time
 * and yields between pages.
 */
export async function countTokenRange(
  rowsRepo: DatasetRowsRepository,
  datasetId: string,
  modelDir: string,
  range: IdRange | null,
  control: ScanControl,
): Promise<TokenCounts> {
  const tokenizer = new RowTokenizer(modelDir);
  const bounds = { from: range?.from ?? 0, to: range?.to ?? Number.MAX_SAFE_INTEGER };
  const total = rowsRepo.countValidLive(datasetId, bounds);

  let counts = new Uint32Array(Math.max(16, total));
  let done = 0;
  let templated = false;
  let after = bounds.from - 1;
  for (;;) {
    control.signal?.throwIfAborted();
    const rows = rowsRepo.validLivePage(datasetId, bounds, after, PAGE_ROWS);
    const counted: Array<readonly [number, number]> = [];
    for (const row of rows) {
      if (row.canonical === null) continue;
      const result = tokenizer.count(JSON.parse(row.canonical) as CanonicalRow);
      templated ||= result.templated;
      if (done >= counts.length) {
        const grown = new Uint32Array(counts.length * 2);
        grown.set(counts);
        counts = grown;
      }
      counts[done++] = result.tokens;
      counted.push([row.id, result.tokens]);
    }
    rowsRepo.storeTokenCounts(counted);
    control.progress?.(done, Math.max(total, done));
    const last = rows.at(-1);
    if (!last || rows.length < PAGE_ROWS) break;
    after = last.id;
    await new Promise((r) => setImmediate(r));
  }
  return { counts: counts.slice(0, done), templated };
}

/** Keep token statistics in the dataset's stats_json (they survive other statistics going stale). */
export function storeTokenStats(datasets: DatasetsRepository, datasetId: string, stats: TokenStats): void {
  datasets.setTokenStatsJson(datasetId, JSON.stringify(stats));
}
