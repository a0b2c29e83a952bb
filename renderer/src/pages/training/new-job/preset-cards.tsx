import { Gauge, Rabbit, Sparkles } from 'lucide-react';
import type { Preset, TrainerConfig } from '../../../../../preload/contract';
import { formatCount } from '../../../format/format';
import styles from './new-job.module.css';

const PRESETS: ReadonlyArray<{ id: Preset; label: string; text: string; icon: typeof Gauge }> = [
  {
    id: 'fast',
    label: 'Fast',
    text: 'Small rank, short sequences, one pass: check the pipeline and the data quickly.',
    icon: Rabbit,
  },
  {
    id: 'balanced',
    label: 'Balanced',
    text: 'Sensible defaults for most instruction-tuning runs.',
    icon: Gauge,
  },
  {
    id: 'quality',
    label: 'Quality',
    text: 'Larger rank, all linear layers, more epochs: slower, for the final run.',
    icon: Sparkles,
  },
];

const METHOD_LABEL: Readonly<Record<TrainerConfig['method'], string>> = {
  lora: 'LoRA',
  qlora: 'QLoRA',
  dora: 'DoRA',
};

/** The three presets as radio cards; the resolved values of the chosen one underneath. */
export function PresetCards({
  value,
  onChange,
  resolved,
}: {
  value: Preset;
  onChange: (preset: Preset) => void;
  resolved: Readonly<TrainerConfig> | null;
}) {
  return (
    <>
      <div className={styles.presets} role="radiogroup" aria-label="Preset">
        {PRESETS.map((preset) => (
          <label key={preset.id} className={styles.preset} data-testid={`preset-${preset.id}`}>
            <input
              type="radio"
              name="preset"
              value={preset.id}
              checked={value === preset.id}
              onChange={() => onChange(preset.id)}
            />
            <span className={styles.presetName}>
              <preset.icon size={14} aria-hidden="true" />
              {preset.label}
            </span>
            <span className={styles.presetText}>{preset.text}</span>
          </label>
        ))}
      </div>
      {resolved !== null && (
        <p className={styles.resolved} data-testid="preset-resolved">
          {METHOD_LABEL[resolved.method]} · r {resolved.lora_r} · α {resolved.lora_alpha} ·{' '}
          {formatCount(resolved.max_seq_len)} tokens · batch {resolved.per_device_batch_size} ×{' '}
          {resolved.grad_accum} · lr {resolved.learning_rate} ·{' '}
          {resolved.max_steps === null
            ? `${resolved.epochs} epochs`
            : `${formatCount(resolved.max_steps)} steps`}
        </p>
      )}
    </>
  );
}
