import { Cpu } from 'lucide-react';
import { Button } from '../../../components/button';
import styles from './new-job.module.css';
import type { NewJobState } from './use-new-job';

const LABEL = { fast: 'Fast', balanced: 'Balanced', quality: 'Quality' } as const;

/**
 * One line under the presets: why this preset was chosen from the GPU's memory, or, once the person
 * chose another, what the suggestion is, with a button to take it.
 */
export function PresetReason({ job }: { job: NewJobState }) {
  const { choice, chosenBy } = job.presetChoice;
  const value = choice.value;
  if (job.draft.modelPath.trim() === '') {
    return <p className={styles.help}>The preset is chosen for your GPU once a base model is picked.</p>;
  }
  if (value === null) return null;
  const followed =
    chosenBy === 'auto' ||
    (job.draft.preset === value.preset && (job.draft.overrides.method ?? 'lora') === value.method);
  return (
    <p
      className={styles.help}
      data-testid="preset-reason"
      data-chosen-by={chosenBy}
      data-preset={value.preset}
      data-method={value.method}
      data-verdict={value.verdict}
      aria-live="polite"
    >
      <Cpu size={12} aria-hidden="true" /> {followed ? 'Chosen for your GPU — ' : 'Suggested for your GPU: '}
      {value.reason}{' '}
      {!followed && (
        <Button variant="ghost" onClick={job.presetChoice.follow} data-testid="preset-use-suggested">
          Use {LABEL[value.preset]}
          {value.method === 'qlora' ? ' with QLoRA' : ''}
        </Button>
      )}
    </p>
  );
}
