import { Keyboard } from 'lucide-react';
import { NavLink } from 'react-router';
import { ariaShortcut, NAV_ITEMS, shortcutLabel } from './nav-items';
import { NotificationsBell } from './notifications-bell';
import styles from './sidebar.module.css';

/** The left column: app name, notifications bell, the destinations, and the shortcuts sheet. */
export function Sidebar({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  return (
    <aside className={styles.sidebar}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          L
        </span>
        <span className={styles.name}>LoRA Studio</span>
        <NotificationsBell />
      </div>
      <nav aria-label="Main">
        <ul className={styles.list}>
          {NAV_ITEMS.map((item) => (
            <li key={item.id}>
              <NavLink
                to={item.path}
                className={({ isActive }) => (isActive ? `${styles.link} ${styles.active}` : styles.link)}
                data-testid={`nav-${item.id}`}
                aria-keyshortcuts={ariaShortcut(item.shortcut)}
                title={`${item.label} (${shortcutLabel(item.shortcut)})`}
              >
                <item.icon size={16} strokeWidth={1.75} aria-hidden="true" />
                <span className={styles.label}>{item.label}</span>
                <kbd className={styles.kbd}>{shortcutLabel(item.shortcut)}</kbd>
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <button
        type="button"
        className={`${styles.link} ${styles.footer}`}
        onClick={onShowShortcuts}
        aria-keyshortcuts="Shift+?"
        title="Keyboard shortcuts (?)"
        data-testid="shortcuts-open"
      >
        <Keyboard size={16} strokeWidth={1.75} aria-hidden="true" />
        <span className={styles.label}>Shortcuts</span>
        <kbd className={styles.kbdShown}>?</kbd>
      </button>
    </aside>
  );
}
