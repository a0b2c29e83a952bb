import { describe, expect, it } from 'vitest';
import {
  kvDim,
  type ModelDims,
  modelDimsFromConfig,
  parameterCountFromDims,
} from '../../../main/training/model-dims';
import {
  estimateVram,
  loraParamCount,
  type VramRun,
  vramRunFromConfig,
} from '../../../main/training/vram-estimate';
import { LLAMA_2_7B_CONFIG, LLAMA_3_1_8B_CONFIG, LLAMA_3_8B_CONFIG } from '../../fixtures/model-configs';

const dimsOf = (config: Record<string, unknown>): ModelDims => {
  const dims = modelDimsFromConfig(config);
  if (!dims) throw new Error('fixture has no dims');
  return dims;
};
const llama2 = dimsOf(LLAMA_2_7B_CONFIG);
const llama3 = dimsOf(LLAMA_3_8B_CONFIG);
const llama31 = dimsOf(LLAMA_3_1_8B_CONFIG);

/** The trainer's defaults: LoRA on all linear layers, checkpointing, SDPA, double-quant NF4, no upcast. */
const run = (patch: Partial<VramRun>): VramRun => ({
  seqLen: 2048,
  batch: 1,
  rank: 16,
  targets: 'all-linear',
  qlora: false,
  doubleQuant: true,
  gradientCheckpointing: true,
  eagerAttention: false,
  loraDropout: 0,
  kbitUpcast: false,
  dora: false,
  ...patch,
});

const within = (estimate: number, target: number, tolerance = 0.1) =>
  expect(Math.abs(estimate - target) / target).toBeLessThanOrEqual(tolerance);

describe('model dims from config.json', () => {
  it('reads Llama-3-8B: GQA with 8 kv heads gives a 1024-wide k/v projection', () => {
    expect(llama3).toEqual({
      hidden: 4096,
      intermediate: 14336,
      layers: 32,
      heads: 32,
      kvHeads: 8,
      headDim: 128,
      vocab: 128256,
      tiedEmbeddings: false,
    });
    expect(kvDim(llama3)).toBe(1024);
  });

  it('computes the published parameter counts from the dims alone', () => {
    expect(parameterCountFromDims(llama2)).toBe(6_738_415_616);
    expect(parameterCountFromDims(llama3)).toBe(8_030_261_248);
  });

  it('returns null when a required field is missing, and reads GPT-2 aliases and text_config', () => {
    expect(modelDimsFromConfig({ hidden_size: 64 })).toBeNull();
    const gpt2 = modelDimsFromConfig({ n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257 });
    expect(gpt2).toMatchObject({ hidden: 768, intermediate: 3072, kvHeads: 12, headDim: 64 });
    const vlm = modelDimsFromConfig({ architectures: ['X'], text_config: { ...LLAMA_3_8B_CONFIG } });
    expect(vlm).toEqual(llama3);
  });
});

describe('LoRA parameter count', () => {
  it('is r·(d_in+d_out) over q,k,v,o,gate,up,down of every layer: 41,943,040 for Llama-3-8B r16', () => {
    expect(loraParamCount(llama3, 16, 'all-linear')).toBe(41_943_040);
  });

  it('counts only the listed modules when targets are named', () => {
    // q: 4096+4096, v: 4096+1024, per layer ×16 ranks ×32 layers
    expect(loraParamCount(llama3, 16, ['q_proj', 'v_proj'])).toBe(32 * 16 * (8192 + 5120));
  });
});

describe('worked example (TRAINER.md §3): Llama-3-8B, 2048×1, r16, all linear', () => {
  it('LoRA on a bf16 base: 16.06 + 0.67 + 0.95 + 4.20 + 1 ≈ 22.9 GB', () => {
    const e = estimateVram(llama3, run({}));
    expect(e.parts).toEqual({
      weightsGb: 16.06,
      loraGb: 0.67,
      activationsGb: 0.95,
      logitsGb: 4.2,
      overheadGb: 1,
    });
    expect(e.totalGb).toBeCloseTo(22.9, 1);
    expect(e.loraParams).toBe(41_943_040);
  });

  it('QLoRA: NF4 weights 5.70 GB, total ≈ 12.5 GB', () => {
    const e = estimateVram(llama3, run({ qlora: true }));
    expect(e.parts.weightsGb).toBe(5.7);
    expect(e.totalGb).toBeCloseTo(12.5, 1);
  });

  it('without gradient checkpointing: 35.1 GB (LoRA) and 24.7 GB (QLoRA)', () => {
    expect(estimateVram(llama3, run({ gradientCheckpointing: false })).totalGb).toBeCloseTo(35.1, 1);
    expect(estimateVram(llama3, run({ qlora: true, gradientCheckpointing: false })).totalGb).toBeCloseTo(
      24.7,
      1,
    );
  });

  it('QLoRA with the fp32 upcast of prepare_model_for_kbit_training: 14.6 GB (+2.1 GB)', () => {
    expect(estimateVram(llama3, run({ qlora: true, kbitUpcast: true })).totalGb).toBeCloseTo(14.6, 1);
  });
});

describe('calibration table (TRAINER.md §3): within ±10% of the estimate and the measurement', () => {
  // LLaMA-Factory's comparison ran r8 on all modules.
  const lf = (patch: Partial<VramRun>) => run({ rank: 8, seqLen: 1024, batch: 4, ...patch });

  it('LLaMA2-7B LoRA 4×1024 → 18.7 GB (measured 18)', () => {
    const { totalGb } = estimateVram(llama2, lf({}));
    expect(totalGb).toBe(18.73);
    within(totalGb, 18.7);
    within(totalGb, 18);
  });

  it('LLaMA2-7B QLoRA 4×1024 → 9.6 GB (measured 9); 9.12 without the fp32 upcast, 9.64 with it', () => {
    const plain = estimateVram(llama2, lf({ qlora: true })).totalGb;
    expect(plain).toBe(9.12);
    within(plain, 9.6);
    within(plain, 9);
    const upcast = estimateVram(llama2, lf({ qlora: true, kbitUpcast: true })).totalGb;
    expect(upcast).toBe(9.64);
    within(upcast, 9);
  });

  it('LLaMA2-7B QLoRA 1×2048 → 7.2 GB (measured 7)', () => {
    const { totalGb } = estimateVram(llama2, lf({ qlora: true, seqLen: 2048, batch: 1 }));
    expect(totalGb).toBe(7.15);
    within(totalGb, 7.2);
    within(totalGb, 7);
  });

  it.each([
    [932, 12.5, 12],
    [2551, 16.6, 16],
    [5789, 24.7, 24],
  ])(
    'Llama-3.1-8B QLoRA r32 with fp32 upcast, %i tokens → %f GB (fits a %i GB card)',
    (tokens, note, card) => {
      const { totalGb } = estimateVram(
        llama31,
        run({ qlora: true, rank: 32, kbitUpcast: true, seqLen: tokens }),
      );
      within(totalGb, note, 0.01);
      within(totalGb, card);
    },
  );
});

describe('terms that switch on with settings', () => {
  it('lora_dropout > 0 adds 3·(6h+I) bytes per token per layer', () => {
    const base = estimateVram(llama3, run({ gradientCheckpointing: false }));
    const drop = estimateVram(llama3, run({ gradientCheckpointing: false, loraDropout: 0.05 }));
    const extra = (2048 * 32 * 3 * (6 * 4096 + 14336)) / 1e9;
    expect(drop.parts.activationsGb - base.parts.activationsGb).toBeCloseTo(extra, 1);
    expect(drop.assumptions.join(' ')).toMatch(/lora_dropout/);
  });

  it('eager attention adds 5·heads·s² bytes per sequence and layer', () => {
    const sdpa = estimateVram(llama3, run({ gradientCheckpointing: false, seqLen: 4096 }));
    const eager = estimateVram(
      llama3,
      run({ gradientCheckpointing: false, seqLen: 4096, eagerAttention: true }),
    );
    expect(eager.parts.activationsGb - sdpa.parts.activationsGb).toBeCloseTo(
      (32 * 5 * 32 * 4096 ** 2) / 1e9,
      1,
    );
  });

  it('DoRA adds about 10% and says so', () => {
    const lora = estimateVram(llama3, run({}));
    const dora = estimateVram(llama3, run({ dora: true }));
    within(dora.totalGb, lora.totalGb * 1.1 - 0.1, 0.01);
    expect(dora.assumptions.join(' ')).toMatch(/DoRA/);
  });

  it('uses a counted parameter total when one is given', () => {
    const counted = estimateVram(llama3, run({}), 8e9);
    expect(counted.parts.weightsGb).toBe(16);
    expect(counted.assumptions[0]).toMatch(/safetensors/);
  });

  it('names target modules it cannot place', () => {
    const e = estimateVram(llama3, run({ targets: ['q_proj', 'c_attn'] }));
    expect(e.assumptions.join(' ')).toMatch(/not counted.*c_attn/);
  });

  it('reads its run from a trainer config', () => {
    const r = vramRunFromConfig({
      base_model: '/m',
      method: 'qlora',
      lora_r: 8,
      lora_alpha: 16,
      lora_dropout: 0,
      lora_target_modules: 'all-linear',
      max_seq_len: 1024,
      per_device_batch_size: 4,
      grad_accum: 2,
      learning_rate: 2e-4,
      lr_scheduler: 'cosine',
      warmup: 0.03,
      weight_decay: 0,
      max_grad_norm: 1,
      epochs: 1,
      max_steps: null,
      eval_steps: null,
      save_steps: 100,
      save_total_limit: 3,
      logging_steps: 10,
      seed: 42,
      gradient_checkpointing: true,
      completion_only: true,
      packing: false,
      precision: 'auto',
      attn_implementation: 'auto',
      resume_from_checkpoint: null,
    });
    expect(estimateVram(llama2, r).totalGb).toBe(9.12);
  });
});

describe('preference objectives', () => {
  it('DPO puts chosen and rejected through one forward and adds no reference weights with LoRA', () => {
    const sft = estimateVram(llama3, run({}));
    const dpo = estimateVram(llama3, run({ objective: 'dpo' }));
    expect(dpo.parts.weightsGb).toBe(sft.parts.weightsGb);
    expect(dpo.parts.loraGb).toBe(sft.parts.loraGb);
    expect(dpo.parts.logitsGb).toBeCloseTo(2 * sft.parts.logitsGb, 1);
    expect(dpo.parts.activationsGb).toBeCloseTo(2 * sft.parts.activationsGb, 1);
    expect(dpo.assumptions).toContain(
      'DPO: 2 sequences per example (chosen and rejected); the reference model is the base with the adapter disabled (PEFT): no second copy of the weights',
    );
    expect(estimateVram(llama3, run({ objective: 'orpo' })).assumptions.at(-2)).toMatch(
      /no reference model$/,
    );
    expect(estimateVram(llama3, run({ objective: 'kto' })).parts.logitsGb).toBe(dpo.parts.logitsGb);
  });
});
