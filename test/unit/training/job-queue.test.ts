import { describe, expect, it } from 'vitest';
import type { TrainingJobRow } from '../../../db/repositories/training-jobs-repository';
import { gpuIndicesOf, gpuSetsConflict, pickStartable } from '../../../main/training/job-queue';

const job = (id: string, gpus: number[]) => ({ id, gpuIndicesJson: JSON.stringify(gpus) }) as TrainingJobRow;

describe('job queue scheduling', () => {
  it('treats intersecting GPU sets, and CPU with CPU, as conflicts', () => {
    expect(gpuSetsConflict([0], [0, 1])).toBe(true);
    expect(gpuSetsConflict([0], [1])).toBe(false);
    expect(gpuSetsConflict([], [])).toBe(true);
    expect(gpuSetsConflict([], [0])).toBe(false);
  });

  it('starts what fits, in queue order, and lets a waiting job reserve its GPUs', () => {
    const queued = [job('a', [0, 1]), job('b', [1]), job('c', [2]), job('d', []), job('e', [])];
    // GPU 0 busy: a waits and reserves 0 and 1, so b may not jump ahead of it; c and d start.
    expect(pickStartable(queued, [[0]]).map((j) => j.id)).toEqual(['c', 'd']);
    expect(pickStartable(queued, []).map((j) => j.id)).toEqual(['a', 'c', 'd']);
  });

  it('reads malformed GPU lists as CPU', () => {
    expect(gpuIndicesOf({ gpuIndicesJson: 'nope' })).toEqual([]);
    expect(gpuIndicesOf({ gpuIndicesJson: '[0,"x",-1,2]' })).toEqual([0, 2]);
  });
});
