import type { ReactNode } from 'react';
import { AdvancedSettings } from './advanced-settings';
import { FieldError } from './field-error';
import { GpuPicker } from './gpu-picker';
import styles from './new-job.module.css';
import { PresetCards } from './preset-cards';
import { PresetReason } from './preset-reason';
import type { NewJobState } from './use-new-job';

/** A titled card of the new-job form. */
function Card({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className={styles.card} aria-labelledby={id}>
      <div className={styles.cardHead}>
        <h2 id={id} className={styles.cardTitle}>
          {title}
        </h2>
      </div>
      {children}
    </section>
  );
}

/** The preset cards, showing the values each resolves to. */
export function PresetSection({ job }: { job: NewJobState }) {
  return (
    <Card id="job-preset-heading" title="Preset">
      <PresetCards value={job.draft.preset} onChange={job.choosePreset} resolved={job.resolved} />
      <PresetReason job={job} />
    </Card>
  );
}

/** Which GPUs (or the CPU) the job trains on. */
export function GpusSection({ job }: { job: NewJobState }) {
  return (
    <Card id="job-gpus-heading" title="GPUs">
      <GpuPicker
        status={job.gpuStatus}
        selected={job.draft.gpuIndices}
        cpu={job.draft.cpu}
        autoChoice={
          job.preflight.value?.devices?.chosenBy === 'auto' ? job.preflight.value.devices.note : null
        }
        onChange={job.chooseGpus}
      />
      <FieldError errors={job.errors} field="gpuIndices" />
    </Card>
  );
}

/** Every setting, placeheld by the preset's value; opened when something in it is changed or wrong. */
export function AdvancedSection({ job }: { job: NewJobState }) {
  const overridden = Object.keys(job.draft.overrides).length;
  return (
    <details
      className={styles.card}
      open={job.advancedOpen}
      onToggle={(event) => job.setAdvancedOpen(event.currentTarget.open)}
      data-testid="job-advanced"
    >
      <summary className={styles.summary}>
        Advanced{' '}
        <span className={styles.muted}>
          — {overridden === 0 ? 'all from the preset' : `${overridden} changed from the preset`}
        </span>
      </summary>
      <AdvancedSettings
        overrides={job.draft.overrides}
        resolved={job.resolved}
        errors={job.errors}
        onChange={job.setOverride}
      />
    </details>
  );
}
