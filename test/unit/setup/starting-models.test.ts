import { describe, expect, it } from 'vitest';
import { STARTING_MODELS, startingModels } from '../../../main/setup/starting-models';
import { parameterCountFromDims } from '../../../main/training/model-dims';

describe('starting models', () => {
  it('ships 0.5B–8B instruct models whose dims give their advertised sizes', () => {
    const billions = STARTING_MODELS.map((m) => parameterCountFromDims(m.dims) / 1e9);
    expect(billions[0]).toBeGreaterThan(0.4);
    expect(billions[0]).toBeLessThan(0.6);
    expect(billions.at(-1)).toBeGreaterThan(7.5);
    expect(billions.at(-1)).toBeLessThan(8.5);
    expect(STARTING_MODELS.every((m) => /Instruct/.test(m.id))).toBe(true);
  });

  it('estimates QLoRA below LoRA for each, and sizes them to the GPU', () => {
    const none = startingModels(null);
    expect(none.every((m) => m.fit === null && m.qloraGb < m.loraGb && m.qloraGb > 0)).toBe(true);
    const small = startingModels(12);
    expect(small.find((m) => m.id === 'Qwen/Qwen2.5-0.5B-Instruct')?.fit).toBe('lora');
    const eight = small.find((m) => m.id === 'meta-llama/Llama-3.1-8B-Instruct');
    expect(eight?.fit).toBe(eight && eight.qloraGb <= 12 ? 'qlora' : 'none');
    expect(startingModels(85.9).every((m) => m.fit === 'lora')).toBe(true);
  });
});
