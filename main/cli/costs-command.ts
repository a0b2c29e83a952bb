import { type CliContext, call, usageError } from './cli-context';

export const COSTS_USAGE =
  '  costs [--since YYYY-MM-DD]             Energy (Wh), GPU-hours and cost per job, with the total';

/** `costs [--since DATE]` → `{ jobs: [{ jobId, energyWh, gpuHours, cost, currency, … }], total, budget }`. */
export function costsCommand(ctx: CliContext, usage: string): Promise<void> {
  if (ctx.args.length > 0) throw usageError(`costs takes no arguments, got "${ctx.args.join(' ')}"`, usage);
  let since: number | undefined;
  if (ctx.flags.since !== undefined) {
    const parsed = /^\d{4}-\d{2}-\d{2}$/.test(ctx.flags.since)
      ? Date.parse(`${ctx.flags.since}T00:00:00`)
      : Number.NaN;
    if (Number.isNaN(parsed))
      throw usageError(`--since must be a date such as 2026-12-01, got "${ctx.flags.since}"`, usage);
    since = parsed;
  }
  return ctx.withCore(async (core) => {
    const report = await call(core, 'costs.report', since === undefined ? {} : { since });
    const value = {
      jobs: report.jobs.map((j) => ({
        jobId: j.jobId,
        name: j.jobName,
        status: j.status,
        energyWh: j.energyWh,
        gpuHours: j.gpuHours,
        cost: j.cost,
        amortisationCost: j.amortisationCost,
        cloudCost: j.cloudCost,
        currency: j.currency,
        final: j.final,
      })),
      total: { ...report.total, currency: report.currency },
      budget: report.budget,
    };
    ctx.print(value, () => {
      if (report.jobs.length === 0) return 'No costs recorded yet.';
      const rows = report.jobs.map(
        (j) =>
          `${j.jobId}  ${j.energyWh.toFixed(1).padStart(9)} Wh  ${j.gpuHours.toFixed(3).padStart(8)} GPU-h  ${j.cost.toFixed(2).padStart(8)} ${j.currency}  ${j.jobName}${j.final ? '' : ' (running)'}`,
      );
      const t = report.total;
      return [
        ...rows,
        `total ${t.energyWh.toFixed(1)} Wh, ${t.gpuHours.toFixed(3)} GPU-h, ${t.cost.toFixed(2)} ${report.currency}`,
      ].join('\n');
    });
  });
}
