import type { DoctorReport, GpuStatus, SystemSnapshot } from '../../preload/contract';
import type { Handlers } from './api-router';

/** The machine channels: the live GPU status, a system snapshot and `doctor`. */
export function createTelemetryHandlers(deps: {
  readonly gpuStatus: () => GpuStatus;
  readonly systemSnapshot: () => Promise<SystemSnapshot>;
  readonly doctor: () => Promise<DoctorReport>;
}): Pick<Handlers, 'telemetry.gpu' | 'telemetry.system' | 'doctor.run'> {
  return {
    'telemetry.gpu': () => deps.gpuStatus(),
    'telemetry.system': () => deps.systemSnapshot(),
    'doctor.run': () => deps.doctor(),
  };
}
