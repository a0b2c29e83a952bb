import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { choosePreset, PRESET_CANDIDATES, presetChoiceForModel } from '../../../main/setup/preset-choice';
import type { PresetChoiceCandidate } from '../../../preload/contract';
import { writeFakeModel } from '../../fixtures/fake-model';
import { LLAMA_3_8B_CONFIG } from '../../fixtures/model-configs';

/** GB (10⁹ bytes, the estimate's unit) → MiB (nvidia-smi's). */
const mb = (gb: number) => (gb * 1e9) / 2 ** 20;

const CANDIDATES: ReadonlyArray<PresetChoiceCandidate> = [
  { preset: 'balanced', method: 'lora', totalGb: 20 },
  { preset: 'balanced', method: 'qlora', totalGb: 9 },
  { preset: 'fast', method: 'lora', totalGb: 17 },
  { preset: 'fast', method: 'qlora', totalGb: 7 },
];

describe('the default preset chosen from GPU memory', () => {
  it('keeps Balanced with LoRA when it fits comfortably', () => {
    const choice = choosePreset(CANDIDATES, mb(80));
    expect(choice).toMatchObject({ preset: 'balanced', method: 'lora', verdict: 'fits' });
    expect(choice.reason).toMatch(/^Balanced with LoRA: fits in 74\.5 GiB free, needs 18\.6 GiB\.$/);
  });

  it('moves to QLoRA before a smaller preset, and says what LoRA would need', () => {
    const choice = choosePreset(CANDIDATES, mb(12));
    expect(choice).toMatchObject({ preset: 'balanced', method: 'qlora', verdict: 'fits' });
    expect(choice.reason).toContain('Balanced with QLoRA: fits in 11.2 GiB free');
    expect(choice.reason).toContain('Balanced with LoRA needs 18.6 GiB');
  });

  it('takes Fast with QLoRA when only it fits, and a tight fit when nothing fits comfortably', () => {
    expect(choosePreset(CANDIDATES, mb(8.5))).toMatchObject({
      preset: 'fast',
      method: 'qlora',
      verdict: 'fits',
    });
    // A comfortable smaller run beats a tight larger one (a tight run can run out on a long batch).
    expect(choosePreset(CANDIDATES, mb(9.5))).toMatchObject({
      preset: 'fast',
      method: 'qlora',
      verdict: 'fits',
    });
    const tight = choosePreset(CANDIDATES, mb(7.5));
    expect(tight).toMatchObject({ preset: 'fast', method: 'qlora', verdict: 'tight' });
    expect(tight.reason).toMatch(/tight, needs 6\.5 GiB of 7\.0 GiB free/);
  });

  it('says plainly when nothing fits, and when there is no GPU to size against', () => {
    const none = choosePreset(CANDIDATES, mb(4));
    expect(none).toMatchObject({ preset: 'fast', method: 'qlora', verdict: 'none' });
    expect(none.reason).toMatch(/^Nothing fits in 3\.7 GiB free: even Fast with QLoRA needs 6\.5 GiB\./);
    const noGpu = choosePreset(CANDIDATES, null);
    expect(noGpu).toMatchObject({ preset: 'balanced', method: 'lora', verdict: 'no-gpu' });
    expect(noGpu.reason).toContain('no GPU to size it against');
  });

  describe("with the app's own estimator on Llama-3-8B's config", () => {
    const dir = mkdtempSync(join(tmpdir(), 'preset-choice-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFakeModel(dir, { config: { ...LLAMA_3_8B_CONFIG }, shards: 0 });

    it('estimates every candidate, QLoRA below LoRA, and picks QLoRA for a 24 GB card', async () => {
      const big = await presetChoiceForModel(dir, mb(80));
      expect(big.candidates.map((c) => `${c.preset}/${c.method}`)).toEqual(
        PRESET_CANDIDATES.map((c) => `${c.preset}/${c.method}`),
      );
      const [balancedLora, balancedQlora] = big.candidates;
      expect(balancedQlora!.totalGb).toBeLessThan(balancedLora!.totalGb);
      expect(big).toMatchObject({ preset: 'balanced', method: 'lora', verdict: 'fits' });
      expect(big.presetSettings.balanced).toEqual({
        max_seq_len: 2048,
        per_device_batch_size: 2,
        lora_r: 16,
        gradient_checkpointing: true,
      });
      const card = await presetChoiceForModel(dir, 24_000);
      expect(card).toMatchObject({ preset: 'balanced', method: 'qlora', verdict: 'fits' });
      expect(card.reason).toMatch(/^Balanced with QLoRA: fits in 23\.4 GiB free/);
    });

    it('refuses a folder that is not a model, with the estimator error', async () => {
      await expect(presetChoiceForModel(join(dir, 'missing'), null)).rejects.toThrow();
    });
  });
});
