import { describe, expect, it } from 'vitest';
import { SampleAssembler } from '../../../main/telemetry/sample-assembler';
import type { GpuSample } from '../../../preload/contract';

const gpu = (index: number, utilizationPct = 0): GpuSample => ({
  index,
  name: 'NVIDIA H100 80GB HBM3',
  uuid: `GPU-${index}`,
  utilizationPct,
  memoryUsedMb: 1,
  memoryTotalMb: 81559,
  temperatureC: 30,
  powerDrawW: 70,
  powerLimitW: 700,
  smClockMhz: 345,
  memClockMhz: 1593,
  fanPct: null,
});

describe('sample assembler', () => {
  it('closes a tick when the GPU index starts over', () => {
    const a = new SampleAssembler();
    expect(a.push(gpu(0, 1))).toBeNull();
    expect(a.push(gpu(1, 1))).toBeNull();
    expect(a.push(gpu(0, 2))?.map((g) => [g.index, g.utilizationPct])).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(a.hasPending).toBe(true);
    expect(a.flush()?.map((g) => g.utilizationPct)).toEqual([2]);
    expect(a.hasPending).toBe(false);
  });

  it('treats each line of a single-GPU machine as a whole tick', () => {
    const a = new SampleAssembler();
    expect(a.push(gpu(0, 1))).toBeNull();
    expect(a.push(gpu(0, 2))).toHaveLength(1);
    expect(a.push(gpu(0, 3))?.[0]?.utilizationPct).toBe(2);
  });

  it('closes a tick on a repeated or lower index even when GPUs are not numbered from 0', () => {
    const a = new SampleAssembler();
    a.push(gpu(2));
    a.push(gpu(3));
    expect(a.push(gpu(3))?.map((g) => g.index)).toEqual([2, 3]);
  });

  it('flushes nothing when nothing is pending', () => {
    expect(new SampleAssembler().flush()).toBeNull();
  });
});
