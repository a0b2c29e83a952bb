/**
 * A run's metrics as CSV, one row per step and one column per metric, the shape pandas and
 * spreadsheets read directly. Every stored point goes out (no downsampling); a step that has no
 * value for a metric leaves its cell empty.
 */
import type { MetricBucketsRepository } from '../../db/repositories/metric-buckets-repository';
import type { MetricsCsv } from '../../preload/contract';

/** Quote a CSV cell when it needs it (RFC 4180). */
function cell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Build the CSV of a job's public metrics; the caller has checked that the job exists. */
export function metricsCsv(repo: MetricBucketsRepository, jobId: string): MetricsCsv {
  const names = repo.metricNames(jobId);
  const column = new Map(names.map((name, i) => [name, i]));
  const columns = ['step', 'time', ...names];
  const lines: string[] = [columns.map(cell).join(',')];
  let step = -1;
  let ts = 0;
  let values: Array<number | null> = [];
  const flush = () => {
    if (step < 0) return;
    const cells = values.map((v) =>
      v === null || !Number.isFinite(v) ? (v === null ? '' : String(v)) : String(v),
    );
    lines.push(`${step},${new Date(ts).toISOString()},${cells.join(',')}`);
  };
  for (const [pointStep, name, value, pointTs] of repo.allPoints(jobId)) {
    if (pointStep !== step) {
      flush();
      step = pointStep;
      ts = pointTs;
      values = new Array<number | null>(names.length).fill(null);
    }
    values[column.get(name)!] = value;
    ts = Math.min(ts, pointTs);
  }
  flush();
  return { csv: `${lines.join('\n')}\n`, rows: lines.length - 1, columns };
}
