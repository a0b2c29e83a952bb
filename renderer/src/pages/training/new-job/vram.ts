import type { GpuSample } from '../../../../../preload/contract';

/** nvidia-smi reports MiB; the estimate is in GB (10⁹ bytes), so GPU memory is converted to GB too. */
const MIB_TO_GB = (1024 * 1024) / 1e9;

/** A GPU's free memory in GB (10⁹ bytes), or null when the driver does not say. */
export function freeGbOf(gpu: Readonly<GpuSample>): number | null {
  if (gpu.memoryTotalMb === null) return null;
  return Math.max(0, gpu.memoryTotalMb - (gpu.memoryUsedMb ?? 0)) * MIB_TO_GB;
}

/** A GPU's total memory in GB (10⁹ bytes). */
export function totalGbOf(gpu: Readonly<GpuSample>): number | null {
  return gpu.memoryTotalMb === null ? null : gpu.memoryTotalMb * MIB_TO_GB;
}

/** What a run needs per GPU must fit the chosen GPU with the least free memory. */
export function minFreeGb(gpus: ReadonlyArray<GpuSample>, indices: ReadonlyArray<number>): number | null {
  const chosen = gpus.filter((gpu) => (indices.length === 0 ? gpu.index === 0 : indices.includes(gpu.index)));
  const free = chosen.map(freeGbOf).filter((value): value is number => value !== null);
  return free.length === 0 ? null : Math.min(...free);
}
