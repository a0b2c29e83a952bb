import type { GpuStatus } from '../../../../../preload/contract';
import { formatGb } from '../../../format/format';
import styles from './new-job.module.css';
import { freeGbOf, totalGbOf } from './vram';

/** Checkboxes for the GPUs nvidia-smi reports; several chosen → one distributed run. */
export function GpuPicker({
  status,
  selected,
  onChange,
}: {
  status: Readonly<GpuStatus> | null;
  selected: ReadonlyArray<number>;
  onChange: (indices: ReadonlyArray<number>) => void;
}) {
  if (status === null || status.state === 'starting') return <p className={styles.help}>Reading GPUs…</p>;
  if (status.gpus.length === 0)
    return (
      <p className={styles.help} data-testid="gpu-picker-none">
        No NVIDIA GPU found{status.message === null ? '' : ` (${status.message})`}. The job can still be
        queued; it starts when a GPU is available.
      </p>
    );
  const toggle = (index: number, on: boolean) =>
    onChange(on ? [...selected, index].sort((a, b) => a - b) : selected.filter((i) => i !== index));
  return (
    <>
      <ul className={styles.gpuList} aria-label="GPUs for this job">
        {status.gpus.map((gpu) => (
          <li key={gpu.index}>
            <label className={styles.gpuOption}>
              <input
                type="checkbox"
                checked={selected.includes(gpu.index)}
                onChange={(event) => toggle(gpu.index, event.target.checked)}
                data-testid={`gpu-option-${gpu.index}`}
              />
              <strong>GPU{gpu.index}</strong> {gpu.name}
              <span className={styles.muted}>
                — {formatGb(freeGbOf(gpu))} free of {formatGb(totalGbOf(gpu))}
              </span>
            </label>
          </li>
        ))}
      </ul>
      <p className={styles.help} data-testid="gpu-picker-mode">
        {selected.length === 0
          ? 'None chosen: the job uses GPU 0.'
          : selected.length === 1
            ? 'One GPU.'
            : `${selected.length} GPUs: one distributed run (torch.distributed.run); the effective batch grows ×${selected.length}.`}
      </p>
    </>
  );
}
