import { useCallback } from 'react';
import { Outlet } from 'react-router';
import { ConnectionBanner } from './connection-banner';
import { GpuStatusBar } from './gpu-status-bar';
import styles from './shell-layout.module.css';
import { ShortcutsSheet } from './shortcuts-sheet';
import { Sidebar } from './sidebar';
import { useDesktopCommands } from './use-desktop-commands';
import { useGlobalShortcuts } from './use-global-shortcuts';
import { useNavShortcuts } from './use-nav-shortcuts';

/** The app frame: sidebar, the current page, the GPU status bar along the bottom, and the app's shortcuts. */
export function ShellLayout() {
  useNavShortcuts();
  const [sheetOpen, setSheetOpen] = useGlobalShortcuts();
  useDesktopCommands(useCallback(() => setSheetOpen(true), [setSheetOpen]));
  return (
    <div className={styles.shell} data-testid="app-shell">
      <Sidebar onShowShortcuts={() => setSheetOpen(true)} />
      <div className={styles.column}>
        <ConnectionBanner />
        <main className={styles.main}>
          <Outlet />
        </main>
      </div>
      <GpuStatusBar />
      {sheetOpen && <ShortcutsSheet onClose={() => setSheetOpen(false)} />}
    </div>
  );
}
