import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  JOB_TRANSITIONS,
  JobTransitionError,
  parseJobStatus,
} from '../../../main/training/job-state';
import { type JobStatus, JobStatusSchema } from '../../../preload/contract';

/** The specification, written out independently of the table it checks. */
const ALLOWED = new Set([
  'queued→starting',
  'queued→cancelled',
  'starting→running',
  'starting→completed',
  'starting→failed',
  'starting→cancelled',
  'starting→interrupted',
  'running→completed',
  'running→failed',
  'running→cancelled',
  'running→interrupted',
  'failed→queued',
  'cancelled→queued',
  'interrupted→queued',
]);

const STATUSES: ReadonlyArray<JobStatus> = JobStatusSchema.options;

describe('job state machine', () => {
  it('covers every status of the contract', () => {
    expect(Object.keys(JOB_TRANSITIONS).sort()).toEqual([...STATUSES].sort());
  });

  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const pair = `${from}→${to}`;
      if (ALLOWED.has(pair)) {
        it(`accepts ${pair}`, () => {
          expect(canTransition(from, to)).toBe(true);
          expect(() => assertTransition('job-1', from, to)).not.toThrow();
        });
      } else {
        it(`refuses ${pair} with a typed CONFLICT error`, () => {
          expect(canTransition(from, to)).toBe(false);
          let caught: unknown;
          try {
            assertTransition('job-1', from, to);
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(JobTransitionError);
          expect(caught).toMatchObject({ code: 'CONFLICT', jobId: 'job-1', from, to });
          expect((caught as Error).message).toContain(`is ${from} and cannot become ${to}`);
        });
      }
    }
  }

  it('has exactly the allowed pairs of the specification (49 pairs checked)', () => {
    const accepted = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(new Set(accepted)).toEqual(ALLOWED);
    expect(STATUSES.length ** 2).toBe(49);
  });

  it('says that a completed job is final', () => {
    expect(() => assertTransition('job-2', 'completed', 'queued')).toThrow(/completed is final/);
  });

  it('reads a stored status and refuses an unknown one', () => {
    expect(parseJobStatus('job-3', 'running')).toBe('running');
    expect(() => parseJobStatus('job-3', 'paused')).toThrow(/unknown status "paused"/);
  });
});
