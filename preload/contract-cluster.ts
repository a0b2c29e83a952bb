/**
 * The cluster channels' schemas: export a job as a bundle for torchrun / accelerate / Slurm /
 * SkyPilot, and import a run that trained elsewhere. Imports nothing from Node or Electron.
 */
import { z } from 'zod';
import { JobStatusSchema } from './contract-training';

export const ExportTargetSchema = z.enum(['torchrun', 'accelerate', 'slurm', 'skypilot']);
export type ExportTargetName = z.infer<typeof ExportTargetSchema>;

export const JobExportInputSchema = z
  .object({
    id: z.string().min(1).max(64),
    /** The bundle folder to create (must not exist, or be empty). */
    to: z.string().min(1).max(4096),
    /** Which launchers to write; default all four. */
    targets: z.array(ExportTargetSchema).min(1).max(4).optional(),
    nodes: z.number().int().min(1).max(1024).optional(),
    gpusPerNode: z.number().int().min(1).max(64).optional(),
    /** Slurm --time, e.g. 04:00:00 or 1-00:00:00. */
    time: z.string().min(1).max(16).optional(),
    partition: z.string().min(1).max(64).optional(),
    accelerator: z.string().min(1).max(32).optional(),
  })
  .strict();

export const JobExportResultSchema = z.object({
  dir: z.string(),
  targets: z.array(ExportTargetSchema),
  files: z.array(z.string()),
});
export type JobExportResult = z.infer<typeof JobExportResultSchema>;

export const ImportRunInputSchema = z
  .object({
    /** A finished run folder (events.jsonl, checkpoints, adapter) or an exported bundle holding one. */
    dir: z.string().min(1).max(4096),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const ImportRunResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: JobStatusSchema,
  step: z.number().int(),
  maxSteps: z.number().int().nullable(),
  error: z.string().nullable(),
  datasetVersionId: z.string().nullable(),
  gpuHours: z.number(),
});
export type ImportRunResult = z.infer<typeof ImportRunResultSchema>;
