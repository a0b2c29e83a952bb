import type { StartingModel } from '../../preload/contract';
import type { ModelDims } from '../training/model-dims';
import { estimateVram, type VramRun } from '../training/vram-estimate';

/** A starting model as shipped data: its Hub id and the config.json dimensions the estimator needs. */
interface StartingModelData {
  readonly id: string;
  readonly label: string;
  /** Gated on the Hub: accept the licence there and log in (a token) before downloading. */
  readonly gated: boolean;
  readonly dims: ModelDims;
}

/**
 * Sensible first base models, 0.5B–8B instruct, smallest first. Dimensions copied from each model's
 * config.json on the Hub (hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
 * num_key_value_heads, head_dim, vocab_size, tie_word_embeddings).
 */
export const STARTING_MODELS: ReadonlyArray<StartingModelData> = [
  {
    id: 'Qwen/Qwen2.5-0.5B-Instruct',
    label: 'Qwen2.5 0.5B Instruct',
    gated: false,
    dims: {
      hidden: 896,
      intermediate: 4864,
      layers: 24,
      heads: 14,
      kvHeads: 2,
      headDim: 64,
      vocab: 151_936,
      tiedEmbeddings: true,
    },
  },
  {
    id: 'meta-llama/Llama-3.2-1B-Instruct',
    label: 'Llama 3.2 1B Instruct',
    gated: true,
    dims: {
      hidden: 2048,
      intermediate: 8192,
      layers: 16,
      heads: 32,
      kvHeads: 8,
      headDim: 64,
      vocab: 128_256,
      tiedEmbeddings: true,
    },
  },
  {
    id: 'Qwen/Qwen2.5-1.5B-Instruct',
    label: 'Qwen2.5 1.5B Instruct',
    gated: false,
    dims: {
      hidden: 1536,
      intermediate: 8960,
      layers: 28,
      heads: 12,
      kvHeads: 2,
      headDim: 128,
      vocab: 151_936,
      tiedEmbeddings: true,
    },
  },
  {
    id: 'Qwen/Qwen2.5-3B-Instruct',
    label: 'Qwen2.5 3B Instruct',
    gated: false,
    dims: {
      hidden: 2048,
      intermediate: 11_008,
      layers: 36,
      heads: 16,
      kvHeads: 2,
      headDim: 128,
      vocab: 151_936,
      tiedEmbeddings: true,
    },
  },
  {
    id: 'Qwen/Qwen2.5-7B-Instruct',
    label: 'Qwen2.5 7B Instruct',
    gated: false,
    dims: {
      hidden: 3584,
      intermediate: 18_944,
      layers: 28,
      heads: 28,
      kvHeads: 4,
      headDim: 128,
      vocab: 152_064,
      tiedEmbeddings: false,
    },
  },
  {
    id: 'mistralai/Mistral-7B-Instruct-v0.3',
    label: 'Mistral 7B Instruct v0.3',
    gated: true,
    dims: {
      hidden: 4096,
      intermediate: 14_336,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      vocab: 32_768,
      tiedEmbeddings: false,
    },
  },
  {
    id: 'meta-llama/Llama-3.1-8B-Instruct',
    label: 'Llama 3.1 8B Instruct',
    gated: true,
    dims: {
      hidden: 4096,
      intermediate: 14_336,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      vocab: 128_256,
      tiedEmbeddings: false,
    },
  },
];

/** The run the list is estimated for: the balanced preset's shape (r 16, all linear, 2×1024 tokens). */
export const STARTING_RUN: Omit<VramRun, 'qlora'> = {
  seqLen: 1024,
  batch: 2,
  rank: 16,
  targets: 'all-linear',
  doubleQuant: true,
  gradientCheckpointing: true,
  eagerAttention: false,
  loraDropout: 0.05,
  kbitUpcast: false,
  dora: false,
};

/**
 * The starting models with their LoRA and QLoRA estimates from the app's own estimator, and whether
 * each fits the largest detected GPU (`gpuMemoryGb`; null when there is none, so nothing is claimed).
 */
export function startingModels(gpuMemoryGb: number | null): StartingModel[] {
  return STARTING_MODELS.map((m) => {
    const loraGb = estimateVram(m.dims, { ...STARTING_RUN, qlora: false }).totalGb;
    const qloraGb = estimateVram(m.dims, { ...STARTING_RUN, qlora: true }).totalGb;
    const fit =
      gpuMemoryGb === null
        ? null
        : loraGb <= gpuMemoryGb
          ? 'lora'
          : qloraGb <= gpuMemoryGb
            ? 'qlora'
            : 'none';
    return { id: m.id, label: m.label, gated: m.gated, loraGb, qloraGb, fit };
  });
}
