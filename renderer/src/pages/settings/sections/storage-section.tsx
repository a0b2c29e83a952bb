import { useAppInfoStore } from '../../../state/app-info-store';
import styles from '../settings-page.module.css';

/** Where this data folder and its database are (read-only: chosen when LoRA Studio starts). */
export function StorageSection() {
  const info = useAppInfoStore((state) => state.info);
  return (
    <>
      <div className={styles.row}>
        <span className={styles.label}>Data folder</span>
        <code className={styles.path} data-testid="settings-data-dir">
          {info?.dataDir ?? '–'}
        </code>
      </div>
      <div className={styles.row}>
        <span className={styles.label}>Database</span>
        <code className={styles.path} data-testid="settings-db-path">
          {info?.dbPath ?? '–'}
        </code>
      </div>
      <p className={styles.help}>
        Change the data folder with <code>--data-dir</code> or <code>LORA_STUDIO_HOME</code> when starting
        LoRA Studio.
      </p>
    </>
  );
}
