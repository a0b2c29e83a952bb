import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { runGlobalAction } from './use-global-shortcuts';

/**
 * The application menu's commands (desktop only: `window.desktop`), run through the same actions as
 * the keyboard shortcuts. In a browser there is no menu, so nothing is subscribed.
 */
export function useDesktopCommands(openSheet: () => void): void {
  const navigate = useNavigate();
  useEffect(() => {
    const desktop = window.desktop;
    if (desktop === undefined) return;
    return desktop.onCommand((command) => runGlobalAction(command, navigate, openSheet));
  }, [navigate, openSheet]);
}
