/**
 * Which devices a job trains on, decided once at preflight from a fresh look at the GPUs and
 * recorded on the job. The user's choice wins (GPUs by index, or the CPU); without one, the idle
 * GPU with the most free memory — idle meaning no job of ours is queued or running on it and it is
 * barely in use. With no idle GPU the job waits in our own queue behind a job of ours rather than
 * share a GPU another program is busy on. The CPU only when the user chose it or there is no GPU.
 */
import type { DevicePlan, JobRequest } from '../../preload/contract';
import type { GpuFacts } from './preflight-checks';

/** Above this utilisation a GPU counts as in use by another program. */
export const BUSY_UTILIZATION_PCT = 10;

/** The CPU plan's sentence, the same wherever it is shown. */
export function cpuNote(why: 'chosen' | 'no-gpu'): string {
  return why === 'chosen' ? 'training on CPU (chosen)' : 'training on CPU (no NVIDIA GPU found)';
}

/** What the request asks for: GPU indices, `[]` for the CPU, undefined for "choose for me". */
export function requestedDevices(
  req: Pick<JobRequest, 'device' | 'gpuIndices'>,
): ReadonlyArray<number> | undefined {
  if (req.device === 'cpu') return [];
  return req.gpuIndices;
}

function freeMb(g: GpuFacts): number | null {
  return g.totalMb === null ? null : g.totalMb - (g.usedMb ?? 0);
}

function isBusy(g: GpuFacts): boolean {
  return g.utilizationPct !== null && g.utilizationPct > BUSY_UTILIZATION_PCT;
}

function gb(mb: number): string {
  return `${((mb * 1024 * 1024) / 1e9).toFixed(1)} GB`;
}

/**
 * Rank GPUs for a job that names none: idle ones first; then GPUs our jobs hold (the queue runs one
 * job per GPU, so the job waits its turn) before GPUs another program is busy on; then the most
 * free memory; then the lowest index.
 */
export function rankGpus(gpus: ReadonlyArray<GpuFacts>, ours: ReadonlySet<number>): GpuFacts[] {
  const key = (g: GpuFacts): number[] => [
    ours.has(g.index) || isBusy(g) ? 1 : 0,
    ours.has(g.index) ? 0 : 1,
    -(freeMb(g) ?? 0),
    g.index,
  ];
  return [...gpus].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** Decide a job's devices (pure). `ours`: GPUs that our queued or running jobs hold. */
export function chooseDevices(
  requested: ReadonlyArray<number> | undefined,
  gpus: ReadonlyArray<GpuFacts>,
  ours: ReadonlySet<number>,
): DevicePlan {
  if (requested !== undefined && requested.length === 0) {
    return { gpuIndices: [], chosenBy: 'user', cpu: 'chosen', note: cpuNote('chosen') };
  }
  if (requested !== undefined) {
    const names = requested.map((i) => `GPU ${i}`).join(', ');
    return { gpuIndices: [...requested], chosenBy: 'user', cpu: null, note: `training on ${names} (chosen)` };
  }
  const best = rankGpus(gpus, ours)[0];
  if (!best) return { gpuIndices: [], chosenBy: 'auto', cpu: 'no-gpu', note: cpuNote('no-gpu') };
  const free = freeMb(best);
  const facts = [
    ours.has(best.index)
      ? 'no idle GPU; queued behind our job on it'
      : isBusy(best)
        ? 'no idle GPU; in use by another program, with the most free memory'
        : 'idle',
    best.utilizationPct !== null ? `${best.utilizationPct}% in use` : null,
    free !== null && best.usedMb !== null ? `${gb(free)} free` : null,
  ].filter((f): f is string => f !== null);
  return {
    gpuIndices: [best.index],
    chosenBy: 'auto',
    cpu: null,
    note: `training on GPU ${best.index} (${best.name}): ${facts.join(', ')}`,
  };
}
