import type { KeyboardEvent } from 'react';
import { DataModelSection } from './data-model-section';
import type { JobDraft } from './job-draft';
import { AdvancedSection, GpusSection, PresetSection } from './job-sections';
import styles from './new-job.module.css';
import { PreflightPanel } from './preflight-panel';
import { QueueCard } from './queue-card';
import { useNewJob } from './use-new-job';
import type { PresetChosenBy } from './use-preset-choice';
import { minFreeMb } from './vram';
import { VramEstimatePanel } from './vram-estimate';

/** The new-job form: data, model, preset, advanced settings, GPUs; live estimate and preflight. */
export function NewJobForm({
  initial,
  presetChosenBy,
}: {
  initial: JobDraft;
  presetChosenBy: PresetChosenBy;
}) {
  const job = useNewJob(initial, presetChosenBy);
  const { draft, gpuStatus } = job;

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void job.submit();
    }
  };

  return (
    <form
      className={styles.layout}
      onSubmit={job.submit}
      onKeyDown={onKeyDown}
      noValidate
      data-testid="job-form"
    >
      <div className={styles.column}>
        <DataModelSection job={job} />
        <PresetSection job={job} />
        <GpusSection job={job} />
        <AdvancedSection job={job} />
      </div>
      <aside className={styles.side} aria-label="Checks">
        <VramEstimatePanel
          estimate={job.estimate}
          freeMb={gpuStatus === null || draft.cpu ? null : minFreeMb(gpuStatus.gpus, draft.gpuIndices)}
          gpuCount={Math.max(1, draft.gpuIndices.length)}
        />
        <PreflightPanel preflight={job.preflight} ready={job.request !== null} />
        <QueueCard job={job} />
      </aside>
    </form>
  );
}
