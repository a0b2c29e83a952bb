/**
 * The part of the contract about what a run leaves behind: the model library (adapters,
 * checkpoints, exports), energy and cost with budgets. Re-exported by preload/contract.ts; imports
 * nothing but zod.
 */
import { z } from 'zod';

export const ArtifactId = z.string().min(1).max(64);
export const ArtifactKindSchema = z.enum(['adapter', 'merged', 'gguf', 'export']);
export type ArtifactKind = z.infer<typeof ArtifactKindSchema>;

/** One file of an artifact folder, relative to it. */
export const ArtifactFileSchema = z.object({ name: z.string(), sizeBytes: z.number() });

/** Final and best values of the run's metrics (null where the run logged none). */
export const ArtifactMetricsSchema = z.object({
  finalLoss: z.number().nullable(),
  bestLoss: z.number().nullable(),
  finalEvalLoss: z.number().nullable(),
  bestEvalLoss: z.number().nullable(),
  bestEvalStep: z.number().int().nullable(),
});
export type ArtifactMetrics = z.infer<typeof ArtifactMetricsSchema>;

/** An adapter (or merged model, export) in the model library. */
export const ModelArtifactSchema = z.object({
  id: z.string(),
  jobId: z.string().nullable(),
  kind: z.string(),
  name: z.string(),
  /** Absolute path on this machine. */
  path: z.string(),
  sizeBytes: z.number(),
  /** sha256 of the weights file. */
  sha256: z.string().nullable(),
  baseModelPath: z.string().nullable(),
  /** The checkpoint step it came from when promoted from a checkpoint; null for the final adapter. */
  checkpointStep: z.number().int().nullable(),
  /** The training step the weights are from. */
  step: z.number().int().nullable(),
  metrics: ArtifactMetricsSchema,
  datasetVersionId: z.string().nullable(),
  /** "alpaca v2" — what the lineage line shows. */
  datasetLabel: z.string().nullable(),
  datasetId: z.string().nullable(),
  createdAt: z.number(),
});
export type ModelArtifact = z.infer<typeof ModelArtifactSchema>;

/** One artifact with everything the detail view shows. */
export const ModelArtifactDetailSchema = ModelArtifactSchema.extend({
  files: z.array(ArtifactFileSchema),
  weightsFile: z.string().nullable(),
  baseModelConfigHash: z.string().nullable(),
  jobName: z.string().nullable(),
  jobStatus: z.string().nullable(),
  /** The run's resolved trainer config (config.json). */
  config: z.record(z.string(), z.unknown()).nullable(),
  adapterConfig: z.record(z.string(), z.unknown()).nullable(),
  /** Whether the folder is still on disk. */
  present: z.boolean(),
});
export type ModelArtifactDetail = z.infer<typeof ModelArtifactDetailSchema>;

/** A checkpoint a run saved, and the artifact it was promoted to, if any. */
export const CheckpointSchema = z.object({
  step: z.number().int(),
  path: z.string(),
  present: z.boolean(),
  artifactId: z.string().nullable(),
});
export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** An Ollama Modelfile written next to the adapter, and the exact command that builds the model. */
export const OllamaExportSchema = z.object({
  modelfilePath: z.string(),
  modelfile: z.string(),
  command: z.string(),
  /** Ollama needs a base it can load; a note when the base folder is not in a form it reads. */
  notes: z.array(z.string()),
});
export type OllamaExport = z.infer<typeof OllamaExportSchema>;

// ─── Energy and cost ─────────────────────────────────────────────────────────────────────────────

/** The energy and cost of one job (live while it runs, final once it ended). */
export const JobCostSchema = z.object({
  jobId: z.string(),
  jobName: z.string(),
  status: z.string(),
  energyWh: z.number(),
  gpuHours: z.number(),
  /** Electricity: kWh × price. */
  cost: z.number(),
  amortisationCost: z.number(),
  cloudCost: z.number().nullable(),
  currency: z.string(),
  pricePerKwh: z.number(),
  gpuName: z.string().nullable(),
  startedAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  final: z.boolean(),
  datasetLabel: z.string().nullable(),
  baseModelPath: z.string(),
});
export type JobCost = z.infer<typeof JobCostSchema>;

export const CostTotalsSchema = z.object({
  energyWh: z.number(),
  gpuHours: z.number(),
  cost: z.number(),
  amortisationCost: z.number(),
  cloudCost: z.number(),
});
export type CostTotals = z.infer<typeof CostTotalsSchema>;

/** Spend of the current month against the monthly budget. */
export const BudgetStatusSchema = z.object({
  /** "2026-12" (local time). */
  month: z.string(),
  spent: z.number(),
  budget: z.number().nullable(),
  /** spent / budget, null without a budget. */
  fraction: z.number().nullable(),
  currency: z.string(),
  /** Why queued jobs are held (budget spent and "hold the queue" on); null when they may start. */
  holdReason: z.string().nullable(),
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

const Bucket = z.object({ key: z.string(), label: z.string() }).extend(CostTotalsSchema.shape);

export const CostsReportSchema = z.object({
  jobs: z.array(JobCostSchema),
  total: CostTotalsSchema,
  currency: z.string(),
  byDay: z.array(Bucket),
  byMonth: z.array(Bucket),
  byDataset: z.array(Bucket),
  byBaseModel: z.array(Bucket),
  budget: BudgetStatusSchema,
});
export type CostsReport = z.infer<typeof CostsReportSchema>;

/** What a run would draw, from its estimated duration and the GPUs' power limit. */
export const CostEstimateSchema = z.object({
  energyWh: z.number(),
  cost: z.number(),
  currency: z.string(),
  powerW: z.number(),
  durationS: z.number(),
  basis: z.string(),
});
export type CostEstimate = z.infer<typeof CostEstimateSchema>;

/** Whether GGUF export can run: a llama.cpp checkout with its LoRA converter, and its version. */
export const GgufStatusSchema = z.object({
  available: z.boolean(),
  path: z.string().nullable(),
  version: z.string().nullable(),
  /** What is missing, in words, when not available. */
  problem: z.string().nullable(),
});
export type GgufStatus = z.infer<typeof GgufStatusSchema>;
