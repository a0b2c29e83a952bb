import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { NAV_ITEMS } from './nav-items';

/** Ctrl/Cmd+1…5 go to the sidebar's pages, and focus moves to the new page's heading. */
export function useNavShortcuts(): void {
  const navigate = useNavigate();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const item = NAV_ITEMS.find((candidate) => candidate.shortcut === event.key);
      if (item === undefined) return;
      event.preventDefault();
      navigate(item.path);
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [navigate]);
}
