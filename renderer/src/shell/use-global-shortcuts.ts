import { useEffect, useState } from 'react';
import { type NavigateFunction, useNavigate } from 'react-router';
import type { DesktopCommand } from '../../../preload/contract';
import { GLOBAL_KEYS, isTyping } from './shortcuts';

/** The app-wide actions, reached by a single key or (desktop) the application menu's commands. */
export type GlobalAction = DesktopCommand;

/** Runs one app-wide action: the one place both the shortcuts and the menu commands go through. */
export function runGlobalAction(
  action: GlobalAction,
  navigate: NavigateFunction,
  openSheet: () => void,
): void {
  switch (action) {
    case 'shortcuts':
      openSheet();
      return;
    case 'new-job':
      navigate('/training/new');
      return;
    case 'import-dataset':
      // The datasets page opens its import dialog for `?import=1` (and drops the parameter).
      navigate('/datasets?import=1');
      return;
    case 'about':
      // The About panel scrolls itself into view for this hash.
      navigate('/settings#about');
      return;
  }
}

const KEY_ACTIONS: Readonly<Record<string, GlobalAction>> = {
  [GLOBAL_KEYS.sheet]: 'shortcuts',
  [GLOBAL_KEYS.newJob]: 'new-job',
  [GLOBAL_KEYS.importDataset]: 'import-dataset',
};

/**
 * The app-wide single-key shortcuts: N new job, I import a dataset, ? the shortcuts sheet. Never
 * while typing in a field, with a modifier held, or while a dialog is open (its keys are its own).
 * Returns the sheet's open state.
 */
export function useGlobalShortcuts(): readonly [boolean, (open: boolean) => void] {
  const navigate = useNavigate();
  const [sheetOpen, setSheetOpen] = useState(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTyping(event)) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const action = Object.hasOwn(KEY_ACTIONS, event.key) ? KEY_ACTIONS[event.key] : undefined;
      if (action === undefined) return;
      runGlobalAction(action, navigate, () => setSheetOpen(true));
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);
  return [sheetOpen, setSheetOpen] as const;
}
