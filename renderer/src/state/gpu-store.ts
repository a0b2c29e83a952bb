import { create } from 'zustand';
import type { ApiError, GpuStatus } from '../../../preload/contract';

/** The latest GPU status, from `telemetry.gpu` and then its pushed events. */
export interface GpuState {
  readonly status: Readonly<GpuStatus> | null;
  readonly error: ApiError | null;
}

/** Live GPU telemetry for the status bar. */
export const useGpuStore = create<GpuState>()(() => ({ status: null, error: null }));
