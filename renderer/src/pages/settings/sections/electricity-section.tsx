import { errorProps, FieldError } from '../settings-field';
import styles from '../settings-page.module.css';
import type { SettingsFormState } from '../use-settings-form';

/** The electricity price and its currency, for the cost of each training run. */
export function ElectricitySection({ form }: { form: SettingsFormState }) {
  const { ids, draft } = form;
  const currencyHelp = `${ids['energy.currency']}-help`;
  return (
    <>
      <div className={styles.row}>
        <label className={styles.label} htmlFor={ids['energy.pricePerKwh']}>
          Price per kWh
        </label>
        <div className={styles.control}>
          <input
            id={ids['energy.pricePerKwh']}
            className={`${styles.input} ${styles.narrow}`}
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={draft['energy.pricePerKwh']}
            onChange={(event) => form.update('energy.pricePerKwh', event.target.value)}
            data-testid="settings-price"
            {...errorProps(form, 'energy.pricePerKwh')}
          />
          <FieldError form={form} field="energy.pricePerKwh" testId="settings-price-error" />
        </div>
      </div>
      <div className={styles.row}>
        <label className={styles.label} htmlFor={ids['energy.currency']}>
          Currency
        </label>
        <div className={styles.control}>
          <input
            id={ids['energy.currency']}
            className={`${styles.input} ${styles.narrow}`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            maxLength={3}
            value={draft['energy.currency']}
            onChange={(event) => form.update('energy.currency', event.target.value.toUpperCase())}
            data-testid="settings-currency"
            {...errorProps(form, 'energy.currency')}
            aria-describedby={
              form.fieldErrors['energy.currency'] === undefined
                ? currencyHelp
                : `${ids['energy.currency']}-error ${currencyHelp}`
            }
          />
          <FieldError form={form} field="energy.currency" testId="settings-currency-error" />
          <span id={currencyHelp} className={styles.help}>
            ISO 4217 code, such as EUR or USD. Used for the cost of each training run.
          </span>
        </div>
      </div>
    </>
  );
}
