import { CircleCheck, CircleX, LoaderCircle, TriangleAlert } from 'lucide-react';
import type { VramEstimate } from '../../../../../preload/contract';
import { formatCompactCount, formatGbFromMb } from '../../../format/format';
import type { DebouncedCall } from '../use-debounced-call';
import styles from './new-job.module.css';
import { estimateGbToMb } from './vram';

const PARTS = [
  { key: 'weightsGb', label: 'Weights', className: styles.weights },
  { key: 'loraGb', label: 'LoRA + optimiser', className: styles.lora },
  { key: 'activationsGb', label: 'Activations', className: styles.activations },
  { key: 'logitsGb', label: 'Logits', className: styles.logits },
  { key: 'overheadGb', label: 'CUDA overhead', className: styles.overhead },
] as const;

/** Under this share of the free memory a run fits comfortably; above it, it is tight. */
const TIGHT_SHARE = 0.9;

/** The VRAM a run needs per GPU, as a stacked bar against the chosen GPUs' free memory. */
export function VramEstimatePanel({
  estimate,
  freeMb,
  gpuCount,
}: {
  estimate: DebouncedCall<VramEstimate>;
  /** The least free memory among the chosen GPUs (MiB, as nvidia-smi reports it). */
  freeMb: number | null;
  gpuCount: number;
}) {
  const value = estimate.value;
  const totalMb = value === null ? 0 : estimateGbToMb(value.totalGb);
  const scaleMax = Math.max(totalMb, freeMb ?? 0) * 1.08 || 1;
  const pct = (mb: number) => `${(mb / scaleMax) * 100}%`;
  const mbOf = (gb: number) => estimateGbToMb(gb);

  return (
    <section className={styles.card} aria-labelledby="vram-heading" data-testid="vram-estimate">
      <div className={styles.cardHead}>
        <h2 id="vram-heading" className={styles.cardTitle}>
          GPU memory {gpuCount > 1 ? 'per GPU' : ''}
        </h2>
        {estimate.pending && <LoaderCircle size={13} className={styles.spin} aria-label="Estimating" />}
      </div>
      {estimate.key === null && !estimate.pending && (
        <p className={styles.help}>Choose a base model to estimate the memory this run needs.</p>
      )}
      {estimate.error !== null && (
        <p className={styles.fieldError} data-testid="vram-error">
          No estimate: {estimate.error.message}
        </p>
      )}
      {value !== null && (
        <>
          <div
            className={styles.bar}
            role="img"
            aria-label={`Needs ${formatGbFromMb(totalMb)}${freeMb === null ? '' : ` of ${formatGbFromMb(freeMb)} free`}`}
          >
            {PARTS.map((part) => (
              <div
                key={part.key}
                className={`${styles.segment} ${part.className}`}
                style={{ width: pct(mbOf(value.parts[part.key])) }}
                title={`${part.label}: ${formatGbFromMb(mbOf(value.parts[part.key]))}`}
              />
            ))}
            {freeMb !== null && (
              <div
                className={styles.capacity}
                style={{ left: pct(freeMb) }}
                title={`Free: ${formatGbFromMb(freeMb)}`}
                data-testid="vram-free"
              />
            )}
          </div>
          <div className={styles.scale}>
            <span>0</span>
            <span>{formatGbFromMb(scaleMax)}</span>
          </div>
          <Verdict totalMb={totalMb} freeMb={freeMb} />
          <div className={styles.legend}>
            {PARTS.map((part) => (
              <LegendRow
                key={part.key}
                className={part.className}
                label={part.label}
                mb={mbOf(value.parts[part.key])}
              />
            ))}
            <span />
            <strong>Total</strong>
            <strong className={styles.legendValue} data-testid="vram-total">
              {formatGbFromMb(totalMb)}
            </strong>
          </div>
          <p className={styles.help}>LoRA parameters: {formatCompactCount(value.loraParams)}</p>
          {value.assumptions.length > 0 && (
            <ul className={styles.assumptions}>
              {value.assumptions.map((assumption) => (
                <li key={assumption}>{assumption}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function LegendRow({ className, label, mb }: { className: string | undefined; label: string; mb: number }) {
  return (
    <>
      <span className={`${styles.swatch} ${className}`} aria-hidden="true" />
      <span>{label}</span>
      <span className={styles.legendValue}>{formatGbFromMb(mb)}</span>
    </>
  );
}

function Verdict({ totalMb, freeMb }: { totalMb: number; freeMb: number | null }) {
  if (freeMb === null)
    return <p className={styles.help}>No GPU to compare with: the estimate is what a GPU would need.</p>;
  if (totalMb > freeMb)
    return (
      <p className={`${styles.verdict} ${styles.nofit}`} data-testid="vram-verdict" data-fit="no">
        <CircleX size={14} aria-hidden="true" /> Does not fit: needs {formatGbFromMb(totalMb)},{' '}
        {formatGbFromMb(freeMb)} free
      </p>
    );
  if (totalMb > freeMb * TIGHT_SHARE)
    return (
      <p className={`${styles.verdict} ${styles.tight}`} data-testid="vram-verdict" data-fit="tight">
        <TriangleAlert size={14} aria-hidden="true" /> Tight: {formatGbFromMb(totalMb)} of{' '}
        {formatGbFromMb(freeMb)} free
      </p>
    );
  return (
    <p className={`${styles.verdict} ${styles.fits}`} data-testid="vram-verdict" data-fit="yes">
      <CircleCheck size={14} aria-hidden="true" /> Fits: {formatGbFromMb(totalMb)} of {formatGbFromMb(freeMb)}{' '}
      free
    </p>
  );
}
