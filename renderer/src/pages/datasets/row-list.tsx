import { useVirtualizer } from '@tanstack/react-virtual';
import { CircleAlert, CircleCheck } from 'lucide-react';
import { type RefObject, useEffect, useRef } from 'react';
import { formatCount } from '../../format/format';
import styles from './row-browser.module.css';
import { rowLocation, rowNumber, rowPreview } from './row-text';
import type { RowPages } from './use-row-pages';

/** Height of one row in the list, fixed so a million rows stay within the browser's element size. */
export const ROW_HEIGHT = 28;

/**
 * The virtualised row list: only the visible rows exist in the DOM, and their pages are fetched as
 * they scroll into view. A listbox: the selection moves with j/k and Enter opens it.
 */
export function RowList({
  pages,
  selectedIndex,
  openId,
  onSelect,
  onOpen,
  visibleRef,
}: {
  pages: RowPages;
  selectedIndex: number;
  openId: number | null;
  onSelect: (index: number) => void;
  onOpen: (index: number) => void;
  /** Receives the rows on screen (without overscan), so j/k can start from what the user sees. */
  visibleRef: RefObject<{ first: number; last: number }>;
}) {
  const parentRef = useRef<HTMLDivElement>(null);
  const count = pages.total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  visibleRef.current = {
    first: virtualizer.range?.startIndex ?? first,
    last: virtualizer.range?.endIndex ?? last,
  };

  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  useEffect(() => {
    pagesRef.current.setRange(first, last);
  }, [first, last]);

  useEffect(() => {
    if (selectedIndex >= 0 && selectedIndex < count)
      virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, count, virtualizer]);

  return (
    <div className={styles.listFrame}>
      <div className={styles.listHead} aria-hidden="true">
        <span className={styles.cLine} data-testid="rows-head-label">
          {pages.get(first)?.lineNumber === null ? 'Row' : 'Line'}
        </span>
        <span className={styles.cStatus} />
        <span className={styles.cText}>First message / text</span>
        <span className={styles.cNum}>Turns</span>
        <span className={styles.cNum}>Chars</span>
        <span className={styles.cTags}>Tags</span>
      </div>
      <div
        ref={parentRef}
        className={styles.listScroll}
        role="listbox"
        aria-label={`Rows, ${formatCount(count)} in all`}
        aria-activedescendant={
          selectedIndex >= 0 && selectedIndex < count ? `row-opt-${selectedIndex}` : undefined
        }
        tabIndex={0}
        data-testid="rows-list"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {items.map((item) => {
            const row = pages.get(item.index);
            const style = { height: ROW_HEIGHT, transform: `translateY(${item.start}px)` };
            const selected = item.index === selectedIndex;
            if (row === undefined) {
              return (
                <div
                  key={item.key}
                  id={`row-opt-${item.index}`}
                  role="option"
                  tabIndex={-1}
                  aria-selected={selected}
                  className={`${styles.item} ${styles.placeholder}`}
                  style={style}
                  data-testid="row-placeholder"
                >
                  <span className={styles.cLine}>{formatCount(item.index + 1)}</span>
                  <span className={styles.cText}>
                    <span className={styles.skeleton} />
                  </span>
                </div>
              );
            }
            const classes = [
              styles.item,
              selected ? styles.selected : '',
              row.id === openId ? styles.open : '',
              row.deleted ? styles.deletedRow : '',
            ].join(' ');
            return (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keys (j/k/Enter)
              <div
                key={item.key}
                id={`row-opt-${item.index}`}
                role="option"
                tabIndex={-1}
                aria-selected={selected}
                className={classes}
                style={style}
                onClick={() => {
                  onSelect(item.index);
                  onOpen(item.index);
                }}
                data-testid="row-item"
                data-row-id={row.id}
                data-index={item.index}
                data-valid={row.valid}
              >
                <span className={styles.cLine} title={rowLocation(row)} data-testid="row-label">
                  {rowNumber(row)}
                </span>
                <span className={styles.cStatus}>
                  {row.valid ? (
                    <CircleCheck size={13} className={styles.okIcon} aria-label="valid" />
                  ) : (
                    <CircleAlert
                      size={13}
                      className={styles.badIcon}
                      aria-label={`invalid: ${row.problems[0]?.message ?? ''}`}
                    />
                  )}
                </span>
                <span className={styles.cText}>
                  {!row.valid && row.problems[0] !== undefined && (
                    <span className={styles.problemInline}>{row.problems[0].message} · </span>
                  )}
                  {rowPreview(row)}
                </span>
                <span className={styles.cNum}>{row.turns}</span>
                <span className={styles.cNum}>{formatCount(row.charLength)}</span>
                <span className={styles.cTags}>
                  {row.split !== null && <span className={styles.chipSplit}>{row.split}</span>}
                  {row.tags.map((tag) => (
                    <span key={tag} className={styles.chip}>
                      {tag}
                    </span>
                  ))}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
