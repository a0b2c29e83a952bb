import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MetricsRepository } from '../../../db/repositories/metrics-repository';
import { TrainingJobsRepository } from '../../../db/repositories/training-jobs-repository';
import { JobTransitionError } from '../../../main/training/job-state';
import { createTestDb } from '../../helpers/test-db';

const PROGRESS = { offset: 120, lastSeq: 4, step: 3, maxSteps: 10, progress: 0.3, etaSeconds: 7 };

describe('TrainingJobsRepository: the one writer of job rows', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let jobs: TrainingJobsRepository;
  let clock = 1_000;
  const now = () => ++clock;
  beforeEach(async () => {
    t = await createTestDb();
    jobs = new TrainingJobsRepository(t.db, t.sqlite, now);
  });
  afterEach(() => t.cleanup());

  const queue = (id: string) =>
    jobs.insertQueued({
      id,
      name: id,
      datasetVersionId: null,
      baseModelPath: '/models/tiny',
      configJson: '{}',
      reproducibilityJson: '{}',
      gpuIndices: [1],
      runDir: `runs/${id}`,
      queuedAt: now(),
    });
  const statusOf = (id: string) =>
    (t.sqlite.prepare('SELECT status FROM training_jobs WHERE id = ?').get(id) as { status: string }).status;

  it('walks a job through queued → starting → running → completed, writing what each step owns', () => {
    const row = queue('job_1');
    expect(row).toMatchObject({ status: 'queued', gpuIndicesJson: '[1]', pid: null });
    expect(jobs.claimForStart('job_1')).toBe(true);
    jobs.recordProcess('job_1', { pid: 4242, processStartTime: 77, startedAt: 2_000 });
    jobs.recordProgress('job_1', 'starting', 'running', PROGRESS, [
      { name: 'loss', step: 3, value: 1.5, ts: 1 },
    ]);
    expect(jobs.get('job_1')).toMatchObject({
      status: 'running',
      pid: 4242,
      processStartTime: 77,
      eventsOffset: 120,
      lastSeq: 4,
      step: 3,
      progress: 0.3,
    });
    expect(new MetricsRepository(t.db, t.sqlite).lastValue('job_1', 'loss')).toBe(1.5);
    const done = jobs.finish('job_1', {
      status: 'completed',
      step: 10,
      progress: 1,
      exitCode: 0,
      exitSignal: null,
      error: null,
      finishedAt: 3_000,
    });
    expect(done).toMatchObject({ status: 'completed', step: 10, etaSeconds: null, finishedAt: 3_000 });
  });

  it('loses a race cleanly: a job cancelled while queued is not claimed, and a started one is not cancelled', () => {
    queue('job_2');
    expect(jobs.cancelQueued('job_2', 5)).toBe(true);
    expect(jobs.claimForStart('job_2')).toBe(false);
    expect(statusOf('job_2')).toBe('cancelled');
    queue('job_3');
    expect(jobs.claimForStart('job_3')).toBe(true);
    expect(jobs.cancelQueued('job_3', 6)).toBe(false);
    expect(statusOf('job_3')).toBe('starting');
  });

  it('refuses an illegal status change with a typed error and writes nothing of it', () => {
    queue('job_4');
    expect(() =>
      jobs.finish('job_4', {
        status: 'completed',
        step: 1,
        progress: 1,
        exitCode: 0,
        exitSignal: null,
        error: null,
        finishedAt: 9,
      }),
    ).toThrow(JobTransitionError);
    expect(jobs.get('job_4')).toMatchObject({ status: 'queued', step: 0, finishedAt: null });
    // A metric batch whose status change is illegal rolls back with it.
    expect(() =>
      jobs.recordProgress('job_4', 'queued', 'running', PROGRESS, [
        { name: 'loss', step: 1, value: 2, ts: 1 },
      ]),
    ).toThrow(/is queued and cannot become running/);
    expect(new MetricsRepository(t.db, t.sqlite).series('job_4', 'loss')).toEqual([]);
    expect(jobs.get('job_4')?.eventsOffset).toBe(0);
  });

  it('resumes only a failed, cancelled or interrupted job as its next attempt, clearing its last process', () => {
    queue('job_5');
    jobs.claimForStart('job_5');
    jobs.recordProcess('job_5', { pid: 1, processStartTime: 2, startedAt: 3 });
    expect(jobs.get('job_5')).toMatchObject({ attempt: 1, earlierAttemptsMs: 0 });
    expect(() => jobs.requeueForResume('job_5', '{"resume":1}', 10)).toThrow(JobTransitionError);
    jobs.finish('job_5', {
      status: 'interrupted',
      step: 4,
      progress: 0.4,
      exitCode: null,
      exitSignal: null,
      error: 'the app was down',
      finishedAt: 11,
    });
    const resumed = jobs.requeueForResume('job_5', '{"resume":1}', 12);
    expect(resumed).toMatchObject({
      status: 'queued',
      configJson: '{"resume":1}',
      queuedAt: 12,
      pid: null,
      processStartTime: null,
      error: null,
      finishedAt: null,
      step: 4,
      attempt: 2,
      earlierAttemptsMs: 8, // started at 3, finished at 11
      startedAt: null,
    });
  });
});
