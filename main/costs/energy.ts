/**
 * Energy from stored GPU power samples: per GPU, the trapezoid rule between consecutive samples;
 * an interval longer than `maxGapMs` (telemetry stopped, the app was down) or with a missing
 * reading is not bridged, so a gap never counts as power drawn.
 */

/** The part of a stored sample the integration reads. */
export interface PowerSample {
  readonly gpuIndex: number;
  /** Wall-clock ms. */
  readonly ts: number;
  readonly powerDrawW: number | null;
}

export interface EnergyIntegral {
  readonly energyWh: number;
  /** Time covered by bridged intervals, summed over GPUs, in hours. */
  readonly gpuHours: number;
  readonly perGpu: ReadonlyArray<{
    readonly gpuIndex: number;
    readonly energyWh: number;
    readonly hours: number;
  }>;
}

/** Default: nvidia-smi samples about once a second; a few missed ticks are still bridged. */
export const DEFAULT_MAX_GAP_MS = 5_000;

const MS_PER_HOUR = 3_600_000;

/** Integrate power over time for each GPU (samples in any order). */
export function integrateEnergy(
  samples: ReadonlyArray<PowerSample>,
  maxGapMs: number = DEFAULT_MAX_GAP_MS,
): EnergyIntegral {
  const byGpu = new Map<number, PowerSample[]>();
  for (const s of samples) {
    const list = byGpu.get(s.gpuIndex) ?? [];
    list.push(s);
    byGpu.set(s.gpuIndex, list);
  }
  const perGpu: Array<{ gpuIndex: number; energyWh: number; hours: number }> = [];
  for (const [gpuIndex, list] of [...byGpu.entries()].sort((a, b) => a[0] - b[0])) {
    list.sort((a, b) => a.ts - b.ts);
    let wattMs = 0;
    let ms = 0;
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1] as PowerSample;
      const b = list[i] as PowerSample;
      const dt = b.ts - a.ts;
      if (dt <= 0 || dt > maxGapMs || a.powerDrawW === null || b.powerDrawW === null) continue;
      wattMs += ((a.powerDrawW + b.powerDrawW) / 2) * dt;
      ms += dt;
    }
    perGpu.push({ gpuIndex, energyWh: wattMs / MS_PER_HOUR, hours: ms / MS_PER_HOUR });
  }
  return {
    energyWh: perGpu.reduce((sum, g) => sum + g.energyWh, 0),
    gpuHours: perGpu.reduce((sum, g) => sum + g.hours, 0),
    perGpu,
  };
}
