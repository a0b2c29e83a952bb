import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationsRepository } from '../../../db/repositories/notifications-repository';
import { TrainingJobsRepository } from '../../../db/repositories/training-jobs-repository';
import { databaseFile } from '../../../main/paths';
import { isPidAlive, processStartTime } from '../../../main/training/process-info';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';
import { createHarness, emittedLogSteps, type Harness, storedSteps } from '../../helpers/training-harness';

const DRIVER = resolve(import.meta.dirname, '..', '..', 'fixtures', 'training-driver.ts');
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** What the driver adds to its job: fixture environment and job settings. */
interface DriverExtra {
  readonly env?: Readonly<Record<string, string>>;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Start the driver (an app holding a running job); resolve with it and the job id. */
function startDriver(
  dataDir: string,
  maxSteps: number,
  stepMs: number,
  extra: DriverExtra = {},
): Promise<{ child: ChildProcess; id: string }> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', DRIVER, dataDir, 'ok.mjs', String(maxSteps), String(stepMs), JSON.stringify(extra)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => {
      err += d;
    });
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /JOB (\S+)\n/.exec(out);
      if (m) res({ child, id: m[1] as string });
    });
    child.on('exit', (code) => rej(new Error(`driver exited (${code}) before creating a job: ${err}`)));
  });
}

/** Kill the driver once it has stored `afterSteps` steps of a running job (as the app shows them). */
async function killDriverMidRun(
  dataDir: string,
  maxSteps: number,
  stepMs: number,
  afterSteps: number,
  extra: DriverExtra = {},
) {
  const { child, id } = await startDriver(dataDir, maxSteps, stepMs, extra);
  const runDir = join(dataDir, 'runs', id);
  const db = new Database(databaseFile(dataDir), { readonly: true });
  try {
    await waitFor(
      () => {
        const row = db.prepare('SELECT status, step FROM training_jobs WHERE id = ?').get(id) as
          | { status: string; step: number }
          | undefined;
        return row?.status === 'running' && row.step >= afterSteps;
      },
      { timeoutMs: 15_000, what: 'stored steps before the kill' },
    );
  } finally {
    db.close();
  }
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
  return { id, runDir };
}

function jobStatus(h: Harness, id: string) {
  return h.service.list().find((j) => j.id === id);
}

describe('PROC-reattach', () => {
  it('re-attaches to a run after the app is killed with -9: shown running at once, 0 lost or duplicated steps', async () => {
    const tmp = makeTempDir('lora-reattach-');
    cleanups.push(() => tmp.cleanup());
    const { id, runDir } = await killDriverMidRun(tmp.dir, 150, 20, 10);
    const h = await createHarness({ dataDir: tmp.dir, fixture: 'ok.mjs' });
    cleanups.push(() => h.close());
    const row = new TrainingJobsRepository(h.opened.db, h.opened.sqlite).get(id);
    expect(row?.status).toBe('running');
    expect(await isPidAlive(row?.pid as number)).toBe(true); // the trainer outlived its app

    const t0 = performance.now();
    await h.service.start();
    const shown = await waitFor(() => jobStatus(h, id)?.status === 'running' && jobStatus(h, id), {
      timeoutMs: 2000,
    });
    const shownMs = performance.now() - t0;
    expect(shown.step).toBeGreaterThanOrEqual(10);
    const done = await waitFor(
      () =>
        ['completed', 'failed', 'interrupted'].includes(jobStatus(h, id)?.status ?? '') && jobStatus(h, id),
      { timeoutMs: 20_000, what: 'the re-attached job to finish' },
    );
    expect(done.status).toBe('completed');
    const emitted = emittedLogSteps(runDir);
    expect(new Set(emitted).size).toBe(emitted.length);
    expect(emitted).toHaveLength(150);
    expect(storedSteps(h.opened, id)).toEqual(emitted);
    // Each point written exactly once: re-reading from offset 0 would have upserted (updated_at moves).
    const rewritten = h.opened.sqlite
      .prepare('SELECT COUNT(*) AS n FROM metrics_points WHERE job_id = ? AND updated_at != created_at')
      .get(id) as { n: number };
    expect(rewritten.n).toBe(0);
    const detail = await h.service.get(id);
    expect(detail.exitCode).toBeNull(); // not our child: the exit code is unknown after re-attach
    console.log(
      `PROC-reattach: shown running ${shownMs.toFixed(0)} ms after start(); ${emitted.length} steps, 0 lost/duplicated`,
    );
  });

  it('finishes a run that completed while the app was down, from its events', async () => {
    const tmp = makeTempDir('lora-reattach-');
    cleanups.push(() => tmp.cleanup());
    const { id, runDir } = await killDriverMidRun(tmp.dir, 80, 10, 5);
    await waitFor(() => readFileSync(join(runDir, 'events.jsonl'), 'utf8').includes('"type":"done"'), {
      timeoutMs: 10_000,
    });
    const h = await createHarness({ dataDir: tmp.dir });
    cleanups.push(() => h.close());
    const row = new TrainingJobsRepository(h.opened.db, h.opened.sqlite).get(id);
    expect(row?.status).toBe('running'); // the killed app never saw the end
    expect(row?.step).toBeLessThan(80);
    await waitFor(async () => !(await isPidAlive(row?.pid as number)), { what: 'the trainer to exit' });
    await h.service.start();
    expect(jobStatus(h, id)?.status).toBe('completed');
    expect(storedSteps(h.opened, id)).toEqual(emittedLogSteps(runDir));
  });

  it('counts a NaN streak across a re-attach: stop_after_nan_steps stops the run at the right step', async () => {
    const tmp = makeTempDir('lora-reattach-');
    cleanups.push(() => tmp.cleanup());
    // NaN from step 3, limit 8: the run must stop at step 10. The trainer holds at step 6 (a NaN
    // streak of 4 stored) while the app is killed, and goes on once the next app has re-attached.
    const { id, runDir } = await killDriverMidRun(tmp.dir, 60, 20, 6, {
      env: { FIXTURE_NAN_FROM: '3', FIXTURE_HOLD_AT: '6' },
      settings: { stop_after_nan_steps: 8 },
    });
    const h = await createHarness({ dataDir: tmp.dir, fixture: 'ok.mjs' });
    cleanups.push(() => h.close());
    const before = new TrainingJobsRepository(h.opened.db, h.opened.sqlite).get(id);
    expect([before?.status, before?.step]).toEqual(['running', 6]);
    await h.service.start();
    await waitFor(() => jobStatus(h, id)?.status === 'running', { timeoutMs: 10_000 });
    writeFileSync(join(runDir, 'release'), ''); // the trainer goes on, watched by the re-attached app
    const done = await waitFor(
      () =>
        ['completed', 'failed', 'cancelled', 'interrupted'].includes(jobStatus(h, id)?.status ?? '') &&
        jobStatus(h, id),
      { timeoutMs: 20_000, what: 'the re-attached job to stop' },
    );
    const detail = await h.service.get(id);
    expect(done.status).toBe('failed');
    // A counter that restarted at the re-attach would have stopped at step 14 (8 NaN steps after 6).
    expect(detail.error?.split('\n')[0]).toBe(
      'the loss was NaN for 8 consecutive logged steps (stop_after_nan_steps = 8); stopped at step 10',
    );
    expect(detail.step).toBeLessThan(60);
    // One warning for the one streak, written by the first app: the re-attached one knew it was on.
    expect(detail.timeline.filter((e) => e.status === 'warning')).toHaveLength(1);
  });

  it('marks a stale record interrupted, and never signals a pid that now belongs to another process', async () => {
    const h = await createHarness({ isPrimary: false });
    cleanups.push(() => h.close());
    const marker = join(h.dataDir, 'signalled');
    const stranger = spawn(
      process.execPath,
      [
        '-e',
        `process.on('SIGTERM',()=>require('fs').writeFileSync(${JSON.stringify(marker)},'x'));setInterval(()=>{},1000)`,
      ],
      { stdio: 'ignore' },
    );
    cleanups.push(() => stranger.kill('SIGKILL'));
    const strangerStart = await waitFor(() => processStartTime(stranger.pid as number));
    const reused = await h.service.create(h.request());
    const vanished = await h.service.create(h.request());
    // What a killed app leaves behind, written straight into the file (no code path does this).
    const leave = h.opened.sqlite.prepare(
      'UPDATE training_jobs SET status = ?, pid = ?, process_start_time = ? WHERE id = ?',
    );
    // Same pid, different start time: the pid was reused by an unrelated process.
    leave.run('running', stranger.pid, strangerStart - 60_000, reused.id);
    leave.run('starting', 999_999, 1, vanished.id);

    await h.restart({ isPrimary: true });
    await h.service.start();
    for (const id of [reused.id, vanished.id]) {
      const detail = await h.service.get(id);
      expect(detail.status).toBe('interrupted');
      expect(detail.error).toContain('resume from the last checkpoint');
    }
    // One notification per interrupted run, and a further restart adds none.
    const interrupted = () =>
      new NotificationsRepository(h.opened.db).list({ kinds: ['job.interrupted'] }).map((n) => n.jobId);
    expect(interrupted().sort()).toEqual([reused.id, vanished.id].sort());
    await h.restart({ isPrimary: true });
    await h.service.start();
    expect(interrupted()).toHaveLength(2);
    await h.service.cancel(reused.id).catch(() => undefined); // not active any more: refused, nothing signalled
    expect(await isPidAlive(stranger.pid as number)).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});
