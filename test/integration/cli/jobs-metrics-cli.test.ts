import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededLoss, seedMetricsJob } from '../../helpers/metrics-seed';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

describe('lora-studio jobs metrics JOB', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let jobId: string;
  const START = Date.UTC(2026, 2, 1, 12);

  beforeAll(async () => {
    tmp = makeTempDir();
    // Any command creates and migrates the database.
    expect((await runCli(['settings', 'list', '--data-dir', tmp.dir])).code).toBe(0);
    jobId = seedMetricsJob(join(tmp.dir, 'lora-studio.db'), {
      points: 30,
      allMetrics: true,
      startTs: START,
      stepMs: 1000,
      gpus: [0],
    });
  }, 60_000);
  afterAll(() => tmp?.cleanup());

  it('prints every step as a CSV row, one column per metric', async () => {
    const { code, stdout } = await runCli(['jobs', 'metrics', jobId, '--csv', '--data-dir', tmp.dir]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('step,time,eval_loss,learning_rate,loss,tokens_per_s');
    expect(lines).toHaveLength(31);
    const [step, time, evalLoss, lr, loss, tps] = lines[10]!.split(',');
    expect(step).toBe('10');
    expect(time).toBe(new Date(START + 10_000).toISOString());
    expect(Number(evalLoss)).toBeCloseTo(seededLoss(10) + 0.1, 12);
    expect(Number(lr)).toBeCloseTo(2e-4 * (1 - 10 / 30), 15);
    expect(Number(loss)).toBe(seededLoss(10));
    expect(tps).toBe('1510');
    // Steps without an evaluation leave that cell empty.
    expect(lines[1]!.split(',')[2]).toBe('');
  });

  it('writes the CSV to --out and says so, and summarises the series without --csv', async () => {
    const out = join(tmp.dir, 'metrics.csv');
    const written = await runCli([
      'jobs',
      'metrics',
      jobId,
      '--csv',
      '--out',
      out,
      '--json',
      '--data-dir',
      tmp.dir,
    ]);
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ out, rows: 30 });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(
      'step,time,eval_loss,learning_rate,loss,tokens_per_s',
    );

    const summary = await runCli(['jobs', 'metrics', jobId, '--json', '--data-dir', tmp.dir]);
    expect(summary.code).toBe(0);
    const series = JSON.parse(summary.stdout) as Array<{
      metric: string;
      points: number;
      unit: string | null;
    }>;
    expect(series.find((s) => s.metric === 'loss')?.points).toBe(30);
    expect(series.find((s) => s.metric === 'gpu.memory')?.unit).toBe('GiB');
  });

  it('fails with a clear error for an unknown job and without an id', async () => {
    const missing = await runCli(['jobs', 'metrics', 'job_nope', '--csv', '--json', '--data-dir', tmp.dir]);
    expect(missing.code).not.toBe(0);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const usage = await runCli(['jobs', 'metrics', '--data-dir', tmp.dir]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('jobs metrics needs a job ID');
  });
});
