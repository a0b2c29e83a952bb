import type { SqliteDatabase } from '../../../db/open';
import { type DatasetStats, RoleSchema, type TokenStats, TokenStatsSchema } from '../../../preload/contract';
import type { RowQuery } from '../query/row-query';
import { binCaseSql, niceEdges } from './histogram';

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

interface Totals {
  readonly rows: number;
  readonly valid: number;
  readonly cmin: number | null;
  readonly cmax: number | null;
  readonly cmean: number | null;
  readonly tmin: number | null;
  readonly tmax: number | null;
  readonly tmean: number | null;
  readonly train: number;
  readonly val: number;
}

/**
 * The statistics of a dataset's live rows, computed in SQL over covering indexes (a million rows
 * take well under a second): counts, roles (rows holding at least one message of the role, from
 * the search index), turns, characters with a histogram, splits and the most common problems.
 * `tokens` is whatever token count was last stored.
 */
export function computeDatasetStats(
  sqlite: SqliteDatabase,
  query: RowQuery,
  datasetId: string,
  tokens: TokenStats | null,
): DatasetStats {
  const totals = query.summarise<Totals>(
    datasetId,
    `count(*) AS rows, coalesce(sum(r.valid), 0) AS valid,
     min(r.char_length) AS cmin, max(r.char_length) AS cmax, avg(r.char_length) AS cmean,
     min(r.turns) AS tmin, max(r.turns) AS tmax, avg(r.turns) AS tmean,
     coalesce(sum(r.split = 'train'), 0) AS train, coalesce(sum(r.split = 'val'), 0) AS val`,
  )[0];
  const rows = totals?.rows ?? 0;
  const deleted = sqlite
    .prepare(
      `SELECT count(*) FROM dataset_rows INDEXED BY dataset_rows_deleted_idx
       WHERE dataset_id = ? AND deleted_at IS NOT NULL`,
    )
    .pluck()
    .get(datasetId) as number;

  const roles: Record<string, number> = {};
  for (const role of RoleSchema.options) {
    const n = rows === 0 ? 0 : query.count(datasetId, { role });
    if (n > 0) roles[role] = n;
  }

  const edges = rows === 0 ? [] : niceEdges(totals?.cmin ?? 0, totals?.cmax ?? 0);
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  if (rows > 0) {
    const bins = query.summarise<{ bin: number; n: number }>(
      datasetId,
      `${binCaseSql('r.char_length', edges)} AS bin, count(*) AS n`,
      'bin',
    );
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
    problems: topProblems(sqlite, datasetId),
    tokens,
  };
}

function topProblems(sqlite: SqliteDatabase, datasetId: string): DatasetStats['problems'] {
  const found = sqlite
    .prepare(
      `SELECT json_extract(j.value, '$.message') AS message, count(*) AS n
       FROM dataset_rows p INDEXED BY dataset_rows_problems_idx, json_each(p.problems_json) AS j
       WHERE p.dataset_id = ? AND p.deleted_at IS NULL AND p.problems_json <> '[]'
       GROUP BY message`,
    )
    .all(datasetId) as Array<{ message: unknown; n: number }>;
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
