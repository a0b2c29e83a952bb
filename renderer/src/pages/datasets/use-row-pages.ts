import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError, DatasetRowView, RowFilter } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { PAGE_SIZE, RowPageCache } from './row-page-cache';

/** Requests in flight at once: enough to fill a screen, few enough that a fast scroll skips pages. */
const CONCURRENT_PAGES = 2;

/** What the row list needs: the total, rows by index as pages arrive, and the visible range. */
export interface RowPages {
  readonly total: number | null;
  /** False while `total` is a lower bound ("≥ N") and the exact count is on its way. */
  readonly totalExact: boolean;
  readonly error: ApiError | null;
  /** Whether the first page for the current filter is still on its way. */
  readonly loading: boolean;
  get(index: number): DatasetRowView | undefined;
  findById(id: number): DatasetRowView | undefined;
  setRange(firstIndex: number, lastIndex: number): void;
  replace(row: DatasetRowView): void;
}

/**
 * Fetches `datasets.rows` pages on demand for the visible range of a virtual list. A new filter
 * starts over; a new `revision` (the dataset changed) refetches what is visible and keeps showing the
 * old rows until then. Pages passed during a fast scroll are never requested.
 */
export function useRowPages(datasetId: string, filter: RowFilter, revision: number): RowPages {
  const client = useClient();
  const filterKey = JSON.stringify(filter);
  const cacheRef = useRef(new RowPageCache());
  const generationRef = useRef(0);
  const revisionRef = useRef(revision);
  const [, setTick] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  /** The generation and revision an exact count was last asked for (asked once per pair). */
  const countedRef = useRef('');

  // A page said "≥ N": count exactly, in the background, once per filter and dataset revision.
  const countExactly = useCallback(() => {
    const generation = generationRef.current;
    const asked = `${generation}:${revisionRef.current}`;
    if (countedRef.current === asked) return;
    countedRef.current = asked;
    const parsedFilter = JSON.parse(filterKey) as RowFilter;
    client
      .call('datasets.count', {
        id: datasetId,
        ...(Object.keys(parsedFilter).length > 0 ? { filter: parsedFilter } : {}),
      })
      .then(
        (result) => {
          if (generation !== generationRef.current || asked !== `${generation}:${revisionRef.current}`)
            return;
          cacheRef.current.setExactTotal(result.total);
          setTick((t) => t + 1);
        },
        (caught: unknown) => {
          if (generation !== generationRef.current) return;
          setError(toApiError(caught));
        },
      );
  }, [client, datasetId, filterKey]);

  const pump = useCallback(() => {
    const cache = cacheRef.current;
    const generation = generationRef.current;
    const parsedFilter = JSON.parse(filterKey) as RowFilter;
    for (const page of cache.nextPages(CONCURRENT_PAGES - cache.inFlight.size)) {
      const askedAtRevision = revisionRef.current;
      cache.inFlight.add(page);
      client
        .call('datasets.rows', {
          id: datasetId,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(Object.keys(parsedFilter).length > 0 ? { filter: parsedFilter } : {}),
        })
        .then(
          (result) => {
            if (generation !== generationRef.current) return;
            cache.put(
              page,
              result.rows,
              result.total,
              askedAtRevision === revisionRef.current,
              result.totalExact,
            );
            if (!cache.totalExact) countExactly();
            setError(null);
            setLoading(false);
          },
          (caught: unknown) => {
            if (generation !== generationRef.current) return;
            cache.fail(page);
            setError(toApiError(caught));
            setLoading(false);
          },
        )
        .finally(() => {
          if (generation !== generationRef.current) return;
          cache.inFlight.delete(page);
          setTick((t) => t + 1);
          pump();
        });
    }
  }, [client, datasetId, filterKey, countExactly]);

  // A new dataset or filter: start over from the top.
  useEffect(() => {
    generationRef.current += 1;
    cacheRef.current = new RowPageCache();
    setLoading(true);
    setError(null);
    setTick((t) => t + 1);
    pump();
  }, [pump]);

  // The dataset changed: refetch the visible pages.
  useEffect(() => {
    if (revisionRef.current === revision) return;
    revisionRef.current = revision;
    cacheRef.current.markStale();
    pump();
  }, [revision, pump]);

  const cache = cacheRef.current;
  return {
    total: cache.total,
    totalExact: cache.totalExact,
    error,
    loading,
    get: (index) => cache.get(index),
    findById: (id) => cache.findById(id),
    setRange: (first, last) => {
      if (cache.setRange(first, last)) pump();
    },
    replace: (row) => {
      cache.replace(row);
      setTick((t) => t + 1);
    },
  };
}
