import type { z } from 'zod';
import type { EstimateInputSchema, VramEstimate } from '../../preload/contract';
import { AppError } from '../errors';
import { inspectModelFolder } from './model-inspector';
import { TRAINER_DEFAULTS } from './presets';
import { estimateVram, type VramRun } from './vram-estimate';

/** The `training.estimate` input: a model folder and the few settings that move the estimate. */
export type EstimateInput = z.infer<typeof EstimateInputSchema>;

/** VRAM estimate of a model folder, unset settings at the trainer's defaults; BAD_INPUT when unreadable. */
export async function estimateForModel(input: EstimateInput): Promise<VramEstimate> {
  const { info, dims, parameterSource } = await inspectModelFolder(input.modelPath);
  if (!dims) {
    throw new AppError(
      'BAD_INPUT',
      `${info.path}/config.json lacks the dims of a decoder-only transformer ` +
        '(hidden_size, num_hidden_layers…).',
    );
  }
  const run: VramRun = {
    seqLen: input.seqLen ?? TRAINER_DEFAULTS.max_seq_len,
    batch: input.batch ?? TRAINER_DEFAULTS.per_device_batch_size,
    rank: input.rank ?? TRAINER_DEFAULTS.lora_r,
    targets: 'all-linear',
    qlora: input.qlora ?? false,
    doubleQuant: true,
    gradientCheckpointing: input.gradientCheckpointing ?? TRAINER_DEFAULTS.gradient_checkpointing,
    eagerAttention: false,
    loraDropout: TRAINER_DEFAULTS.lora_dropout,
    kbitUpcast: false,
    dora: false,
  };
  return estimateVram(dims, run, parameterSource === 'safetensors' ? info.parameterCount : null);
}
