/**
 * The first-run part of the contract: `setup.check`'s steps, each with a verdict and a way forward.
 * Re-exported by preload/contract.ts; imports nothing but zod and the training part's preset names.
 */
import { z } from 'zod';
import { PresetSchema } from './contract-training';

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

/** `setup.presetChoice`'s input: a model folder and the chosen GPUs' free memory (MiB), null without a GPU. */
export const PresetChoiceInputSchema = z
  .object({
    modelPath: z.string().min(1).max(4096),
    freeMb: z.number().min(0).max(1e9).nullable(),
  })
  .strict();

/** One preset and method the rule weighed, with its estimated total (GB of 10⁹ bytes, per GPU). */
export const PresetChoiceCandidateSchema = z.object({
  preset: PresetSchema,
  method: z.enum(['lora', 'qlora']),
  totalGb: z.number(),
});
export type PresetChoiceCandidate = z.infer<typeof PresetChoiceCandidateSchema>;

/** The default preset (and method) for a model on the chosen GPUs, with the one-line reason. */
export const PresetChoiceSchema = z.object({
  preset: PresetSchema,
  method: z.enum(['lora', 'qlora']),
  /** fits comfortably · tight · nothing fits · no GPU to size against. */
  verdict: z.enum(['fits', 'tight', 'none', 'no-gpu']),
  reason: z.string(),
  candidates: z.array(PresetChoiceCandidateSchema),
  /**
   * What each preset sets that moves the estimate, so the form's memory panel can estimate the
   * chosen preset before a preflight has resolved the whole config.
   */
  presetSettings: z.record(
    PresetSchema,
    z.object({
      max_seq_len: z.number().int(),
      per_device_batch_size: z.number().int(),
      lora_r: z.number().int(),
      gradient_checkpointing: z.boolean(),
    }),
  ),
});
export type PresetChoice = z.infer<typeof PresetChoiceSchema>;
