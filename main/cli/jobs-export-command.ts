/** `jobs export JOB --to DIR [--target …]` and `jobs import-run DIR`: runs that travel. */
import { ExportTargetSchema } from '../../preload/contract';
import { type CliContext, call, intFlag, usageError } from './cli-context';

export const JOBS_EXPORT_USAGE = [
  '  jobs export ID --to DIR [--target torchrun|accelerate|slurm|skypilot[,…]] [--nodes N]',
  '              [--gpus-per-node N] [--time HH:MM:SS] [--partition P]   A bundle to train elsewhere',
  '  jobs import-run DIR [--name NAME]     Register a finished run folder (or bundle) as a job',
].join('\n');

/** `jobs export ID --to DIR …`. */
export function jobsExportCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  const id = ctx.args[1];
  if (!id) throw usageError('jobs export needs a job ID', usage);
  if (!flags.to) throw usageError('jobs export needs --to DIR (a new folder for the bundle)', usage);
  const targets = flags.target?.split(',').map((t) => {
    const parsed = ExportTargetSchema.safeParse(t.trim());
    if (!parsed.success)
      throw usageError(`--target must be torchrun, accelerate, slurm or skypilot, not "${t}"`, usage);
    return parsed.data;
  });
  const positive = (name: string, raw: string | undefined) => {
    const n = intFlag(name, raw, usage);
    if (n === 0) throw usageError(`--${name} must be at least 1`, usage);
    return n;
  };
  const input = {
    id,
    to: flags.to,
    targets,
    nodes: positive('nodes', flags.nodes),
    gpusPerNode: positive('gpus-per-node', flags['gpus-per-node']),
    time: flags.time,
    partition: flags.partition,
  };
  return ctx.withCore(async (core) => {
    const result = await call(core, 'cluster.exportJob', input);
    ctx.print(result, () =>
      [
        `Exported job ${id} to ${result.dir} (${result.targets.join(', ')}): ${result.files.length} files.`,
        `See ${result.dir}/README.md; bring the run back with: lora-studio jobs import-run ${result.dir}`,
      ].join('\n'),
    );
  });
}

/** `jobs import-run DIR [--name NAME]`: exits non-zero unless the run is registered. */
export function jobsImportRunCommand(ctx: CliContext, usage: string): Promise<void> {
  const dir = ctx.args[1];
  if (!dir) throw usageError('jobs import-run needs the run folder', usage);
  return ctx.withCore(async (core) => {
    const job = await call(core, 'cluster.importRun', { dir, name: ctx.flags.name });
    ctx.print(job, () => {
      const steps = job.maxSteps ? `${job.step}/${job.maxSteps}` : `${job.step}`;
      const hours = job.gpuHours > 0 ? `, ${job.gpuHours.toFixed(2)} GPU-hours` : '';
      return `Imported as job ${job.id} (${job.status}, step ${steps}${hours})${job.error ? `: ${job.error}` : ''}`;
    });
  });
}
