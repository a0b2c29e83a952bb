import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRESETS, TRAINER_DEFAULTS } from '../../../main/training/presets';
import { resolveConfig } from '../../../main/training/resolve-config';
import { PresetSchema, TrainerConfigSchema } from '../../../preload/contract';

describe('trainer defaults', () => {
  it('are a valid trainer config once a base model is set', () => {
    expect(TrainerConfigSchema.safeParse({ ...TRAINER_DEFAULTS, base_model: '/m' }).success).toBe(true);
  });

  it('match config.py: r16/alpha32, 2048 tokens, lr 2e-4 cosine with 3% warmup, checkpointing on', () => {
    expect(TRAINER_DEFAULTS).toMatchObject({
      method: 'lora',
      lora_r: 16,
      lora_alpha: 32,
      max_seq_len: 2048,
      learning_rate: 2e-4,
      lr_scheduler: 'cosine',
      warmup: 0.03,
      save_total_limit: 3,
      gradient_checkpointing: true,
      completion_only: true,
    });
  });
});

describe('presets', () => {
  it('exist for every preset the contract names, each with checkpointing and completion-only loss', () => {
    for (const preset of PresetSchema.options) {
      expect(PRESETS[preset]).toMatchObject({
        gradient_checkpointing: true,
        completion_only: true,
        warmup: 0.03,
      });
    }
  });

  it('grow from fast to quality in rank, length and epochs, with alpha = 2·r', () => {
    const { fast, balanced, quality } = PRESETS;
    expect([fast.lora_r, balanced.lora_r, quality.lora_r]).toEqual([8, 16, 32]);
    expect([fast.max_seq_len, balanced.max_seq_len, quality.max_seq_len]).toEqual([1024, 2048, 4096]);
    expect([fast.epochs, balanced.epochs, quality.epochs]).toEqual([1, 2, 3]);
    for (const p of [fast, balanced, quality]) expect(p.lora_alpha).toBe(2 * (p.lora_r ?? 0));
    expect(quality.learning_rate).toBe(1e-4);
  });

  it('keep the effective batch at 16 sequences', () => {
    for (const p of Object.values(PRESETS)) {
      expect((p.per_device_batch_size ?? 1) * (p.grad_accum ?? 1)).toBe(16);
    }
  });
});

describe('resolveConfig', () => {
  it('layers defaults ← preset ← settings and validates the result', () => {
    const config = resolveConfig({
      modelPath: '/models/llama',
      preset: 'quality',
      settings: { lora_r: 64, method: 'qlora' },
    });
    expect(config).toMatchObject({
      base_model: '/models/llama',
      method: 'qlora',
      lora_r: 64,
      lora_alpha: 64,
      max_seq_len: 4096,
      epochs: 3,
      seed: 42,
      resume_from_checkpoint: null,
    });
    expect(TrainerConfigSchema.parse(config)).toEqual(config);
  });

  it('uses the trainer defaults when no preset is given, and makes the model path absolute', () => {
    const config = resolveConfig({ modelPath: 'models/tiny' });
    expect(config).toEqual({ ...TRAINER_DEFAULTS, base_model: resolve('models/tiny') });
  });

  it('ignores settings given as undefined instead of erasing the preset', () => {
    expect(resolveConfig({ modelPath: '/m', preset: 'fast', settings: { lora_r: undefined } }).lora_r).toBe(
      8,
    );
  });

  it('refuses bad settings with BAD_INPUT naming the key', () => {
    expect(() => resolveConfig({ modelPath: '/m', settings: { lora_r: 0 } })).toThrow(/lora_r/);
    expect(() =>
      resolveConfig({ modelPath: '/m', settings: { base_model: '/x' } as unknown as Record<string, never> }),
    ).toThrowError(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
