/**
 * Wraps a loader so that only the answer to the most recent call is applied: refetches triggered by
 * bursts of `changed` events may come back out of order, and an older answer must not win.
 */
export function keepLatest<T>(
  load: () => Promise<T>,
  apply: (value: T) => void,
  fail: (error: unknown) => void,
): () => Promise<void> {
  let generation = 0;
  return async () => {
    generation += 1;
    const mine = generation;
    try {
      const value = await load();
      if (mine === generation) apply(value);
    } catch (error) {
      if (mine === generation) fail(error);
    }
  };
}
