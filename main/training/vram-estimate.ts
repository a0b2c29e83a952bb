/**
 * Per-GPU memory of a LoRA/QLoRA/DoRA run, TRAINER.md §3 ported as written. Pure. Every constant
 * below is the one in that table; the calibration rows are reproduced in vram-estimate.test.ts.
 */
import type { TrainerConfig, TrainingObjective, VramEstimate } from '../../preload/contract';
import {
  kvDim,
  LLAMA_LINEAR_MODULES,
  linearModules,
  type ModelDims,
  nonLinearParameterCount,
  parameterCountFromDims,
} from './model-dims';

/** The run settings the estimate depends on. */
export interface VramRun {
  readonly seqLen: number;
  /** Sequences per step on each GPU (per_device_batch_size); accumulation does not add memory. */
  readonly batch: number;
  readonly rank: number;
  readonly targets: 'all-linear' | readonly string[];
  /** 4-bit NF4 base (QLoRA). */
  readonly qlora: boolean;
  /** NF4 with double quantization: 4.127 bits/param instead of 4.5 (the trainer always sets it). */
  readonly doubleQuant: boolean;
  readonly gradientCheckpointing: boolean;
  /** Eager attention stores the s×s attention matrices; SDPA and FlashAttention 2 do not. */
  readonly eagerAttention: boolean;
  readonly loraDropout: number;
  /** `prepare_model_for_kbit_training`: non-4-bit weights upcast to fp32 (the trainer does not call it). */
  readonly kbitUpcast: boolean;
  /** DoRA (weight-decomposed LoRA). */
  readonly dora: boolean;
  /** Absent or sft: one sequence per example; preference objectives see two (below). */
  readonly objective?: TrainingObjective | undefined;
}

/**
 * Sequences each example puts through the policy: DPO and ORPO concatenate chosen and rejected
 * into one forward; KTO adds a mismatched (KL) completion to each. The reference model of DPO/KTO
 * costs no memory with LoRA: PEFT disables the adapter to compute it, under no_grad.
 */
function sequencesPerExample(objective: TrainingObjective | undefined): number {
  switch (objective ?? 'sft') {
    case 'sft':
      return 1;
    case 'dpo':
    case 'orpo':
    case 'kto':
      return 2;
  }
}

/** 1 GB as the contract counts it (1e9 bytes, like the published figures). */
export const GB = 1e9;
/** Bytes per LoRA parameter: fp32 weight, fp32 gradient, AdamW m and v. */
export const LORA_BYTES_PER_PARAM = 16;
/** CUDA context, allocator slack, cuBLAS workspaces. */
export const OVERHEAD_GB = 1;
/** PEFT's method_comparison: DoRA takes about 10% more memory than LoRA. */
export const DORA_MEMORY_FACTOR = 0.1;

/** Trainable LoRA parameters: r·(d_in+d_out) over every targeted linear module of every layer. */
export function loraParamCount(dims: ModelDims, rank: number, targets: VramRun['targets']): number {
  const perLayer = targetedModules(dims, targets).reduce((sum, m) => sum + rank * (m.dIn + m.dOut), 0);
  return dims.layers * perLayer;
}

/** The VRAM a run needs on each GPU, split into the parts of TRAINER.md §3, with its assumptions in words. */
export function estimateVram(dims: ModelDims, run: VramRun, parameterCount?: number | null): VramEstimate {
  const assumptions: string[] = [];
  const h = dims.hidden;
  const sequences = sequencesPerExample(run.objective);
  const tokens = run.seqLen * run.batch * sequences;

  const n = parameterCount ?? parameterCountFromDims(dims);
  assumptions.push(
    parameterCount == null
      ? `${fmtInt(n)} parameters, computed from config.json (Llama-style block)`
      : `${fmtInt(n)} parameters, counted in the safetensors files`,
  );
  let weightBytes: number;
  if (run.qlora) {
    const plain = Math.min(nonLinearParameterCount(dims), n);
    const bits = run.doubleQuant ? 4.127 : 4.5;
    const plainBytes = run.kbitUpcast ? 4 : 2;
    weightBytes = ((n - plain) * bits) / 8 + plain * plainBytes;
    const plainWidth = run.kbitUpcast ? '32-bit (prepare_model_for_kbit_training)' : '16-bit';
    assumptions.push(
      `QLoRA: linear weights NF4 at ${bits} bits/param${run.doubleQuant ? ' (double quantization)' : ''}; ` +
        `embeddings, lm_head and norms ${plainWidth}`,
    );
  } else {
    weightBytes = 2 * n;
    assumptions.push('base weights in bf16: 2 bytes per parameter');
  }

  const modules = targetedModules(dims, run.targets);
  const unknown = unknownTargets(run.targets);
  if (unknown.length > 0) {
    assumptions.push(`target modules not counted (not Llama-style linear layers): ${unknown.join(', ')}`);
  }
  const loraParams = loraParamCount(dims, run.rank, run.targets);
  const loraBytes = loraParams * LORA_BYTES_PER_PARAM;
  assumptions.push(
    `LoRA r=${run.rank} on ${describeTargets(run.targets)}: ${fmtInt(loraParams)} parameters × 16 bytes ` +
      '(fp32 weight, gradient, AdamW m and v)',
  );

  // Per token per layer, bf16 with SDPA/FA2 (Korthikanti et al. 2022, re-derived for RMSNorm, GQA, SwiGLU).
  let perTokenLayer = 20 * h + 4 * kvDim(dims) + 8 * dims.intermediate;
  if (run.loraDropout > 0) {
    // Dropout keeps a bf16 copy of every adapter input plus its 1-byte mask: 3·(6h+I) for all-linear.
    perTokenLayer += 3 * modules.reduce((sum, m) => sum + m.dIn, 0);
    assumptions.push(`lora_dropout ${run.loraDropout} stores an extra copy of every adapter input`);
  }
  const perLayer =
    tokens * perTokenLayer + (run.eagerAttention ? run.batch * 5 * dims.heads * run.seqLen ** 2 : 0);
  if (run.eagerAttention) assumptions.push('eager attention stores the attention matrices (grows with seq²)');
  const activationBytes = run.gradientCheckpointing
    ? tokens * dims.layers * 2 * h + perLayer
    : dims.layers * perLayer;
  assumptions.push(
    run.gradientCheckpointing
      ? `gradient checkpointing: layers keep only their input, one is recomputed at a time (${tokens} tokens)`
      : `no gradient checkpointing: every layer keeps its activations (${tokens} tokens)`,
  );

  const logitBytes = tokens * dims.vocab * 16;
  assumptions.push(
    `logits: ${tokens} tokens × ${fmtInt(dims.vocab)} vocabulary × 16 bytes ` +
      '(bf16, fp32 copy, log-softmax, gradients)',
  );

  if (run.objective && run.objective !== 'sft') {
    assumptions.push(
      `${run.objective.toUpperCase()}: ${sequences} sequences per example (` +
        (run.objective === 'kto'
          ? 'the completion and a mismatched one for the KL term'
          : 'chosen and rejected') +
        ')' +
        (run.objective === 'orpo'
          ? '; no reference model'
          : '; the reference model is the base with the adapter disabled (PEFT): no second copy of the weights'),
    );
  }

  let overheadBytes = OVERHEAD_GB * GB;
  if (run.dora) {
    overheadBytes += DORA_MEMORY_FACTOR * (weightBytes + loraBytes + activationBytes + logitBytes);
    assumptions.push('DoRA: about 10% more memory than LoRA (PEFT method_comparison)');
  }
  assumptions.push('about 1 GB of CUDA context and allocator overhead; the same on each GPU under DDP');

  const total = weightBytes + loraBytes + activationBytes + logitBytes + overheadBytes;
  return {
    totalGb: gb(total),
    parts: {
      weightsGb: gb(weightBytes),
      loraGb: gb(loraBytes),
      activationsGb: gb(activationBytes),
      logitsGb: gb(logitBytes),
      overheadGb: gb(overheadBytes),
    },
    loraParams,
    assumptions,
  };
}

/** The estimate's run settings from a resolved trainer config. */
export function vramRunFromConfig(config: TrainerConfig): VramRun {
  return {
    seqLen: config.max_seq_len,
    batch: config.per_device_batch_size,
    rank: config.lora_r,
    targets: config.lora_target_modules,
    qlora: config.method === 'qlora',
    doubleQuant: true,
    gradientCheckpointing: config.gradient_checkpointing,
    eagerAttention: config.attn_implementation === 'eager',
    loraDropout: config.lora_dropout,
    kbitUpcast: false,
    dora: config.method === 'dora',
    objective: config.objective,
  };
}

function targetedModules(dims: ModelDims, targets: VramRun['targets']) {
  const all = linearModules(dims);
  return targets === 'all-linear' ? all : all.filter((m) => targets.includes(m.name));
}

function unknownTargets(targets: VramRun['targets']): string[] {
  if (targets === 'all-linear') return [];
  const known: readonly string[] = LLAMA_LINEAR_MODULES;
  return targets.filter((t) => !known.includes(t));
}

function describeTargets(targets: VramRun['targets']): string {
  return targets === 'all-linear' ? 'all linear layers' : targets.join(', ');
}

function gb(bytes: number): number {
  return Math.round((bytes / GB) * 100) / 100;
}

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}
