import { Outlet } from 'react-router';
import { ConnectionBanner } from './connection-banner';
import { GpuStatusBar } from './gpu-status-bar';
import styles from './shell-layout.module.css';
import { Sidebar } from './sidebar';
import { useNavShortcuts } from './use-nav-shortcuts';

/** The app frame: sidebar, the current page, and the GPU status bar along the bottom. */
export function ShellLayout() {
  useNavShortcuts();
  return (
    <div className={styles.shell} data-testid="app-shell">
      <Sidebar />
      <div className={styles.column}>
        <ConnectionBanner />
        <main className={styles.main}>
          <Outlet />
        </main>
      </div>
      <GpuStatusBar />
    </div>
  );
}
