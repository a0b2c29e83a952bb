/**
 * The verdicts of preflight, each from facts already gathered: pure functions, so every sentence a
 * person may read is unit-testable. The I/O (hashing, inspecting, running doctor) is in preflight.ts.
 */
import type {
  DevicePlan,
  GpuStatus,
  ModelInfo,
  PreflightCheck,
  TrainerConfig,
  VramEstimate,
} from '../../preload/contract';
import type { TrainerDoctorRun } from './trainer-doctor';

type Verdict = PreflightCheck['verdict'];

/** A check result. */
export function check(id: PreflightCheck['id'], verdict: Verdict, detail: string): PreflightCheck {
  return { id, label: LABELS[id], verdict, detail };
}

/** The label the job form shows next to each check. */
export const LABELS: Readonly<Record<PreflightCheck['id'], string>> = {
  dataset: 'Dataset version',
  model: 'Base model',
  tokenizer: 'Tokenizer',
  config: 'Settings',
  python: 'Python environment',
  gpus: 'GPUs',
  vram: 'GPU memory',
  disk: 'Disk space',
  duration: 'Duration',
};

/** A GPU as preflight sees it: nvidia-smi's view when there is one, else the trainer's torch view. */
export interface GpuFacts {
  readonly index: number;
  readonly name: string;
  readonly totalMb: number | null;
  /** Null when only the total is known (doctor reports no usage). */
  readonly usedMb: number | null;
  /** GPU use in percent now; null when unknown (doctor's view). */
  readonly utilizationPct: number | null;
}

/** The GPUs of this machine from a fresh nvidia-smi status, or from doctor when nvidia-smi gave none. */
export function gpuFacts(status: GpuStatus | null, doctor: TrainerDoctorRun): GpuFacts[] {
  if (status && status.gpus.length > 0) {
    return status.gpus.map((g) => ({
      index: g.index,
      name: g.name,
      totalMb: g.memoryTotalMb,
      usedMb: g.memoryUsedMb,
      utilizationPct: g.utilizationPct,
    }));
  }
  return (doctor.doctor?.gpus ?? []).map((g) => ({
    index: g.index,
    name: g.name,
    totalMb: g.memory_total_mb,
    usedMb: null,
    utilizationPct: null,
  }));
}

/** `tokenizer`: the model folder has a tokenizer, and a chat template when the rows are conversations. */
export function tokenizerCheck(model: ModelInfo | null, chatRows: boolean | null): PreflightCheck {
  if (!model) return check('tokenizer', 'warn', 'Not checked: the model folder could not be read.');
  if (!model.hasTokenizer) {
    return check(
      'tokenizer',
      'fail',
      'No tokenizer in the model folder (tokenizer.json, tokenizer.model, vocab.json…): ' +
        'copy the files from the original model.',
    );
  }
  if (model.hasChatTemplate) return check('tokenizer', 'pass', 'Tokenizer and chat template present.');
  if (chatRows === true) {
    // The trainer stops at the first chat row without a template (labels.py), so this blocks.
    return check(
      'tokenizer',
      'fail',
      'The dataset holds conversations but the model has no chat template (tokenizer_config.json or ' +
        'chat_template.jinja): use an instruct model or add a template.',
    );
  }
  return check('tokenizer', 'pass', 'Tokenizer present; plain-text rows need no chat template.');
}

/** `config`: the settings resolve, and this environment and hardware can run them. */
export function configCheck(
  config: TrainerConfig | null,
  error: string | null,
  run: TrainerDoctorRun,
  chosen: readonly number[] | null,
  model: ModelInfo | null,
): PreflightCheck {
  if (!config) return check('config', 'fail', error ?? 'The settings could not be resolved.');
  const d = run.doctor;
  const cpu = chosen !== null && chosen.length === 0;
  if (config.method === 'qlora' && d && d.bitsandbytes === null) {
    return check(
      'config',
      'fail',
      'QLoRA needs bitsandbytes, which this Python environment lacks; use LoRA (bf16) instead.',
    );
  }
  if (config.method === 'qlora' && cpu)
    return check('config', 'fail', 'QLoRA needs a CUDA GPU; use LoRA on CPU.');
  if (config.precision === 'fp16' && cpu)
    return check('config', 'fail', 'fp16 needs a CUDA GPU; use auto or fp32.');
  if (config.attn_implementation === 'flash_attention_2' && d && d.flash_attn === null) {
    return check(
      'config',
      'fail',
      'FlashAttention 2 was chosen but flash-attn is not installed in this Python environment; ' +
        'use auto or sdpa.',
    );
  }
  if (config.precision === 'bf16' && d && d.gpus.length > 0 && !d.bf16) {
    return check('config', 'fail', 'These GPUs do not support bf16; use auto or fp16.');
  }
  if (model?.maxContext && config.max_seq_len > model.maxContext) {
    // Positions past the context were never trained: the model would learn from noise there.
    return check(
      'config',
      'fail',
      `max_seq_len ${config.max_seq_len.toLocaleString('en-US')} is longer than the model's context ` +
        `(${model.maxContext.toLocaleString('en-US')} tokens, max_position_embeddings): set it to ` +
        `${model.maxContext.toLocaleString('en-US')} or less.`,
    );
  }
  const summary =
    `${config.method === 'qlora' ? 'QLoRA' : config.method === 'dora' ? 'DoRA' : 'LoRA'} r${config.lora_r} ` +
    `(alpha ${config.lora_alpha}), ${config.max_seq_len.toLocaleString('en-US')} tokens, batch ` +
    `${config.per_device_batch_size}×${config.grad_accum}, lr ${config.learning_rate.toExponential()}, ` +
    (config.max_steps !== null
      ? `${config.max_steps} steps.`
      : `${config.epochs} epoch${config.epochs === 1 ? '' : 's'}.`);
  const warnings = [
    config.packing && d && d.flash_attn === null
      ? 'packing needs flash-attn, which is missing: rows are padded instead'
      : null,
    config.lora_dropout > 0
      ? 'lora_dropout above 0 costs memory (an extra copy of every adapter input)'
      : null,
  ].filter((w): w is string => w !== null);
  if (warnings.length > 0) return check('config', 'warn', `${summary} Note: ${warnings.join('; ')}.`);
  return check('config', 'pass', summary);
}

/** `python`: the trainer's environment can train. */
export function pythonCheck(run: TrainerDoctorRun): PreflightCheck {
  if (!run.doctor) return check('python', 'fail', run.problem);
  const d = run.doctor;
  if (!d.ok) {
    const problems = d.problems.length > 0 ? d.problems.join('; ') : 'it reports ok: false without a reason';
    return check('python', 'fail', `The trainer's Python environment cannot train: ${problems}.`);
  }
  const versions = [
    d.python && `Python ${d.python}`,
    d.torch && `torch ${d.torch}${d.cuda ? ` (CUDA ${d.cuda})` : ' (no CUDA)'}`,
    d.transformers && `transformers ${d.transformers}`,
    d.peft && `peft ${d.peft}`,
  ].filter(Boolean);
  return check('python', 'pass', `${versions.join(', ')}.`);
}

/** The first letter in capitals: plan notes are written to follow a time in the timeline. */
function sentence(note: string): string {
  return note.charAt(0).toUpperCase() + note.slice(1);
}

/** `gpus`: the requested GPUs exist and torch can see them; the plan says why these devices. */
export function gpusCheck(
  chosen: readonly number[],
  gpus: readonly GpuFacts[],
  run: TrainerDoctorRun,
  platform: NodeJS.Platform,
  plan?: DevicePlan,
): PreflightCheck {
  if (chosen.length === 0) {
    const why = plan?.note ?? 'training on CPU';
    return check('gpus', 'warn', `${sentence(why)}: only for tiny models and tests.`);
  }
  if (new Set(chosen).size !== chosen.length) {
    return check('gpus', 'fail', `GPU ${chosen.join(', ')}: each GPU may be chosen once.`);
  }
  if (gpus.length === 0) {
    return check(
      'gpus',
      'fail',
      `GPU ${chosen.join(', ')} was asked for but no NVIDIA GPU was found: choose the CPU or check the driver with nvidia-smi.`,
    );
  }
  const missing = chosen.filter((i) => !gpus.some((g) => g.index === i));
  if (missing.length > 0) {
    const have = gpus.map((g) => `GPU ${g.index} (${g.name})`).join(', ');
    return check('gpus', 'fail', `GPU ${missing.join(', ')} does not exist: this machine has ${have}.`);
  }
  if (run.doctor && run.doctor.gpus.length === 0) {
    const why = run.doctor.warnings[0] ?? 'its torch build may lack CUDA support';
    return check('gpus', 'fail', `The trainer's Python sees no CUDA GPU (${why}).`);
  }
  if (chosen.length > 1 && platform === 'win32') {
    return check('gpus', 'fail', 'Several GPUs need Linux: PyTorch for Windows has no NCCL. Choose one GPU.');
  }
  if (plan?.chosenBy === 'auto') return check('gpus', 'pass', `${sentence(plan.note)}.`);
  const names = chosen.map((i) => `GPU ${i} (${gpus.find((g) => g.index === i)?.name})`).join(', ');
  return check(
    'gpus',
    'pass',
    chosen.length > 1 ? `${names}: one training process per GPU (DDP).` : `${names}.`,
  );
}

/** `vram`: the estimate fits in each chosen GPU's free memory (fail above 100%, warn above 90%). */
export function vramCheck(
  estimate: VramEstimate | null,
  chosen: readonly number[] | null,
  gpus: readonly GpuFacts[],
  why: string,
): PreflightCheck {
  if (!estimate) return check('vram', 'warn', `Not estimated: ${why}`);
  const need = `about ${fmtGib(estimate.totalGb)} per GPU`;
  if (chosen === null) return check('vram', 'fail', `Needs ${need}, and there is no NVIDIA GPU.`);
  if (chosen.length === 0)
    return check('vram', 'pass', `Runs on CPU: no GPU memory needed (${need} on a GPU).`);
  const rows = chosen
    .map((i) => gpus.find((g) => g.index === i))
    .filter((g): g is GpuFacts => g !== undefined && g.totalMb !== null)
    .map((g) => ({
      g,
      freeGb: mibToGb((g.totalMb ?? 0) - (g.usedMb ?? 0)),
      totalGb: mibToGb(g.totalMb ?? 0),
    }));
  if (rows.length === 0) return check('vram', 'warn', `Needs ${need}; the GPUs' memory is unknown.`);
  const worst = rows.reduce((a, b) => (b.freeGb < a.freeGb ? b : a));
  const usage =
    worst.g.usedMb === null ? 'in total (current use unknown)' : `free of ${fmtGib(worst.totalGb)}`;
  const where = `GPU ${worst.g.index} has ${fmtGib(worst.freeGb)} ${usage}`;
  const parts = estimate.parts;
  const breakdown =
    `weights ${fmtGib(parts.weightsGb)}, LoRA ${fmtGib(parts.loraGb)}, ` +
    `activations ${fmtGib(parts.activationsGb)}, ` +
    `logits ${fmtGib(parts.logitsGb)}, overhead ${fmtGib(parts.overheadGb)}`;
  if (estimate.totalGb > worst.freeGb) {
    return check(
      'vram',
      'fail',
      `Needs ${need} (${breakdown}) but ${where}. Try QLoRA, a shorter max_seq_len or a smaller batch.`,
    );
  }
  const pct = Math.round((estimate.totalGb / worst.freeGb) * 100);
  if (pct > 90) {
    return check(
      'vram',
      'warn',
      `Needs ${need}, ${pct}% of what is available: ${where}. It may run out of memory.`,
    );
  }
  return check('vram', 'pass', `Needs ${need} (${breakdown}); ${where}.`);
}

/** Optimizer steps of the run: epochs over the train rows at the effective batch, or max_steps. */
export function totalSteps(config: TrainerConfig, trainRows: number, worldSize: number): number {
  if (config.max_steps !== null) return config.max_steps;
  const perEpoch = Math.ceil(
    trainRows / (config.per_device_batch_size * config.grad_accum * Math.max(1, worldSize)),
  );
  return Math.max(1, Math.ceil(perEpoch * config.epochs));
}

/** Bytes a run writes: the data copy, the kept checkpoints (adapter + AdamW states), the final adapter. */
export function diskNeedBytes(
  loraParams: number,
  config: TrainerConfig,
  steps: number,
  datasetBytes: number,
): number {
  const saves = Math.max(1, Math.floor(steps / config.save_steps));
  // Trainer saves the new checkpoint before it deletes the oldest, so limit + 1 exist for a moment.
  const kept = Math.min(saves, (config.save_total_limit ?? saves) + 1);
  const checkpoint = loraParams * 12; // fp32 adapter (4 bytes) + AdamW m and v (8 bytes)
  return datasetBytes + kept * checkpoint + loraParams * 4 + GB_BYTES;
}

/** `disk`: the data folder's disk holds the checkpoints (fail above free, warn above 80%). */
export function diskCheck(needBytes: number | null, freeGb: number | null, path: string): PreflightCheck {
  if (needBytes === null) return check('disk', 'warn', 'Not estimated: the model could not be read.');
  const need = needBytes / GB_BYTES;
  if (freeGb === null)
    return check('disk', 'warn', `Needs about ${fmtGb(need)}; free space at ${path} is unknown.`);
  if (need > freeGb) {
    return check(
      'disk',
      'fail',
      `Needs about ${fmtGb(need)} for checkpoints and the adapter, but ${path} has ${fmtGb(freeGb)} free.`,
    );
  }
  const verdict = need > 0.8 * freeGb ? 'warn' : 'pass';
  return check(
    'disk',
    verdict,
    `Needs about ${fmtGb(need)} for checkpoints and the adapter; ${fmtGb(freeGb)} free.`,
  );
}

/** Rough tokens per stored byte of a JSON-lines row (English text, JSON keys included). */
export const BYTES_PER_TOKEN = 4;

/** `duration`: known only from the speed of an earlier run on the same model. */
export function durationCheck(
  config: TrainerConfig,
  steps: number,
  dataset: { readonly sizeBytes: number; readonly rowCount: number },
  tokensPerS: number | null,
): PreflightCheck {
  const stepsText = `${steps.toLocaleString('en-US')} steps`;
  if (tokensPerS === null || !(tokensPerS > 0)) {
    return check(
      'duration',
      'pass',
      `${stepsText}; the duration is unknown until the first run on this model.`,
    );
  }
  const tokensPerRow = Math.min(
    config.max_seq_len,
    dataset.sizeBytes / Math.max(1, dataset.rowCount) / BYTES_PER_TOKEN,
  );
  const rowsPerStep = config.per_device_batch_size * config.grad_accum;
  const seconds = (steps * rowsPerStep * tokensPerRow) / tokensPerS;
  const speed = Math.round(tokensPerS).toLocaleString('en-US');
  return check(
    'duration',
    'pass',
    `About ${fmtDuration(seconds)} (${stepsText} at ${speed} tokens/s, ` +
      'the speed of an earlier run on this model; ' +
      `tokens estimated from the file size).`,
  );
}

/** "2 h 10 min", "14 min", "under a minute". */
export function fmtDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

const GB_BYTES = 1e9;

/**
 * GPU memory as nvidia-smi and the rest of the app show it: GiB (2^30 bytes). The estimate and the
 * comparisons stay in GB (1e9 bytes); only the words change unit.
 */
function fmtGib(gb: number): string {
  const gib = (gb * 1e9) / 2 ** 30;
  return `${gib < 10 ? gib.toFixed(2) : gib.toFixed(1)} GiB`;
}

function fmtGb(gb: number): string {
  return `${gb < 10 ? gb.toFixed(2) : gb.toFixed(1)} GB`;
}

/** nvidia-smi reports MiB; the estimate is in GB (1e9 bytes). */
function mibToGb(mib: number): number {
  return (mib * 1_048_576) / 1e9;
}
