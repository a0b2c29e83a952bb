import { useEffect, useRef } from 'react';

/**
 * Runs `effect` when `trigger` changes, at most once every `intervalMs`: the first change runs it at
 * once, changes inside the window run it once at the window's end (so the last change is never
 * lost). For reads driven by ≤ 4 Hz progress events that need not be that fresh.
 */
export function useThrottledEffect(trigger: unknown, effect: () => void, intervalMs: number): void {
  const effectRef = useRef(effect);
  effectRef.current = effect;
  const lastRun = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `trigger` is what schedules a run
  useEffect(() => {
    if (timer.current !== null) return;
    const run = () => {
      timer.current = null;
      lastRun.current = Date.now();
      effectRef.current();
    };
    const wait = lastRun.current + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer.current = setTimeout(run, wait);
  }, [trigger, intervalMs]);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
}
