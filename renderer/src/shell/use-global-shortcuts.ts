import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { GLOBAL_KEYS, isTyping } from './shortcuts';

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
      switch (event.key) {
        case GLOBAL_KEYS.sheet:
          setSheetOpen(true);
          break;
        case GLOBAL_KEYS.newJob:
          navigate('/training/new');
          break;
        case GLOBAL_KEYS.importDataset:
          // The datasets page opens its import dialog for `?import=1` (and drops the parameter).
          navigate('/datasets?import=1');
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);
  return [sheetOpen, setSheetOpen] as const;
}
