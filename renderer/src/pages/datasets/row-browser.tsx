import { ListFilter, RotateCcw, Search, Tag, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { DatasetRowView } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { formatCount } from '../../format/format';
import { type BulkAction, BulkDialog } from './bulk-dialog';
import { activeFilterCount, type FilterDraft, filterFromDraft } from './filter-draft';
import styles from './row-browser.module.css';
import { RowDetail } from './row-detail';
import { RowFilters } from './row-filters';
import { RowList } from './row-list';
import { useDebounced } from './use-debounced';
import { useRowPages } from './use-row-pages';

const FILTER_DEBOUNCE_MS = 250;

/** Whether a key press belongs to a text field (so `/`, j, k are typed, not shortcuts). */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The row browser: full-text search, filters, a virtualised list over every matching row, the row
 * view beside it, and bulk actions on the current filter. Keys: `/` search, j/k move, Enter opens,
 * Escape closes the row.
 */
export function RowBrowser({
  datasetId,
  revision,
  active,
  draft,
  onDraftChange,
  onMutated,
}: {
  datasetId: string;
  revision: number;
  /** Whether the browser is on screen (its keyboard shortcuts are live only then). */
  active: boolean;
  draft: FilterDraft;
  onDraftChange: (draft: FilterDraft) => void;
  onMutated: () => void;
}) {
  const settledDraft = useDebounced(draft, FILTER_DEBOUNCE_MS);
  const filter = filterFromDraft(settledDraft);
  const filterKey = JSON.stringify(filter);
  const pages = useRowPages(datasetId, filter, revision);
  const pending = JSON.stringify(filterFromDraft(draft)) !== filterKey;
  const [selectedIndex, setSelectedIndex] = useState(-1);
  const [opened, setOpened] = useState<DatasetRowView | null>(null);
  const [filtersOpen, setFiltersOpen] = useState(activeFilterCount(filter) > 0);
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const visibleRef = useRef({ first: 0, last: 0 });
  const total = pages.total ?? 0;

  // A new filter is a new list: the old selection means nothing in it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the filter changes
  useEffect(() => {
    setSelectedIndex(-1);
  }, [filterKey, datasetId]);

  const openIndex = (index: number) => {
    const row = pages.get(index);
    if (row !== undefined) setOpened(row);
  };

  const keys = useRef({ selectedIndex, total, openIndex, opened });
  keys.current = { selectedIndex, total, openIndex, opened };
  useEffect(() => {
    if (!active) return;
    // From a selection scrolled out of view (or none), j/k start at the rows on screen.
    const onScreen = (index: number) => index >= visibleRef.current.first && index <= visibleRef.current.last;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open]') !== null) return;
      const { selectedIndex: at, total: count, openIndex: open, opened: current } = keys.current;
      if (event.key === 'Escape') {
        if (event.target === searchRef.current) searchRef.current?.blur();
        else if (current !== null && !typingIn(event.target)) setOpened(null);
        return;
      }
      if (typingIn(event.target)) return;
      switch (event.key) {
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'j':
        case 'ArrowDown':
          if (count === 0) return;
          event.preventDefault();
          setSelectedIndex(onScreen(at) ? Math.min(count - 1, at + 1) : visibleRef.current.first);
          break;
        case 'k':
        case 'ArrowUp':
          if (count === 0) return;
          event.preventDefault();
          setSelectedIndex(onScreen(at) ? Math.max(0, at - 1) : visibleRef.current.last);
          break;
        case 'Enter':
          if (at < 0 || event.target instanceof HTMLButtonElement) return;
          event.preventDefault();
          open(at);
          break;
        default:
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [active]);

  const shown = opened === null ? null : (pages.findById(opened.id) ?? opened);
  const filterCount = activeFilterCount(filterFromDraft(draft));

  return (
    <div className={styles.browser} data-testid="row-browser">
      <div className={styles.toolbar}>
        <label className={styles.search}>
          <Search size={14} aria-hidden="true" className={styles.searchIcon} />
          <input
            ref={searchRef}
            type="search"
            className={styles.searchInput}
            placeholder="Search rows  ( / )"
            aria-label="Search rows"
            value={draft.search}
            onChange={(event) => onDraftChange({ ...draft, search: event.target.value })}
            data-testid="rows-search"
          />
        </label>
        <Button
          variant={filterCount > 0 ? 'primary' : 'secondary'}
          onClick={() => setFiltersOpen((open) => !open)}
          aria-expanded={filtersOpen}
          data-testid="rows-filters-toggle"
        >
          <ListFilter size={14} aria-hidden="true" /> Filters{filterCount > 0 ? ` (${filterCount})` : ''}
        </Button>
        <span
          className={styles.total}
          data-testid="rows-total"
          data-total={pages.total ?? ''}
          data-total-exact={pages.totalExact ? 'true' : 'false'}
          aria-live="polite"
        >
          {pages.total === null
            ? 'Loading…'
            : `${pages.totalExact ? '' : '≥ '}${formatCount(pages.total)} ${filter.deleted ? 'deleted ' : ''}rows`}
          {pending && ' …'}
        </span>
        <span className={styles.spacer} />
        {notice !== null && (
          <span className={styles.notice} role="status" data-testid="rows-notice">
            {notice}
          </span>
        )}
        {filter.deleted ? (
          <Button
            onClick={() => setBulk('restore')}
            disabled={total === 0 || pending}
            data-testid="bulk-restore"
          >
            <RotateCcw size={13} aria-hidden="true" /> Restore matching…
          </Button>
        ) : (
          <Button
            onClick={() => setBulk('delete')}
            disabled={total === 0 || pending}
            data-testid="bulk-delete"
          >
            <Trash2 size={13} aria-hidden="true" /> Delete matching…
          </Button>
        )}
        <Button onClick={() => setBulk('tag')} disabled={total === 0 || pending} data-testid="bulk-tag-open">
          <Tag size={13} aria-hidden="true" /> Tag matching…
        </Button>
      </div>
      {filtersOpen && <RowFilters draft={draft} onChange={onDraftChange} />}
      {pages.error !== null && (
        <p className={styles.error} role="alert" data-testid="rows-error">
          Rows could not be loaded: {pages.error.message}
        </p>
      )}
      <div className={shown === null ? styles.split : `${styles.split} ${styles.splitOpen}`}>
        {pages.loading && pages.total === null ? (
          <div className={styles.noRows} data-testid="rows-loading">
            Loading rows…
          </div>
        ) : total === 0 ? (
          <div className={styles.noRows} data-testid="rows-empty">
            {Object.keys(filter).length > 0
              ? 'No rows match. Change the search or clear the filters.'
              : 'This dataset has no rows.'}
          </div>
        ) : (
          <RowList
            pages={pages}
            selectedIndex={selectedIndex}
            openId={shown?.id ?? null}
            onSelect={setSelectedIndex}
            onOpen={openIndex}
            visibleRef={visibleRef}
          />
        )}
        {shown !== null && (
          <RowDetail
            datasetId={datasetId}
            row={shown}
            onClose={() => setOpened(null)}
            onRowChanged={(row) => {
              pages.replace(row);
              setOpened(row);
            }}
            onMutated={onMutated}
          />
        )}
      </div>
      {bulk !== null && (
        <BulkDialog
          datasetId={datasetId}
          action={bulk}
          filter={filter}
          count={total}
          onClose={() => setBulk(null)}
          onDone={(message) => {
            setBulk(null);
            setNotice(message);
            onMutated();
          }}
        />
      )}
    </div>
  );
}
