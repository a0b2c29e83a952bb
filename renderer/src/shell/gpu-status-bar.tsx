import { Cpu, Gauge, LoaderCircle, MemoryStick, Thermometer, TriangleAlert, Zap } from 'lucide-react';
import type { GpuSample } from '../../../preload/contract';
import { formatMemoryMb, formatPct, formatTempC, formatWatts } from '../format/format';
import { useAppInfoStore } from '../state/app-info-store';
import { useGpuStore } from '../state/gpu-store';
import styles from './gpu-status-bar.module.css';

/** Shown when there is no NVIDIA GPU: what still works and what does not. */
export const NO_GPU_EXPLANATION = 'Dataset work is available; training needs an NVIDIA GPU.';

/** The bottom bar: live per-GPU telemetry, or why there is none; the app version on the right. */
export function GpuStatusBar() {
  const { status, error } = useGpuStore();
  const info = useAppInfoStore((state) => state.info);
  const state = status?.state ?? (error !== null ? 'error' : 'starting');

  return (
    <section className={styles.bar} data-testid="gpu-status" data-state={state} aria-label="GPU status">
      <div className={styles.gpus}>
        {state === 'ok' &&
          status !== null &&
          (status.gpus.length === 0 ? (
            <span className={styles.muted}>No GPUs reported.</span>
          ) : (
            status.gpus.map((gpu) => <GpuItem key={gpu.uuid || gpu.index} gpu={gpu} />)
          ))}
        {state === 'starting' && (
          <span className={styles.muted} data-testid="gpu-starting">
            <LoaderCircle className={styles.spin} size={13} aria-hidden="true" />
            Reading GPUs…
          </span>
        )}
        {(state === 'no-nvidia-smi' || state === 'no-gpu') && (
          <span
            className={styles.none}
            data-testid="gpu-none"
            title={status?.message ? `${NO_GPU_EXPLANATION}\n${status.message}` : NO_GPU_EXPLANATION}
          >
            <Cpu size={13} aria-hidden="true" />
            <strong>No NVIDIA GPU</strong>
            <span className={styles.explain}>— {NO_GPU_EXPLANATION}</span>
            {status?.message && (
              <span className={styles.detail} data-testid="gpu-none-detail">
                {status.message}
              </span>
            )}
          </span>
        )}
        {state === 'error' && (
          <span className={styles.error} data-testid="gpu-error">
            <TriangleAlert size={13} aria-hidden="true" />
            GPU telemetry failed: {status?.message ?? error?.message ?? 'unknown error'}
          </span>
        )}
      </div>
      {info !== null && (
        <span className={styles.meta} data-testid="app-version">
          {info.shell === 'electron' ? 'desktop' : info.shell} · v{info.version}
        </span>
      )}
    </section>
  );
}

function GpuItem({ gpu }: { gpu: GpuSample }) {
  return (
    <span className={styles.gpu} data-testid="gpu-item" data-index={gpu.index}>
      <span className={styles.gpuName}>
        <span className={styles.index}>GPU{gpu.index}</span> {gpu.name}
      </span>
      <span className={styles.metric} title="Utilisation">
        <Gauge size={12} aria-hidden="true" />
        <span className="visually-hidden">utilisation </span>
        {formatPct(gpu.utilizationPct)}
      </span>
      <span className={styles.metric} title="Memory used / total">
        <MemoryStick size={12} aria-hidden="true" />
        <span className="visually-hidden">memory </span>
        {formatMemoryMb(gpu.memoryUsedMb, gpu.memoryTotalMb)}
      </span>
      <span className={styles.metric} title="Temperature">
        <Thermometer size={12} aria-hidden="true" />
        <span className="visually-hidden">temperature </span>
        {formatTempC(gpu.temperatureC)}
      </span>
      <span
        className={styles.metric}
        title={gpu.powerLimitW === null ? 'Power draw' : `Power draw (limit ${formatWatts(gpu.powerLimitW)})`}
      >
        <Zap size={12} aria-hidden="true" />
        <span className="visually-hidden">power </span>
        {formatWatts(gpu.powerDrawW)}
      </span>
    </span>
  );
}
