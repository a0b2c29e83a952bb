import type { GpuSample } from '../../preload/contract';

/**
 * Groups the per-GPU lines of a looping `nvidia-smi --query-gpu` stream into whole samples: the lines
 * of one tick come in index order, so an index at or below the last one seen starts the next tick.
 * A quiet period ends the last tick (the caller times it and calls `flush`).
 */
export class SampleAssembler {
  private pending: GpuSample[] = [];

  /** Add one GPU line; returns the previous tick's GPUs when this line starts a new tick. */
  push(gpu: GpuSample): readonly GpuSample[] | null {
    const last = this.pending.at(-1);
    const completed = last !== undefined && gpu.index <= last.index ? this.flush() : null;
    this.pending.push(gpu);
    return completed;
  }

  /** End the current tick; returns its GPUs, or null when none are pending. */
  flush(): readonly GpuSample[] | null {
    if (this.pending.length === 0) return null;
    const completed = this.pending;
    this.pending = [];
    return completed;
  }

  /** Whether lines of an unfinished tick are waiting. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }
}
