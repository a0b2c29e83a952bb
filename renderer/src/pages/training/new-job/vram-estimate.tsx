import { CircleCheck, CircleX, LoaderCircle, TriangleAlert } from 'lucide-react';
import type { VramEstimate } from '../../../../../preload/contract';
import { formatGb } from '../../../format/format';
import { formatCount } from '../training-format';
import type { DebouncedCall } from '../use-debounced-call';
import styles from './new-job.module.css';

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
  freeGb,
  gpuCount,
}: {
  estimate: DebouncedCall<VramEstimate>;
  freeGb: number | null;
  gpuCount: number;
}) {
  const value = estimate.value;
  const scaleMax = Math.max(value?.totalGb ?? 0, freeGb ?? 0) * 1.08 || 1;
  const pct = (gb: number) => `${(gb / scaleMax) * 100}%`;

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
            aria-label={`Needs ${formatGb(value.totalGb)}${freeGb === null ? '' : ` of ${formatGb(freeGb)} free`}`}
          >
            {PARTS.map((part) => (
              <div
                key={part.key}
                className={`${styles.segment} ${part.className}`}
                style={{ width: pct(value.parts[part.key]) }}
                title={`${part.label}: ${formatGb(value.parts[part.key])}`}
              />
            ))}
            {freeGb !== null && (
              <div
                className={styles.capacity}
                style={{ left: pct(freeGb) }}
                title={`Free: ${formatGb(freeGb)}`}
                data-testid="vram-free"
              />
            )}
          </div>
          <div className={styles.scale}>
            <span>0</span>
            <span>{formatGb(scaleMax)}</span>
          </div>
          <Verdict totalGb={value.totalGb} freeGb={freeGb} />
          <div className={styles.legend}>
            {PARTS.map((part) => (
              <LegendRow
                key={part.key}
                className={part.className}
                label={part.label}
                gb={value.parts[part.key]}
              />
            ))}
            <span />
            <strong>Total</strong>
            <strong className={styles.legendValue} data-testid="vram-total">
              {formatGb(value.totalGb)}
            </strong>
          </div>
          <p className={styles.help}>LoRA parameters: {formatCount(value.loraParams)}</p>
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

function LegendRow({ className, label, gb }: { className: string | undefined; label: string; gb: number }) {
  return (
    <>
      <span className={`${styles.swatch} ${className}`} aria-hidden="true" />
      <span>{label}</span>
      <span className={styles.legendValue}>{formatGb(gb)}</span>
    </>
  );
}

function Verdict({ totalGb, freeGb }: { totalGb: number; freeGb: number | null }) {
  if (freeGb === null)
    return <p className={styles.help}>No GPU to compare with: the estimate is what a GPU would need.</p>;
  if (totalGb > freeGb)
    return (
      <p className={`${styles.verdict} ${styles.nofit}`} data-testid="vram-verdict" data-fit="no">
        <CircleX size={14} aria-hidden="true" /> Does not fit: needs {formatGb(totalGb)}, {formatGb(freeGb)}{' '}
        free
      </p>
    );
  if (totalGb > freeGb * TIGHT_SHARE)
    return (
      <p className={`${styles.verdict} ${styles.tight}`} data-testid="vram-verdict" data-fit="tight">
        <TriangleAlert size={14} aria-hidden="true" /> Tight: {formatGb(totalGb)} of {formatGb(freeGb)} free
      </p>
    );
  return (
    <p className={`${styles.verdict} ${styles.fits}`} data-testid="vram-verdict" data-fit="yes">
      <CircleCheck size={14} aria-hidden="true" /> Fits: {formatGb(totalGb)} of {formatGb(freeGb)} free
    </p>
  );
}
