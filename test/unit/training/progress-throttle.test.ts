import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProgressThrottle } from '../../../main/training/progress-throttle';

afterEach(() => vi.useRealTimers());

describe('progress throttle', () => {
  it('emits at most once per interval and always delivers the newest value', () => {
    vi.useFakeTimers();
    const sent: Array<[number, number]> = [];
    const throttle = new ProgressThrottle<number>(
      (v) => sent.push([Date.now(), v]),
      250,
      () => Date.now(),
    );
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) {
      throttle.push(i);
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(500);
    const gaps = sent.slice(1).map(([t], i) => t - (sent[i] as [number, number])[0]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(250);
    expect(sent[0]).toEqual([t0, 0]);
    expect(sent.at(-1)?.[1]).toBe(999);
    expect(sent.length).toBeLessThanOrEqual(5);
  });

  it('drops what is pending on cancel', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const throttle = new ProgressThrottle<number>(
      (v) => sent.push(v),
      250,
      () => Date.now(),
    );
    throttle.push(1);
    throttle.push(2);
    throttle.cancel();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });
});
