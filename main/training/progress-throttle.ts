/**
 * Keeps a stream of updates to at most one emit per interval (≤ 4 Hz at 250 ms): the first update
 * goes out at once, later ones within the interval are coalesced and the newest is sent when the
 * interval ends, so the last state is never dropped.
 */
export class ProgressThrottle<T> {
  private lastEmit = Number.NEGATIVE_INFINITY;
  private pending: { value: T } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (value: T) => void,
    private readonly intervalMs = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Offer a new value. */
  push(value: T): void {
    const wait = this.lastEmit + this.intervalMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.send(value);
      return;
    }
    this.pending = { value };
    if (!this.timer) {
      this.timer = setTimeout(() => this.fire(), Math.max(0, wait));
      this.timer.unref();
    }
  }

  private fire(): void {
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.send(pending.value);
  }

  private send(value: T): void {
    this.lastEmit = this.now();
    this.emit(value);
  }

  /** Drop anything pending (the job ended; its final state goes out as a `changed` event). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }
}
