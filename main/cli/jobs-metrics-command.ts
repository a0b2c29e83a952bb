import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CliContext, call, usageError } from './cli-context';

/** One line of `jobs metrics JOB`: a series with its point count, last, lowest and mean value. */
interface SeriesSummary {
  readonly metric: string;
  readonly gpuIndex: number | null;
  readonly unit: string | null;
  readonly points: number;
  readonly last: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
}

function fmt(value: number | null): string {
  return value === null ? '–' : Number.isInteger(value) ? String(value) : value.toPrecision(5);
}

/**
 * `jobs metrics JOB [--csv] [--out FILE]`: every metric point of a run as CSV (one row per step,
 * one column per metric) on stdout or into FILE, or without --csv a summary of each series.
 */
export async function jobsMetricsCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  const id = ctx.args[1];
  if (!id) throw usageError('jobs metrics needs a job ID', usage);
  return ctx.withCore(async (core) => {
    if (flags.csv) {
      const { csv, rows, columns } = await call(core, 'jobs.metricsCsv', { id });
      if (flags.out !== undefined) {
        const out = resolve(flags.out);
        writeFileSync(out, csv);
        ctx.print({ out, rows, columns }, () => `Wrote ${rows} rows (${columns.join(', ')}) to ${out}`);
      } else {
        process.stdout.write(csv);
      }
      return;
    }
    const result = await call(core, 'jobs.metrics', { id, maxPoints: 200_000 });
    const summary: SeriesSummary[] = result.series.map((s) => {
      const values = s.value.filter((v): v is number => v !== null);
      return {
        metric: s.metric,
        gpuIndex: s.gpuIndex,
        unit: s.unit,
        points: s.total,
        last: values.at(-1) ?? null,
        min: values.length > 0 ? Math.min(...values) : null,
        max: values.length > 0 ? Math.max(...values) : null,
        mean: s.mean,
      };
    });
    ctx.print(summary, () =>
      summary.length === 0
        ? 'No metrics yet.'
        : [
            `${'series'.padEnd(22)} ${'points'.padStart(9)} ${'last'.padStart(11)} ${'min'.padStart(11)} ${'max'.padStart(11)} ${'mean'.padStart(11)}`,
            ...summary.map((s) =>
              [
                `${s.gpuIndex === null ? s.metric : `${s.metric}[${s.gpuIndex}]`}${s.unit ? ` (${s.unit})` : ''}`.padEnd(
                  22,
                ),
                String(s.points).padStart(9),
                fmt(s.last).padStart(11),
                fmt(s.min).padStart(11),
                fmt(s.max).padStart(11),
                fmt(s.mean).padStart(11),
              ].join(' '),
            ),
          ].join('\n'),
    );
  });
}
