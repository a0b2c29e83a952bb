import { type FormEvent, useEffect, useState } from 'react';
import type { Settings, SettingsPatch } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { useSettingsStore } from '../../state/settings-store';
import styles from './settings-page.module.css';

interface Draft {
  amortisation: string;
  cloudRates: string;
  budget: string;
  holdQueue: boolean;
  onCancelled: boolean;
  onInterrupted: boolean;
  onTasks: boolean;
  onBudget: boolean;
  desktop: boolean;
  quiet: boolean;
  quietStart: string;
  quietEnd: string;
  llamacpp: string;
}

function draftOf(s: Readonly<Settings>): Draft {
  return {
    amortisation: String(s['energy.amortisationPerGpuHour']),
    cloudRates: Object.entries(s['energy.cloudRates'])
      .map(([model, rate]) => `${model}=${rate}`)
      .join(', '),
    budget: s['budget.monthly'] === null ? '' : String(s['budget.monthly']),
    holdQueue: s['budget.holdQueue'],
    onCancelled: s['notifications.onCancelled'],
    onInterrupted: s['notifications.onInterrupted'],
    onTasks: s['notifications.onTasks'],
    onBudget: s['notifications.onBudget'],
    desktop: s['notifications.desktop'],
    quiet: s['notifications.quietHours'] !== null,
    quietStart: s['notifications.quietHours']?.start ?? '22:00',
    quietEnd: s['notifications.quietHours']?.end ?? '07:00',
    llamacpp: s['llamacpp.path'] ?? '',
  };
}

/** "H100=2.5, A100=1.3" → { H100: 2.5, A100: 1.3 }; throws a message a person can act on. */
function parseRates(text: string): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const [model, rate] = part.split('=').map((p) => p.trim());
    const value = Number(rate);
    if (!model || rate === undefined || rate === '' || !Number.isFinite(value)) {
      throw new Error(`"${part}" is not MODEL=RATE, such as H100=2.5`);
    }
    rates[model] = value;
  }
  return rates;
}

function patchOf(d: Draft): SettingsPatch {
  const budget = d.budget.trim() === '' ? null : Number(d.budget);
  if (budget !== null && !Number.isFinite(budget))
    throw new Error('The monthly budget must be a number, or empty for none.');
  const amortisation = Number(d.amortisation);
  if (!Number.isFinite(amortisation)) throw new Error('The amortisation rate must be a number (0 for none).');
  return {
    'energy.amortisationPerGpuHour': amortisation,
    'energy.cloudRates': parseRates(d.cloudRates),
    'budget.monthly': budget,
    'budget.holdQueue': d.holdQueue,
    'notifications.onCancelled': d.onCancelled,
    'notifications.onInterrupted': d.onInterrupted,
    'notifications.onTasks': d.onTasks,
    'notifications.onBudget': d.onBudget,
    'notifications.desktop': d.desktop,
    'notifications.quietHours': d.quiet ? { start: d.quietStart, end: d.quietEnd } : null,
    'llamacpp.path': d.llamacpp.trim() === '' ? null : d.llamacpp.trim(),
  };
}

/** Settings for cost (amortisation, cloud reference, budget) and which notifications reach you. */
export function BudgetNotifySection() {
  const client = useClient();
  const saved = useSettingsStore((state) => state.settings);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  useEffect(() => {
    if (saved !== null) setDraft(draftOf(saved));
  }, [saved]);
  if (saved === null || draft === null) return null;
  const currency = saved['energy.currency'];
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft({ ...draft, [key]: value });
    setStatus(null);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const next = await client.call('settings.update', patchOf(draft));
      useSettingsStore.setState({ settings: next });
      setStatus('Saved.');
    } catch (caught) {
      setError(toApiError(caught).message);
    }
  };
  const check = (key: keyof Draft, label: string, testId: string) => (
    <label className={styles.check}>
      <input
        type="checkbox"
        checked={draft[key] as boolean}
        onChange={(e) => set(key, e.target.checked as never)}
        data-testid={testId}
      />
      {label}
    </label>
  );
  return (
    <form
      className={styles.card}
      onSubmit={save}
      noValidate
      aria-label="Budget and notifications"
      data-testid="settings-budget-notify"
    >
      <fieldset className={styles.section}>
        <legend className={styles.legend}>Budget and cost</legend>
        <div className={styles.row}>
          <label className={styles.label} htmlFor="budget-monthly">
            Monthly budget
          </label>
          <div className={styles.control}>
            <input
              id="budget-monthly"
              className={`${styles.input} ${styles.narrow}`}
              inputMode="decimal"
              placeholder="none"
              value={draft.budget}
              onChange={(e) => set('budget', e.target.value)}
              data-testid="settings-budget-monthly"
            />
            <span className={styles.help}>
              {currency} of electricity and amortisation per calendar month; you are told at 80% and 100%.
            </span>
          </div>
        </div>
        {check('holdQueue', 'Hold queued jobs once the monthly budget is spent', 'settings-budget-hold')}
        <div className={styles.row}>
          <label className={styles.label} htmlFor="amortisation">
            Amortisation
          </label>
          <div className={styles.control}>
            <input
              id="amortisation"
              className={`${styles.input} ${styles.narrow}`}
              inputMode="decimal"
              value={draft.amortisation}
              onChange={(e) => set('amortisation', e.target.value)}
              data-testid="settings-amortisation"
            />
            <span className={styles.help}>{currency} per GPU-hour for the hardware itself (0 for none).</span>
          </div>
        </div>
        <div className={styles.row}>
          <label className={styles.label} htmlFor="cloud-rates">
            Cloud rates
          </label>
          <div className={styles.control}>
            <input
              id="cloud-rates"
              className={`${styles.input} ${styles.wide}`}
              value={draft.cloudRates}
              onChange={(e) => set('cloudRates', e.target.value)}
              data-testid="settings-cloud-rates"
            />
            <span className={styles.help}>
              What renting each GPU model costs per hour, in {currency} (MODEL=RATE, matched against the GPU's
              name): the “rented equivalent” of each run.
            </span>
          </div>
        </div>
      </fieldset>
      <fieldset className={styles.section}>
        <legend className={styles.legend}>Export</legend>
        <div className={styles.row}>
          <label className={styles.label} htmlFor="llamacpp-path">
            llama.cpp checkout
          </label>
          <div className={styles.control}>
            <input
              id="llamacpp-path"
              className={`${styles.input} ${styles.wide}`}
              placeholder="/path/to/llama.cpp"
              value={draft.llamacpp}
              onChange={(e) => set('llamacpp', e.target.value)}
              data-testid="settings-llamacpp"
            />
            <span className={styles.help}>
              For GGUF export: a clone of llama.cpp with convert_lora_to_gguf.py.
            </span>
          </div>
        </div>
      </fieldset>
      <fieldset className={styles.section}>
        <legend className={styles.legend}>More notifications</legend>
        {check('onCancelled', 'When a run is cancelled', 'settings-notify-cancelled')}
        {check(
          'onInterrupted',
          'When a run was interrupted (the app or machine stopped)',
          'settings-notify-interrupted',
        )}
        {check('onTasks', 'When an import, merge or export finishes', 'settings-notify-tasks')}
        {check('onBudget', 'When the monthly budget reaches 80% and 100%', 'settings-notify-budget')}
        {check('desktop', 'Also show them on the desktop', 'settings-notify-desktop')}
        <div className={styles.row}>
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={draft.quiet}
              onChange={(e) => set('quiet', e.target.checked)}
              data-testid="settings-quiet"
            />
            Quiet hours: nothing pops up from
          </label>
          <input
            type="time"
            aria-label="Quiet hours start"
            className={styles.input}
            value={draft.quietStart}
            disabled={!draft.quiet}
            onChange={(e) => set('quietStart', e.target.value)}
          />
          <span className={styles.help}>to</span>
          <input
            type="time"
            aria-label="Quiet hours end"
            className={styles.input}
            value={draft.quietEnd}
            disabled={!draft.quiet}
            onChange={(e) => set('quietEnd', e.target.value)}
          />
        </div>
      </fieldset>
      {error !== null && (
        <p className={styles.formError} role="alert" data-testid="settings-budget-error">
          {error}
        </p>
      )}
      <div className={styles.actions}>
        <Button type="submit" variant="primary" data-testid="settings-budget-save">
          Save
        </Button>
        {status !== null && (
          <span className={styles.ok} role="status">
            {status}
          </span>
        )}
      </div>
    </form>
  );
}
