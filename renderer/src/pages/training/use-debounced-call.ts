import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';

/** The state of a debounced request: the last answer, its error, and whether a newer one is due. */
export interface DebouncedCall<T> {
  readonly value: T | null;
  readonly error: ApiError | null;
  /** True from the moment the input changes until its answer (or error) is in. */
  readonly pending: boolean;
  /** The key the current value or error answers. */
  readonly key: string | null;
  /** Runs the call again now for the current input. */
  readonly rerun: () => void;
}

/**
 * Calls `run` `delayMs` after its input (`key`, e.g. the JSON of the request) stops changing, and
 * keeps only the answer to the latest input. A `null` key clears the state and calls nothing.
 */
export function useDebouncedCall<T>(
  key: string | null,
  run: () => Promise<T>,
  delayMs: number,
): DebouncedCall<T> {
  const [state, setState] = useState<{ value: T | null; error: ApiError | null; key: string | null }>({
    value: null,
    error: null,
    key: null,
  });
  const [nonce, setNonce] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;
  const generation = useRef(0);
  const immediate = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: nonce is the trigger of `rerun`
  useEffect(() => {
    generation.current += 1;
    const mine = generation.current;
    if (key === null) {
      setState({ value: null, error: null, key: null });
      return;
    }
    const timer = setTimeout(
      () => {
        runRef.current().then(
          (value) => {
            if (mine === generation.current) setState({ value, error: null, key });
          },
          (error: unknown) => {
            if (mine === generation.current) setState({ value: null, error: toApiError(error), key });
          },
        );
      },
      immediate.current ? 0 : delayMs,
    );
    immediate.current = false;
    return () => clearTimeout(timer);
  }, [key, delayMs, nonce]);

  return {
    value: state.value,
    error: state.error,
    pending: key !== null && state.key !== key,
    key: state.key,
    rerun: () => {
      immediate.current = true;
      setState((current) => ({ ...current, key: null }));
      setNonce((n) => n + 1);
    },
  };
}
