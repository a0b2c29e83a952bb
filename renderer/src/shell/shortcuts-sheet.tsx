import { Dialog } from '../components/dialog';
import { SHORTCUTS, type Shortcut } from './shortcuts';
import styles from './shortcuts-sheet.module.css';

const GROUPS: ReadonlyArray<Shortcut['where']> = ['Anywhere', 'A dataset', 'New job form', 'Settings'];

/** The keyboard shortcuts sheet (`?`): every shortcut, grouped by where it works. */
export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-sheet" size="medium">
      <div className={styles.groups}>
        {GROUPS.filter((group) => SHORTCUTS.some((s) => s.where === group)).map((group) => (
          <section key={group} aria-label={group}>
            <h3 className={styles.group}>{group}</h3>
            <dl className={styles.list}>
              {SHORTCUTS.filter((s) => s.where === group).map((s) => (
                <div key={`${s.keys.join('+')}-${s.action}`} className={styles.item} data-testid="shortcut">
                  <dt className={styles.keys}>
                    {s.keys.map((key) => (
                      <kbd key={key} className={styles.kbd}>
                        {key}
                      </kbd>
                    ))}
                  </dt>
                  <dd className={styles.action}>{s.action}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className={styles.note}>Single keys work when no text field has the focus.</p>
    </Dialog>
  );
}
