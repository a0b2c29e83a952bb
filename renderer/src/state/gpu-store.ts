import { create } from 'zustand';
import type { ApiError, GpuSample, GpuStatus } from '../../../preload/contract';

/** How much GPU history the renderer keeps for the dashboard's sparklines. */
export const GPU_HISTORY_MS = 10 * 60 * 1000;

/** One GPU's recent readings, oldest first (a reading nvidia-smi reports as N/A is null). */
export interface GpuHistory {
  readonly ts: ReadonlyArray<number>;
  readonly samples: ReadonlyArray<GpuSample>;
}

/** The latest GPU status, from `telemetry.gpu` and then its pushed events, and the last 10 minutes. */
export interface GpuState {
  readonly status: Readonly<GpuStatus> | null;
  readonly error: ApiError | null;
  /** By GPU index. */
  readonly history: Readonly<Record<number, GpuHistory>>;
}

/** Live GPU telemetry for the status bar and the GPU dashboard. */
export const useGpuStore = create<GpuState>()(() => ({ status: null, error: null, history: {} }));

/** Apply a status (answer or event): it becomes the current one and its sample joins the history. */
export function recordGpuStatus(status: Readonly<GpuStatus>): void {
  useGpuStore.setState((state) => {
    const at = status.sampledAt;
    if (status.state !== 'ok' || at === null) return { status, error: null };
    const history: Record<number, GpuHistory> = {};
    const since = at - GPU_HISTORY_MS;
    for (const gpu of status.gpus) {
      const before = state.history[gpu.index] ?? { ts: [], samples: [] };
      if (before.ts.at(-1) === at) {
        history[gpu.index] = before;
        continue;
      }
      let from = 0;
      while (from < before.ts.length && before.ts[from]! < since) from++;
      history[gpu.index] = {
        ts: [...before.ts.slice(from), at],
        samples: [...before.samples.slice(from), gpu],
      };
    }
    return { status, error: null, history };
  });
}
