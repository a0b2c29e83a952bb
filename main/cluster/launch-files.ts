/**
 * The launch files of an export bundle, filled in from the templates shipped next to the trainer
 * (resources/trainer/launch: real shell/YAML files, so `bash -n` checks them as they are). Only
 * the `@@NAME@@` placeholders are replaced; every value that lands in a shell line is validated
 * first (numbers, a Slurm time, a partition name), never quoted after the fact.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors';

/** The engines a bundle can be launched with. */
export const EXPORT_TARGETS = ['torchrun', 'accelerate', 'slurm', 'skypilot'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** How the run should be laid out on the cluster (defaults: 1 node, the job's GPU count). */
export interface LaunchParams {
  readonly jobId: string;
  readonly jobName: string;
  readonly baseModelPath: string;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** Slurm `--time`, e.g. `04:00:00` or `1-00:00:00`. */
  readonly time: string;
  readonly partition: string | null;
  readonly cpusPerTask: number;
  /** SkyPilot accelerator name, e.g. `A100`. */
  readonly accelerator: string;
}

/** Files each target needs (relative to the bundle's launch/ folder); common.sh is always there. */
const TARGET_FILES: Readonly<Record<ExportTarget, ReadonlyArray<string>>> = {
  torchrun: ['torchrun.sh'],
  accelerate: ['accelerate.sh', 'accelerate-config.yaml'],
  slurm: ['slurm.sbatch'],
  skypilot: ['skypilot.yaml', 'torchrun.sh'],
};

/** Reject parameters that can't go into the launch files as they are. */
export function checkLaunchParams(p: LaunchParams): void {
  const bad = (what: string) => {
    throw new AppError('BAD_INPUT', what);
  };
  if (!Number.isInteger(p.nodes) || p.nodes < 1 || p.nodes > 1024)
    bad('nodes must be an integer from 1 to 1024');
  if (!Number.isInteger(p.gpusPerNode) || p.gpusPerNode < 1 || p.gpusPerNode > 64)
    bad('GPUs per node must be an integer from 1 to 64');
  if (!Number.isInteger(p.cpusPerTask) || p.cpusPerTask < 1 || p.cpusPerTask > 1024)
    bad('CPUs per task must be an integer from 1 to 1024');
  if (!/^(\d{1,3}-)?\d{1,3}:\d{2}:\d{2}$/.test(p.time))
    bad(`time must be a Slurm time such as 04:00:00 or 1-00:00:00, not "${p.time}"`);
  if (p.partition !== null && !/^[A-Za-z0-9_.,-]{1,64}$/.test(p.partition))
    bad(`partition "${p.partition}" is not a Slurm partition name (letters, digits, _ . , -)`);
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(p.accelerator)) bad(`accelerator "${p.accelerator}" is not a GPU name`);
}

/** A name Slurm and SkyPilot accept: lowercase letters, digits and dashes. */
export function launchSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `lora-${slug || 'run'}`;
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/@@([A-Z_]+)@@/g, (whole, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`launch template placeholder ${whole} has no value`);
    return value;
  });
}

/** The launch files for `targets`, as `{ relative name: content }` (names under launch/). */
export async function renderLaunchFiles(
  templatesDir: string,
  targets: ReadonlyArray<ExportTarget>,
  p: LaunchParams,
): Promise<Record<string, string>> {
  checkLaunchParams(p);
  const values: Record<string, string> = {
    JOB_ID: p.jobId,
    // Names only ever land in comments; a newline would end the comment.
    JOB_NAME: p.jobName.replace(/[\r\n"]+/g, ' '),
    SLURM_NAME: launchSlug(p.jobName),
    NODES: String(p.nodes),
    GPUS_PER_NODE: String(p.gpusPerNode),
    TOTAL_PROCESSES: String(p.nodes * p.gpusPerNode),
    CPUS_PER_TASK: String(p.cpusPerTask),
    TIME: p.time,
    PARTITION_LINE: p.partition
      ? `#SBATCH --partition=${p.partition}`
      : '# (no partition: the cluster default)',
    ACCELERATOR: p.accelerator,
    BASE_MODEL: JSON.stringify(p.baseModelPath), // a double-quoted YAML string
  };
  const names = new Set<string>(['common.sh']);
  for (const t of targets) for (const f of TARGET_FILES[t]) names.add(f);
  const out: Record<string, string> = {};
  for (const name of names) out[name] = fill(await readFile(join(templatesDir, name), 'utf8'), values);
  return out;
}
