import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import { type DatasetStats, RoleSchema, type TokenStats, TokenStatsSchema } from '../../../preload/contract';
import type { RowQuery } from '../query/row-query';
import { niceEdges } from './histogram';

/** How many kinds of problem the "what is wrong" panel lists. */
const TOP_PROBLEMS = 10;

/**
 * A problem message without the parts that differ from row to row, so the same problem on many
 * lines counts once: a leading "line 12:" or "row 3:" goes, list indices become `[n]`, other
 * numbers `N`.
 */
export function problemKind(message: string): string {
  return message
    .replace(/^\s*(?:line|row)\s+[\d,]+\s*:\s*/i, '')
    .replace(/\[\d+\]/g, '[n]')
    .replace(/\b\d[\d,.]*\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The token statistics kept in a dataset's stats_json, or null when none (or unreadable). */
export function storedTokenStats(statsJson: string): TokenStats | null {
  try {
    const parsed = TokenStatsSchema.safeParse((JSON.parse(statsJson) as { tokens?: unknown }).tokens);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The statistics of a dataset's live rows, computed in SQL over covering indexes (a million rows
 * take well under a second): counts, roles (rows holding at least one message of the role, from
 * the search index), turns, characters with a histogram, splits and the most common problems.
 * `tokens` is whatever token count was last stored.
 */
export function computeDatasetStats(
  rowsRepo: DatasetRowsRepository,
  query: RowQuery,
  datasetId: string,
  tokens: TokenStats | null,
): DatasetStats {
  const totals = query.liveTotals(datasetId);
  const rows = totals?.rows ?? 0;
  const deleted = rowsRepo.countDeleted(datasetId);

  const roles: Record<string, number> = {};
  for (const role of RoleSchema.options) {
    const n = rows === 0 ? 0 : query.count(datasetId, { role });
    if (n > 0) roles[role] = n;
  }

  const edges = rows === 0 ? [] : niceEdges(totals?.cmin ?? 0, totals?.cmax ?? 0);
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  if (rows > 0) {
    const bins = query.charBins(datasetId, edges);
    for (const { bin, n } of bins) counts[bin] = n;
  }

  return {
    rows,
    valid: totals?.valid ?? 0,
    invalid: rows - (totals?.valid ?? 0),
    deleted,
    roles,
    turns: { min: totals?.tmin ?? 0, max: totals?.tmax ?? 0, mean: totals?.tmean ?? 0 },
    chars: {
      min: totals?.cmin ?? 0,
      max: totals?.cmax ?? 0,
      mean: totals?.cmean ?? 0,
      histogram: { edges, counts },
    },
    split: {
      train: totals?.train ?? 0,
      val: totals?.val ?? 0,
      unsplit: rows - (totals?.train ?? 0) - (totals?.val ?? 0),
    },
    problems: topProblems(rowsRepo, datasetId),
    duplicates: rows === 0 ? 0 : rowsRepo.countExactDuplicates(datasetId),
    tokens,
  };
}

function topProblems(rowsRepo: DatasetRowsRepository, datasetId: string): DatasetStats['problems'] {
  const found = rowsRepo.problemMessages(datasetId);
  const byKind = new Map<string, number>();
  for (const { message, n } of found) {
    const kind = problemKind(typeof message === 'string' ? message : String(message));
    byKind.set(kind, (byKind.get(kind) ?? 0) + n);
  }
  return [...byKind]
    .map(([message, count]) => ({ message, count }))
    .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
    .slice(0, TOP_PROBLEMS);
}
