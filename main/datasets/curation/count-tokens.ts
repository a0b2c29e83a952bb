import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { TokenStats } from '../../../preload/contract';
import { AppError } from '../../errors';
import type { TaskReporter } from '../../tasks/task-registry';
import type { RowQuery } from '../query/row-query';
import { type CurationRunner, runCurationJob } from './curation-jobs';
import { type IdRange, storeTokenStats, summariseTokens, type TokenCountOptions } from './token-stats';

/** Below this many rows per slice another worker costs more (tokenizer loading) than it saves. */
const MIN_ROWS_PER_WORKER = 5000;
/** Most workers counting at once. */
const MAX_WORKERS = 8;

/** Workers worth using on this machine: one core left for the app. */
export function defaultTokenWorkers(): number {
  return Math.max(1, Math.min(MAX_WORKERS, availableParallelism() - 1));
}

/** Slices of the valid live rows' id space, about equally many rows in each. */
function slices(query: RowQuery, datasetId: string, wanted: number): IdRange[] {
  const rows = query.count(datasetId, { valid: true });
  const parts = Math.max(1, Math.min(wanted, Math.floor(rows / MIN_ROWS_PER_WORKER)));
  const eligible = query.selection(datasetId, { valid: true });
  if (parts === 1 || eligible === null) return [{ from: 0, to: Number.MAX_SAFE_INTEGER }];
  const cuts = Array.from({ length: parts - 1 }, (_, i) =>
    query.idAt(eligible, Math.floor(((i + 1) * rows) / parts)),
  );
  const edges = [0, ...cuts, Number.MAX_SAFE_INTEGER];
  return edges.slice(0, -1).map((from, i) => ({ from, to: edges[i + 1] ?? Number.MAX_SAFE_INTEGER }));
}

/**
 * Token statistics of a dataset, counted by several workers at once (each on a slice of the rows,
 * each storing its rows' token_count), then summarised and stored in stats_json. Progress is the
 * sum of the slices; a failure or a cancel stops every worker.
 */
export async function countTokensInWorkers(
  runner: CurationRunner,
  query: RowQuery,
  datasetId: string,
  options: TokenCountOptions & { readonly workers: number; readonly now: () => number },
  reporter: TaskReporter | null,
): Promise<TokenStats> {
  const modelDir = resolve(options.modelDir);
  if (!existsSync(join(modelDir, 'tokenizer.json'))) {
    throw new AppError(
      'BAD_INPUT',
      `${modelDir} has no tokenizer.json: choose the folder of a Hugging Face model.`,
    );
  }
  const ranges = slices(query, datasetId, runner.inWorker ? options.workers : 1);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  reporter?.signal.addEventListener('abort', onAbort, { once: true });
  const done = ranges.map(() => 0);
  const totals = ranges.map(() => 0);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  try {
    const parts = await Promise.all(
      ranges.map((range, i) =>
        runCurationJob(
          runner,
          { kind: 'token-counts', datasetId, modelDir, range },
          {
            signal: stop.signal,
            progress: (d, t) => {
              done[i] = d;
              totals[i] = t ?? d;
              reporter?.progress(sum(done), sum(totals));
            },
          },
        ).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
    const counts = new Uint32Array(sum(parts.map((p) => p.counts.length)));
    let offset = 0;
    for (const part of parts) {
      counts.set(part.counts, offset);
      offset += part.counts.length;
    }
    const stats = summariseTokens(counts, {
      modelDir,
      maxSeqLen: options.maxSeqLen,
      usedChatTemplate: parts.some((p) => p.templated),
      computedAt: options.now(),
    });
    storeTokenStats(runner.repos.datasets, datasetId, stats);
    return stats;
  } finally {
    reporter?.signal.removeEventListener('abort', onAbort);
  }
}
