import { describe, expect, it } from 'vitest';
import type { TrainingJobRow } from '../../../db/repositories/training-jobs-repository';
import { jobEndNotification, OOM_ADVICE } from '../../../main/notify/job-notification';
import { inQuietHours } from '../../../main/notify/quiet-hours';

const at = (h: number, m: number) => new Date(2026, 11, 1, h, m).getTime();

describe('quiet hours', () => {
  it('covers a window across midnight', () => {
    const q = { start: '22:00', end: '07:00' };
    expect(inQuietHours(at(23, 30), q)).toBe(true);
    expect(inQuietHours(at(6, 59), q)).toBe(true);
    expect(inQuietHours(at(7, 0), q)).toBe(false);
    expect(inQuietHours(at(12, 0), q)).toBe(false);
  });

  it('covers a window within a day, and none when unset or empty', () => {
    expect(inQuietHours(at(13, 0), { start: '12:00', end: '14:00' })).toBe(true);
    expect(inQuietHours(at(14, 0), { start: '12:00', end: '14:00' })).toBe(false);
    expect(inQuietHours(at(13, 0), null)).toBe(false);
    expect(inQuietHours(at(13, 0), { start: '09:00', end: '09:00' })).toBe(false);
  });
});

const job = {
  id: 'job_1',
  name: 'alpaca r16',
  startedAt: 1_000,
  finishedAt: 1_000 + 3_725_000,
  createdAt: 500,
} as TrainingJobRow;

describe('the notification of a run that ended', () => {
  it('names the run, its duration, final loss and cost', () => {
    const n = jobEndNotification(
      { job, status: 'completed', reason: null, note: 'finished at step 500', oom: false, artifactId: 'a' },
      {
        finalLoss: 1.23456,
        cost: { energyWh: 812.4, cost: 0.24, currency: 'EUR' } as never,
      },
    );
    expect(n).toMatchObject({
      kind: 'job.completed',
      title: 'Training finished: alpaca r16',
      jobId: 'job_1',
    });
    expect(n.body).toBe('Finished at step 500\nRan 1 h 02 min · final loss 1.2346 · 812.4 Wh, 0.24 EUR.');
    expect(n.eventKey).toBe('job:job_1:completed:1000');
  });

  it('gives the first line of a failure and OOM advice when the error says so', () => {
    const n = jobEndNotification(
      {
        job,
        status: 'failed',
        reason: 'RuntimeError: CUDA out of memory. Tried to allocate (exited with code 1)\n\nstderr…',
        note: null,
        oom: false,
        artifactId: null,
      },
      { finalLoss: null, cost: null },
    );
    expect(n.body?.split('\n').slice(0, 2)).toEqual([
      'RuntimeError: CUDA out of memory. Tried to allocate (exited with code 1)',
      OOM_ADVICE,
    ]);
    const plain = jobEndNotification(
      { job, status: 'failed', reason: 'RuntimeError: boom', note: null, oom: false, artifactId: null },
      { finalLoss: null, cost: null },
    );
    expect(plain.body).not.toContain('QLoRA');
  });
});
