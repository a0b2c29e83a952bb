import type { GpuStatus } from '../../../../../preload/contract';
import { formatGbFromMb } from '../../../format/format';
import styles from './new-job.module.css';
import { freeMbOf } from './vram';

/** Checkboxes for the GPUs nvidia-smi reports (several → one distributed run), or the CPU for tiny tests. */
export function GpuPicker({
  status,
  selected,
  cpu,
  autoChoice,
  onChange,
}: {
  status: Readonly<GpuStatus> | null;
  selected: ReadonlyArray<number>;
  cpu: boolean;
  /** Where preflight would put the job when no GPU is ticked (its sentence), once it has run. */
  autoChoice: string | null;
  onChange: (choice: { readonly gpuIndices: ReadonlyArray<number>; readonly cpu: boolean }) => void;
}) {
  const gpus = status?.gpus ?? [];
  const toggle = (index: number, on: boolean) =>
    onChange({
      gpuIndices: on ? [...selected, index].sort((a, b) => a - b) : selected.filter((i) => i !== index),
      cpu: false,
    });
  return (
    <>
      {status === null || status.state === 'starting' ? (
        <p className={styles.help}>Reading GPUs…</p>
      ) : gpus.length === 0 ? (
        <p className={styles.help} data-testid="gpu-picker-none" title={status.message ?? undefined}>
          No NVIDIA GPU found: the job trains on the CPU (the status bar below says why).
        </p>
      ) : (
        <ul className={styles.gpuList} aria-label="GPUs for this job">
          {gpus.map((gpu) => (
            <li key={gpu.index}>
              <label className={styles.gpuOption}>
                <input
                  type="checkbox"
                  checked={!cpu && selected.includes(gpu.index)}
                  disabled={cpu}
                  onChange={(event) => toggle(gpu.index, event.target.checked)}
                  data-testid={`gpu-option-${gpu.index}`}
                />
                <strong>GPU{gpu.index}</strong> {gpu.name}
                <span className={styles.muted}>
                  — {formatGbFromMb(freeMbOf(gpu))} free of {formatGbFromMb(gpu.memoryTotalMb)}
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <label className={styles.gpuOption}>
        <input
          type="checkbox"
          checked={cpu}
          onChange={(event) =>
            onChange({ gpuIndices: event.target.checked ? [] : selected, cpu: event.target.checked })
          }
          data-testid="gpu-option-cpu"
        />
        <span>
          CPU only{' '}
          <span className={styles.muted}>— for tiny models and tests; far too slow for real training</span>
        </span>
      </label>
      <p className={styles.help} data-testid="gpu-picker-mode">
        {cpu
          ? 'Runs on the CPU.'
          : selected.length === 0
            ? gpus.length === 0
              ? 'No GPU: the job trains on the CPU.'
              : autoChoice !== null
                ? `None chosen: ${autoChoice}.`
                : 'None chosen: the idle GPU with the most free memory is taken when the job is queued.'
            : selected.length === 1
              ? 'One GPU.'
              : `${selected.length} GPUs: one distributed run (torch.distributed.run); the effective batch grows ×${selected.length}.`}
      </p>
    </>
  );
}
