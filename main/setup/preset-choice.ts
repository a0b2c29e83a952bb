/**
 * The new-job form's default preset, chosen from the chosen GPU's free memory and the model's size
 * with the app's own VRAM estimator (the one the form's memory panel shows).
 */
import type { Preset, PresetChoice, PresetChoiceCandidate } from '../../preload/contract';
import { estimateForModel } from '../training/estimate-for-model';
import { PRESETS, TRAINER_DEFAULTS } from '../training/presets';

/**
 * The candidates in order of preference. Balanced is the usual choice; QLoRA keeps its sequence
 * length and rank at a quarter of the weights' memory, which costs less than Fast's halved sequences
 * (long chats truncated), so it comes before Fast. Quality is never the default: three epochs at
 * 4,096 tokens is a choice of time, not of memory — the person picks it for the final run.
 */
export const PRESET_CANDIDATES: ReadonlyArray<Pick<PresetChoiceCandidate, 'preset' | 'method'>> = [
  { preset: 'balanced', method: 'lora' },
  { preset: 'balanced', method: 'qlora' },
  { preset: 'fast', method: 'lora' },
  { preset: 'fast', method: 'qlora' },
];

/** Under this share of the free memory a run fits comfortably (the memory panel's "Fits" verdict). */
export const COMFORTABLE_SHARE = 0.9;

const LABEL = { fast: 'Fast', balanced: 'Balanced', quality: 'Quality' } as const;
const METHOD = { lora: 'LoRA', qlora: 'QLoRA' } as const;

/** The estimate (GB of 10⁹ bytes) in MiB, the unit nvidia-smi's free memory comes in. */
function gbToMb(gb: number): number {
  return (gb * 1e9) / (1024 * 1024);
}

/** "19.8 GiB", as the app shows GPU memory (formatGbFromMb in the renderer). */
function gib(mb: number): string {
  return `${(mb / 1024).toFixed(1)} GiB`;
}

/**
 * Picks the first candidate that fits comfortably in `freeMb`, else the first that fits at all
 * (tight), else the smallest (with a reason saying nothing fits). Pure: the estimates come in.
 */
export function choosePreset(
  candidates: ReadonlyArray<PresetChoiceCandidate>,
  freeMb: number | null,
): Omit<PresetChoice, 'presetSettings'> {
  const first = candidates[0];
  if (first === undefined) throw new Error('choosePreset needs at least one candidate');
  const name = (c: PresetChoiceCandidate) => `${LABEL[c.preset]} with ${METHOD[c.method]}`;
  const needs = (c: PresetChoiceCandidate) => gib(gbToMb(c.totalGb));
  if (freeMb === null) {
    return {
      ...pick(first),
      verdict: 'no-gpu',
      reason: `${name(first)}, the usual choice: no GPU to size it against (it needs ${needs(first)}).`,
      candidates: [...candidates],
    };
  }
  const comfortable = candidates.find((c) => gbToMb(c.totalGb) <= freeMb * COMFORTABLE_SHARE);
  const tight = candidates.find((c) => gbToMb(c.totalGb) <= freeMb);
  const chosen = comfortable ?? tight;
  const skipped = chosen === undefined ? [] : candidates.slice(0, candidates.indexOf(chosen));
  const because =
    skipped.length === 0 ? '' : ` (${skipped.map((c) => `${name(c)} needs ${needs(c)}`).join(', ')})`;
  if (chosen === comfortable && chosen !== undefined) {
    return {
      ...pick(chosen),
      verdict: 'fits',
      reason: `${name(chosen)}: fits in ${gib(freeMb)} free, needs ${needs(chosen)}${because}.`,
      candidates: [...candidates],
    };
  }
  if (chosen !== undefined) {
    return {
      ...pick(chosen),
      verdict: 'tight',
      reason: `${name(chosen)}: tight, needs ${needs(chosen)} of ${gib(freeMb)} free${because}.`,
      candidates: [...candidates],
    };
  }
  const last = candidates[candidates.length - 1] ?? first;
  return {
    ...pick(last),
    verdict: 'none',
    reason:
      `Nothing fits in ${gib(freeMb)} free: even ${name(last)} needs ${needs(last)}. ` +
      'Choose a smaller model, another GPU, or several GPUs.',
    candidates: [...candidates],
  };
}

/** The settings of a preset that move the estimate, over the trainer's defaults. */
function estimateSettings(preset: Preset): PresetChoice['presetSettings'][Preset] {
  const settings = { ...TRAINER_DEFAULTS, ...PRESETS[preset] };
  return {
    max_seq_len: settings.max_seq_len,
    per_device_batch_size: settings.per_device_batch_size,
    lora_r: settings.lora_r,
    gradient_checkpointing: settings.gradient_checkpointing,
  };
}

function pick(c: PresetChoiceCandidate): Pick<PresetChoice, 'preset' | 'method'> {
  return { preset: c.preset, method: c.method };
}

/** Estimates every candidate for the model folder (BAD_INPUT when it is unreadable), then chooses. */
export async function presetChoiceForModel(modelPath: string, freeMb: number | null): Promise<PresetChoice> {
  const candidates = await Promise.all(
    PRESET_CANDIDATES.map(async (candidate): Promise<PresetChoiceCandidate> => {
      const settings = estimateSettings(candidate.preset);
      const estimate = await estimateForModel({
        modelPath,
        seqLen: settings.max_seq_len,
        batch: settings.per_device_batch_size,
        rank: settings.lora_r,
        qlora: candidate.method === 'qlora',
        gradientCheckpointing: settings.gradient_checkpointing,
      });
      return { ...candidate, totalGb: estimate.totalGb };
    }),
  );
  const presetSettings = {
    fast: estimateSettings('fast'),
    balanced: estimateSettings('balanced'),
    quality: estimateSettings('quality'),
  };
  return { ...choosePreset(candidates, freeMb), presetSettings };
}
