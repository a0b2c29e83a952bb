import styles from '../settings-page.module.css';
import type { SettingsFormState } from '../use-settings-form';

/** Whether a finished or failed training run notifies. */
export function NotificationsSection({ form }: { form: SettingsFormState }) {
  return (
    <>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={form.draft['notifications.onCompleted']}
          onChange={(event) => form.update('notifications.onCompleted', event.target.checked)}
          data-testid="settings-notify-completed"
        />
        Notify me when a training run completes
      </label>
      <label className={styles.check}>
        <input
          type="checkbox"
          checked={form.draft['notifications.onFailed']}
          onChange={(event) => form.update('notifications.onFailed', event.target.checked)}
          data-testid="settings-notify-failed"
        />
        Notify me when a training run fails
      </label>
    </>
  );
}
