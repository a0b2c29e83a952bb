import { create } from 'zustand';
import type { ApiError, DoctorReport } from '../../../preload/contract';
import { toApiError } from '../api/api-call-error';
import type { ApiClient } from '../api/api-client';

/** The last `doctor.run` report, kept while the app runs so the Settings page need not re-run it. */
export interface DoctorState {
  readonly report: Readonly<DoctorReport> | null;
  readonly running: boolean;
  readonly error: ApiError | null;
  readonly ranAt: number | null;
}

/** The doctor's findings about this machine. */
export const useDoctorStore = create<DoctorState>()(() => ({
  report: null,
  running: false,
  error: null,
  ranAt: null,
}));

/** Runs the doctor (unless a run is already going) and stores its report or error. */
export async function runDoctor(client: ApiClient): Promise<void> {
  if (useDoctorStore.getState().running) return;
  useDoctorStore.setState({ running: true, error: null });
  try {
    const report = await client.call('doctor.run', {});
    useDoctorStore.setState({ report, running: false, error: null, ranAt: Date.now() });
  } catch (error) {
    useDoctorStore.setState({ running: false, error: toApiError(error) });
  }
}
