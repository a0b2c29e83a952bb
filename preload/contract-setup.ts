/**
 * The first-run part of the contract: `setup.check`'s steps, each with a verdict and a way forward.
 * Re-exported by preload/contract.ts; imports nothing but zod.
 */
import { z } from 'zod';

export const SetupStepIdSchema = z.enum(['gpu', 'python', 'disk', 'model', 'dataset']);
export type SetupStepId = z.infer<typeof SetupStepIdSchema>;

/** What fixes a step: a channel the app can run with one click, or a command to type, or both. */
export const SetupFixSchema = z.object({
  label: z.string(),
  /** A channel the guide's button calls (started as a task), or null when a person must act. */
  action: z.enum(['python.setup', 'datasets.importSample']).nullable(),
  /** A terminal command that does the same, or null. */
  command: z.string().nullable(),
});
export type SetupFix = z.infer<typeof SetupFixSchema>;

export const SetupStepSchema = z.object({
  id: SetupStepIdSchema,
  verdict: z.enum(['ok', 'warn', 'fail']),
  message: z.string(),
  fix: SetupFixSchema.nullable(),
});
export type SetupStep = z.infer<typeof SetupStepSchema>;

export const SetupReportSchema = z.object({
  steps: z.array(SetupStepSchema),
  /** Whether the Hugging Face Hub and PyPI answered (downloads and `python.setup` need them). */
  online: z.boolean(),
});
export type SetupReport = z.infer<typeof SetupReportSchema>;

/** A suggested first base model with its estimated VRAM (balanced preset shape) for LoRA and QLoRA. */
export const StartingModelSchema = z.object({
  /** Hugging Face Hub id. */
  id: z.string(),
  label: z.string(),
  /** Needs the licence accepted on the Hub and a token to download. */
  gated: z.boolean(),
  loraGb: z.number(),
  qloraGb: z.number(),
  /** On the largest detected GPU: fits with LoRA, only with QLoRA, not at all; null without a GPU. */
  fit: z.enum(['lora', 'qlora', 'none']).nullable(),
});
export type StartingModel = z.infer<typeof StartingModelSchema>;
