import type { GpuSample } from '../../../../../preload/contract';

/**
 * The estimate comes in GB of 10⁹ bytes (contract), nvidia-smi in MiB. The app shows GPU memory
 * the way nvidia-smi and the status bar do (MiB → GiB of 2³⁰ bytes, `formatGbFromMb`), so the
 * estimate is converted to MiB and everything here is compared in MiB.
 */
export function estimateGbToMb(gb: number): number {
  return (gb * 1e9) / (1024 * 1024);
}

/** A GPU's free memory in MiB, or null when the driver does not say. */
export function freeMbOf(gpu: Readonly<GpuSample>): number | null {
  if (gpu.memoryTotalMb === null) return null;
  return Math.max(0, gpu.memoryTotalMb - (gpu.memoryUsedMb ?? 0));
}

/**
 * What a run needs per GPU must fit the chosen GPU with the least free memory. None chosen: preflight
 * takes the idle GPU with the most free memory, so the most free memory of any GPU is what counts.
 */
export function minFreeMb(gpus: ReadonlyArray<GpuSample>, indices: ReadonlyArray<number>): number | null {
  const chosen = indices.length === 0 ? gpus : gpus.filter((gpu) => indices.includes(gpu.index));
  const free = chosen.map(freeMbOf).filter((value): value is number => value !== null);
  if (free.length === 0) return null;
  return indices.length === 0 ? Math.max(...free) : Math.min(...free);
}
