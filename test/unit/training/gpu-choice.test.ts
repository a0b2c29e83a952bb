import { describe, expect, it } from 'vitest';
import { chooseDevices, rankGpus, requestedDevices } from '../../../main/training/gpu-choice';
import type { GpuFacts } from '../../../main/training/preflight-checks';

const gpu = (
  index: number,
  utilizationPct: number | null,
  usedMb: number | null,
  totalMb = 81559,
): GpuFacts => ({
  index,
  name: 'H100',
  totalMb,
  usedMb,
  utilizationPct,
});
const none = new Set<number>();

describe('GPU choice for a job', () => {
  it('reads the request: GPU indices, the CPU by `device` or by `[]`, or nothing', () => {
    expect(requestedDevices({})).toBeUndefined();
    expect(requestedDevices({ device: 'cpu' })).toEqual([]);
    expect(requestedDevices({ gpuIndices: [] })).toEqual([]);
    expect(requestedDevices({ gpuIndices: [1, 2] })).toEqual([1, 2]);
  });

  it('picks an idle GPU over a busy one even when the busy one is listed first', () => {
    const plan = chooseDevices(undefined, [gpu(0, 95, 61_234), gpu(1, 0, 1)], none);
    expect(plan).toMatchObject({ gpuIndices: [1], chosenBy: 'auto', cpu: null });
    expect(plan.note).toBe('training on GPU 1 (H100): idle, 0% in use, 85.5 GB free');
  });

  it('prefers the idle GPU with the most free memory, then the lowest index', () => {
    expect(
      rankGpus([gpu(0, 0, 40_000), gpu(1, 0, 1_000), gpu(2, 0, 1_000)], none).map((g) => g.index),
    ).toEqual([1, 2, 0]);
  });

  it('avoids GPUs our own jobs hold when there is an idle one, even when they look idle', () => {
    const plan = chooseDevices(undefined, [gpu(0, 0, 1), gpu(1, 0, 30_000)], new Set([0]));
    expect(plan.gpuIndices).toEqual([1]);
  });

  it('queues behind a job of ours rather than share a GPU another program is busy on', () => {
    const plan = chooseDevices(undefined, [gpu(0, 95, 20_000), gpu(1, 0, 1)], new Set([1]));
    expect(plan.gpuIndices).toEqual([1]);
    expect(plan.note).toContain('queued behind our job on it');
  });

  it('takes the GPU with the most free memory when none is idle, and says so', () => {
    const plan = chooseDevices(undefined, [gpu(0, 90, 70_000), gpu(1, 80, 10_000)], none);
    expect(plan.gpuIndices).toEqual([1]);
    expect(plan.note).toContain('no idle GPU');
  });

  it('trains on the CPU only when chosen or when there is no GPU, and says which', () => {
    expect(chooseDevices([], [gpu(0, 0, 1)], none)).toEqual({
      gpuIndices: [],
      chosenBy: 'user',
      cpu: 'chosen',
      note: 'training on CPU (chosen)',
    });
    expect(chooseDevices(undefined, [], none)).toEqual({
      gpuIndices: [],
      chosenBy: 'auto',
      cpu: 'no-gpu',
      note: 'training on CPU (no NVIDIA GPU found)',
    });
  });

  it('keeps the GPUs the user named', () => {
    expect(chooseDevices([0, 1], [gpu(0, 99, 80_000), gpu(1, 0, 1)], new Set([0]))).toMatchObject({
      gpuIndices: [0, 1],
      chosenBy: 'user',
      note: 'training on GPU 0, GPU 1 (chosen)',
    });
  });
});
