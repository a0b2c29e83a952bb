import { afterEach, describe, expect, it } from 'vitest';
import { GpuSamplesRepository } from '../../../db/repositories/gpu-samples-repository';
import { TrainingJobsRepository } from '../../../db/repositories/training-jobs-repository';
import { GpuSampleRecorder } from '../../../main/telemetry/gpu-sample-recorder';
import type { GpuSample, GpuStatus } from '../../../preload/contract';
import { createTestDb } from '../../helpers/test-db';

type TestDb = Awaited<ReturnType<typeof createTestDb>>;

function gpu(index: number, powerDrawW: number): GpuSample {
  return {
    index,
    name: 'NVIDIA H100 80GB HBM3',
    uuid: `GPU-${index}`,
    utilizationPct: 90,
    memoryUsedMb: 40_000,
    memoryTotalMb: 81_559,
    temperatureC: 61,
    powerDrawW,
    powerLimitW: 700,
    smClockMhz: 1980,
    memClockMhz: 2619,
    fanPct: null,
  };
}

function status(sampledAt: number, gpus: GpuSample[]): GpuStatus {
  return { state: 'ok', message: null, gpus, sampledAt, processes: [] };
}

describe('GPU samples per job', () => {
  let db: TestDb | null = null;
  afterEach(() => {
    db?.cleanup();
    db = null;
  });

  async function setUp() {
    db = await createTestDb();
    const jobs = new TrainingJobsRepository(db.db, db.sqlite);
    let n = 0;
    const job = (gpuIndices: number[]) =>
      jobs.insertQueued({
        id: `job_${++n}`,
        name: 'j',
        datasetVersionId: null,
        baseModelPath: '/m',
        configJson: '{}',
        reproducibilityJson: '{}',
        gpuIndices,
        runDir: `runs/job_${n}`,
        queuedAt: 0,
      });
    const samples = new GpuSamplesRepository(db.sqlite);
    return { jobs, job, samples };
  }

  it('stores each running job only the samples of its own GPUs, at most once per interval', async () => {
    const { job, samples } = await setUp();
    const onGpu1 = job([1]);
    const onBoth = job([0, 1]);
    const onCpu = job([]);
    const running = [onGpu1, onBoth, onCpu].map((j) => ({
      id: j.id,
      gpuIndices: JSON.parse(j.gpuIndicesJson),
    }));
    const recorder = new GpuSampleRecorder({ samples, runningJobs: () => running, minIntervalMs: 900 });

    expect(recorder.record(status(1_000, [gpu(0, 300), gpu(1, 350)]))).toBe(3);
    expect(recorder.record(status(1_500, [gpu(0, 310), gpu(1, 360)]))).toBe(0); // too soon
    expect(recorder.record(status(2_000, [gpu(0, 320), gpu(1, 370)]))).toBe(3);

    expect(samples.forJob(onGpu1.id).map((s) => [s.gpuIndex, s.ts, s.powerDrawW])).toEqual([
      [1, 1_000, 350],
      [1, 2_000, 370],
    ]);
    expect(samples.forJob(onBoth.id).map((s) => [s.gpuIndex, s.ts])).toEqual([
      [0, 1_000],
      [0, 2_000],
      [1, 1_000],
      [1, 2_000],
    ]);
    expect(samples.forJob(onCpu.id)).toEqual([]);
    expect(samples.forJob(onBoth.id, { fromTs: 1_500, toTs: 2_500 })).toHaveLength(2);
  });

  it('stores nothing while no job runs or the monitor has no sample', async () => {
    const { job, samples } = await setUp();
    const j = job([0]);
    let running: { id: string; gpuIndices: number[] }[] = [];
    const recorder = new GpuSampleRecorder({ samples, runningJobs: () => running });
    expect(recorder.record(status(1_000, [gpu(0, 300)]))).toBe(0);
    running = [{ id: j.id, gpuIndices: [0] }];
    expect(
      recorder.record({ state: 'starting', message: null, gpus: [], sampledAt: null, processes: [] }),
    ).toBe(0);
    expect(
      recorder.record({
        state: 'no-gpu',
        message: 'No devices were found',
        gpus: [],
        sampledAt: 5,
        processes: [],
      }),
    ).toBe(0);
    expect(recorder.record(status(2_000, [gpu(0, 300)]))).toBe(1);
    expect(samples.forJob(j.id)).toHaveLength(1);
  });
});
