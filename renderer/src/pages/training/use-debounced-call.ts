import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';

/** The state of a debounced request: the last answer, its error, and whether a newer one is due. */
export interface DebouncedCall<T> {
  /** The latest answer (it may be for an older input while `pending`). */
  readonly value: T | null;
  readonly error: ApiError | null;
  /** True from the moment the input changes until the answer for it (or its error) is in. */
  readonly pending: boolean;
  /** The key the current value or error answers. */
  readonly key: string | null;
  /** Runs the call again now for the current input. */
  readonly rerun: () => void;
}

interface Answer<T> {
  readonly value: T | null;
  readonly error: ApiError | null;
  readonly key: string | null;
}

/**
 * Calls `run` `delayMs` after its input (`key`, e.g. the JSON of the request) stops changing. One
 * call at a time: an input that changes while a call is in flight is sent when that call returns
 * (preflight runs the trainer's doctor, which can take seconds; edits must not pile up processes).
 * Each answer is shown as it comes, and `pending` stays true until the one for the current input
 * is in. A `null` key clears the state and calls nothing.
 */
export function useDebouncedCall<T>(
  key: string | null,
  run: () => Promise<T>,
  delayMs: number,
): DebouncedCall<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ value: null, error: null, key: null });
  const latest = useRef({ key, run });
  latest.current = { key, run };
  const inFlight = useRef(false);
  const due = useRef(false);
  const mounted = useRef(true);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const start = useRef(() => {});
  start.current = () => {
    if (inFlight.current) {
      due.current = true;
      return;
    }
    const { key: sentKey, run: call } = latest.current;
    if (sentKey === null) return;
    inFlight.current = true;
    call()
      .then(
        (value): Answer<T> => ({ value, error: null, key: sentKey }),
        (error: unknown): Answer<T> => ({ value: null, error: toApiError(error), key: sentKey }),
      )
      .then((next) => {
        inFlight.current = false;
        if (!mounted.current) return;
        if (latest.current.key !== null) setAnswer(next);
        if (due.current) {
          due.current = false;
          if (latest.current.key !== sentKey) start.current();
        }
      });
  };

  useEffect(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    if (key === null) {
      setAnswer({ value: null, error: null, key: null });
      return;
    }
    timer.current = setTimeout(() => start.current(), delayMs);
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, [key, delayMs]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  return {
    value: answer.value,
    error: answer.error,
    pending: key !== null && answer.key !== key,
    key: answer.key,
    rerun: () => {
      setAnswer((current) => ({ ...current, key: null }));
      if (timer.current !== null) clearTimeout(timer.current);
      start.current();
    },
  };
}
