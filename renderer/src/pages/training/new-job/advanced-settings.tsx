import { RotateCcw } from 'lucide-react';
import { useId } from 'react';
import type { TrainerConfig } from '../../../../../preload/contract';
import { type DraftErrors, displayValue, type OverrideValue } from './job-draft';
import { SETTING_GROUPS, type SettingField, type SettingKey } from './job-settings-fields';
import styles from './new-job.module.css';

/** Every job setting, grouped; an empty field means "the preset's value", shown as its placeholder. */
export function AdvancedSettings({
  overrides,
  resolved,
  errors,
  onChange,
}: {
  overrides: Readonly<Partial<Record<SettingKey, OverrideValue>>>;
  resolved: Readonly<TrainerConfig> | null;
  errors: DraftErrors;
  onChange: (key: SettingKey, value: OverrideValue | undefined) => void;
}) {
  return (
    <div className={styles.groups}>
      {SETTING_GROUPS.map((group) => (
        <fieldset key={group.id} className={styles.group}>
          <legend className={styles.groupTitle}>{group.title}</legend>
          {group.fields.map((field) => (
            <SettingInput
              key={field.key}
              field={field}
              value={overrides[field.key]}
              preset={resolved === null ? undefined : resolved[field.key as keyof TrainerConfig]}
              error={errors[field.key]}
              onChange={(value) => onChange(field.key, value)}
            />
          ))}
        </fieldset>
      ))}
    </div>
  );
}

function SettingInput({
  field,
  value,
  preset,
  error,
  onChange,
}: {
  field: SettingField;
  value: OverrideValue | undefined;
  preset: unknown;
  error: string | undefined;
  onChange: (value: OverrideValue | undefined) => void;
}) {
  const id = useId();
  const overridden = value !== undefined;
  const presetText = preset === undefined ? '' : String(displayValue(field, preset));
  const described = error === undefined ? `${id}-help` : `${id}-error`;
  const common = {
    id,
    'data-testid': `setting-${field.key}`,
    'aria-invalid': error !== undefined,
    'aria-describedby': described,
  };

  let control: React.ReactNode;
  switch (field.kind.type) {
    case 'bool': {
      const checked = typeof value === 'boolean' ? value : preset === true;
      control = (
        <span className={styles.check}>
          <input
            {...common}
            type="checkbox"
            checked={checked}
            onChange={(event) => onChange(event.target.checked)}
          />
          <span className={styles.muted}>{checked ? 'on' : 'off'}</span>
        </span>
      );
      break;
    }
    case 'enum':
      control = (
        <select
          {...common}
          className={styles.select}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        >
          <option value="">{presetText === '' ? 'Preset' : `Preset (${presetText})`}</option>
          {field.kind.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'int':
    case 'number':
    case 'modules':
      control = (
        <input
          {...common}
          className={`${styles.input} ${styles.mono}`}
          type="text"
          inputMode={field.kind.type === 'modules' ? 'text' : 'decimal'}
          spellCheck={false}
          autoComplete="off"
          placeholder={presetText}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
        />
      );
      break;
  }

  return (
    <div className={`${styles.setting} ${overridden ? styles.overridden : ''}`} data-overridden={overridden}>
      <label htmlFor={id} className={styles.label}>
        {field.label}
      </label>
      {control}
      {overridden ? (
        <button
          type="button"
          className={styles.reset}
          onClick={() => onChange(undefined)}
          aria-label={`Reset ${field.label} to the preset`}
          title="Back to the preset's value"
          data-testid={`setting-${field.key}-reset`}
        >
          <RotateCcw size={12} aria-hidden="true" />
        </button>
      ) : (
        <span />
      )}
      {error === undefined ? (
        <span id={`${id}-help`} className={styles.help}>
          {field.help}
        </span>
      ) : (
        <span id={`${id}-error`} className={styles.fieldError} data-testid={`setting-${field.key}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
