import { describe, expect, it } from 'vitest';
import { chooseDevices } from '../../../main/training/gpu-choice';
import {
  configCheck,
  diskCheck,
  diskNeedBytes,
  fmtDuration,
  type GpuFacts,
  gpuFacts,
  gpusCheck,
  totalSteps,
  vramCheck,
} from '../../../main/training/preflight-checks';
import { TRAINER_DEFAULTS } from '../../../main/training/presets';
import { parseTrainerDoctor, type TrainerDoctorRun } from '../../../main/training/trainer-doctor';
import type { TrainerConfig, VramEstimate } from '../../../preload/contract';

const config = (patch: Partial<TrainerConfig> = {}): TrainerConfig => ({
  ...TRAINER_DEFAULTS,
  base_model: '/m',
  ...patch,
});
const doctorJson = { ok: true, python: '3.12', bitsandbytes: null, flash_attn: null, bf16: true, gpus: [] };
const withDoctor = (patch: object = {}): TrainerDoctorRun => ({
  doctor: parseTrainerDoctor(JSON.stringify({ ...doctorJson, ...patch }))!,
  problem: null,
});
const h100: GpuFacts = { index: 0, name: 'H100', totalMb: 81559, usedMb: 0, utilizationPct: 0 };
const estimate = (totalGb: number): VramEstimate => ({
  totalGb,
  parts: { weightsGb: 1, loraGb: 1, activationsGb: 1, logitsGb: 1, overheadGb: 1 },
  loraParams: 1,
  assumptions: [],
});

describe('trainer doctor JSON', () => {
  it('fills missing optional fields with null / false / [] and rejects a report without ok', () => {
    expect(parseTrainerDoctor('{"ok": false}')).toMatchObject({
      ok: false,
      torch: null,
      bf16: false,
      gpus: [],
    });
    expect(parseTrainerDoctor('{"python": "3.12"}')).toBeNull();
    expect(parseTrainerDoctor('')).toBeNull();
  });
});

describe('GPU choice', () => {
  it('says on the gpus check why the job trains where it does', () => {
    const run = withDoctor({ gpus: [{ index: 0, name: 'H100', memory_total_mb: 81559 }] });
    const cpu = (plan: ReturnType<typeof chooseDevices>) => gpusCheck([], [], run, 'linux', plan).detail;
    expect(cpu(chooseDevices(undefined, [], new Set()))).toBe(
      'Training on CPU (no NVIDIA GPU found): only for tiny models and tests.',
    );
    expect(cpu(chooseDevices([], [h100], new Set()))).toBe(
      'Training on CPU (chosen): only for tiny models and tests.',
    );
    const auto = chooseDevices(undefined, [h100], new Set());
    expect(gpusCheck([0], [h100], run, 'linux', auto)).toMatchObject({
      verdict: 'pass',
      detail: 'Training on GPU 0 (H100): idle, 0% in use, 85.5 GB free.',
    });
  });

  it("prefers nvidia-smi facts (with memory use) over the doctor's", () => {
    const run = withDoctor({ gpus: [{ index: 0, name: 'from torch', memory_total_mb: 1000 }] });
    expect(gpuFacts(null, run)).toEqual([
      { index: 0, name: 'from torch', totalMb: 1000, usedMb: null, utilizationPct: null },
    ]);
  });

  it('refuses a GPU chosen twice and several GPUs on Windows', () => {
    const two = [h100, { ...h100, index: 1 }];
    const run = withDoctor({ gpus: [{ index: 0, name: 'a', memory_total_mb: 1 }] });
    expect(gpusCheck([0, 0], two, run, 'linux')).toMatchObject({ verdict: 'fail', detail: /chosen once/ });
    expect(gpusCheck([0, 1], two, run, 'win32')).toMatchObject({ verdict: 'fail', detail: /NCCL/ });
    expect(gpusCheck([0, 1], two, run, 'linux')).toMatchObject({ verdict: 'pass', detail: /DDP/ });
  });
});

describe('vram verdicts', () => {
  it('compares GB (1e9 bytes) with nvidia-smi MiB: 24,564 MiB is 25.76 GB', () => {
    const card = { ...h100, totalMb: 24564, usedMb: 0 };
    expect(vramCheck(estimate(25.7), [0], [card], '').verdict).toBe('warn');
    expect(vramCheck(estimate(25.8), [0], [card], '').verdict).toBe('fail');
    expect(vramCheck(estimate(23), [0], [card], '').verdict).toBe('pass');
  });

  it('checks the fullest of several GPUs', () => {
    const busy = { ...h100, index: 1, usedMb: 70000 };
    expect(vramCheck(estimate(20), [0, 1], [h100, busy], '')).toMatchObject({
      verdict: 'fail',
      detail: /GPU 1 has/,
    });
  });

  it('says when only the total memory is known', () => {
    expect(vramCheck(estimate(20), [0], [{ ...h100, usedMb: null }], '').detail).toMatch(
      /current use unknown/,
    );
  });
});

describe('config verdicts against the environment', () => {
  it('refuses FlashAttention 2 without flash-attn, bf16 on GPUs without it, and QLoRA or fp16 on CPU', () => {
    const gpuRun = withDoctor({ bf16: false, gpus: [{ index: 0, name: 'T4', memory_total_mb: 15360 }] });
    const fa = configCheck(config({ attn_implementation: 'flash_attention_2' }), null, gpuRun, [0], null);
    expect(fa).toMatchObject({ verdict: 'fail', detail: /flash-attn is not installed/ });
    expect(configCheck(config({ precision: 'bf16' }), null, gpuRun, [0], null).detail).toMatch(/bf16/);
    const bnb = withDoctor({ bitsandbytes: '0.48.0' });
    expect(configCheck(config({ method: 'qlora' }), null, bnb, [], null).detail).toMatch(
      /QLoRA needs a CUDA GPU/,
    );
    expect(configCheck(config({ precision: 'fp16' }), null, bnb, [], null).detail).toMatch(
      /fp16 needs a CUDA/,
    );
  });

  it('warns about packing without flash-attn and about dropout', () => {
    const c = configCheck(config({ packing: true, lora_dropout: 0.05 }), null, withDoctor(), [0], null);
    expect(c).toMatchObject({ verdict: 'warn', detail: /rows are padded instead.*lora_dropout/ });
  });

  it('cannot judge bitsandbytes without a doctor report, so it does not fail on it', () => {
    const c = configCheck(config({ method: 'qlora' }), null, { doctor: null, problem: 'x' }, [0], null);
    expect(c.verdict).toBe('pass');
  });
});

describe('steps, disk and duration', () => {
  it('counts optimizer steps from rows, effective batch, GPUs and epochs, or takes max_steps', () => {
    const c = config({ per_device_batch_size: 2, grad_accum: 8, epochs: 2 });
    expect(totalSteps(c, 1000, 1)).toBe(2 * Math.ceil(1000 / 16));
    expect(totalSteps(c, 1000, 2)).toBe(2 * Math.ceil(1000 / 32));
    expect(totalSteps(config({ max_steps: 7 }), 1000, 1)).toBe(7);
  });

  it('needs (kept + 1) checkpoints of 12 bytes per LoRA parameter, the adapter, the data and 1 GB', () => {
    const c = config({ save_steps: 100, save_total_limit: 3 });
    const lora = 41_943_040;
    expect(diskNeedBytes(lora, c, 1000, 5e6)).toBe(5e6 + 4 * lora * 12 + lora * 4 + 1e9);
    // fewer saves than the limit: only those
    expect(diskNeedBytes(lora, c, 150, 0)).toBe(lora * 12 + lora * 4 + 1e9);
    // no limit: every save is kept
    expect(diskNeedBytes(lora, config({ save_total_limit: null }), 1000, 0)).toBe(
      10 * lora * 12 + lora * 4 + 1e9,
    );
  });

  it('warns when the run would take most of the free space, and says when free space is unknown', () => {
    expect(diskCheck(9e9, 10, '/d').verdict).toBe('warn');
    expect(diskCheck(1e9, 10, '/d').verdict).toBe('pass');
    expect(diskCheck(1e9, null, '/d')).toMatchObject({ verdict: 'warn', detail: /unknown/ });
  });

  it('formats durations in words', () => {
    expect(fmtDuration(20)).toBe('under a minute');
    expect(fmtDuration(14 * 60)).toBe('14 min');
    expect(fmtDuration(2 * 3600 + 600)).toBe('2 h 10 min');
    expect(fmtDuration(3 * 3600)).toBe('3 h');
  });
});
