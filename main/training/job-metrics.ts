/**
 * Metric series of a job as the charts read them: by name, in step order. Names starting with `_`
 * are the supervisor's own bookkeeping (e.g. the bad-line count) and are never returned.
 */
import type { SqliteDatabase } from '../../db/open';

export type JobMetrics = Record<string, Array<{ step: number; value: number | null }>>;

/** Read the named series of a job (every public series when no names are given). */
export function readJobMetrics(
  sqlite: SqliteDatabase,
  jobId: string,
  names?: ReadonlyArray<string>,
): JobMetrics {
  const wanted = names?.filter((n) => !n.startsWith('_'));
  const where = wanted
    ? `AND name IN (${wanted.map(() => '?').join(', ') || "''"})`
    : `AND name NOT LIKE '\\_%' ESCAPE '\\'`;
  const rows = sqlite
    .prepare(`SELECT name, step, value FROM metrics_points WHERE job_id = ? ${where} ORDER BY name, step`)
    .all(jobId, ...(wanted ?? [])) as Array<{ name: string; step: number; value: number | null }>;
  const out: JobMetrics = {};
  for (const name of wanted ?? []) out[name] = [];
  for (const r of rows) {
    const series = out[r.name] ?? [];
    series.push({ step: r.step, value: r.value });
    out[r.name] = series;
  }
  return out;
}
