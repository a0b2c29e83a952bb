import { useEffect } from 'react';
import { useSearchParams } from 'react-router';

/** The dataset page's tabs, in order. */
export const DATASET_TABS = [
  { id: 'rows', label: 'Rows' },
  { id: 'stats', label: 'Statistics' },
  { id: 'versions', label: 'Versions' },
] as const;

/** One of the dataset page's tabs. */
export type DatasetTabId = (typeof DATASET_TABS)[number]['id'];

/**
 * The open tab, kept in the URL (`?tab=`, absent for rows) so reload and back keep it; `/` from
 * another tab comes back to the rows and focuses their search.
 */
export function useDatasetTab(): readonly [DatasetTabId, (next: DatasetTabId) => void] {
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: DatasetTabId = DATASET_TABS.find((t) => t.id === asked)?.id ?? 'rows';

  const setTab = (next: DatasetTabId) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (next === 'rows') copy.delete('tab');
        else copy.set('tab', next);
        return copy;
      },
      { replace: true },
    );

  // `/` is the row browser's search: from another tab, come back to the rows first.
  useEffect(() => {
    if (tab === 'rows') return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || document.querySelector('dialog[open]') !== null) return;
      if (
        target !== null &&
        (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable)
      )
        return;
      event.preventDefault();
      setTab('rows');
      requestAnimationFrame(() =>
        document.querySelector<HTMLInputElement>('[data-testid="rows-search"]')?.focus(),
      );
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  return [tab, setTab] as const;
}
