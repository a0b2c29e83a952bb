import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CostRecordsRepository } from '../../../db/repositories/cost-records-repository';
import { DatasetRowsRepository, type NewDatasetRow } from '../../../db/repositories/dataset-rows-repository';
import { DatasetsRepository } from '../../../db/repositories/datasets-repository';
import { MetricsRepository } from '../../../db/repositories/metrics-repository';
import { ModelArtifactsRepository } from '../../../db/repositories/model-artifacts-repository';
import { NotificationsRepository } from '../../../db/repositories/notifications-repository';
import { SettingsRepository } from '../../../db/repositories/settings-repository';
import { TrainingJobsRepository } from '../../../db/repositories/training-jobs-repository';
import { createTestDb } from '../../helpers/test-db';

describe('repositories on a real migrated database', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let clock = 1_000;
  const now = () => ++clock;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(() => t.cleanup());

  const dataset = () =>
    new DatasetsRepository(t.db, now).create({
      name: 'alpaca',
      format: 'jsonl',
      shape: 'alpaca',
      status: 'ready',
      sourceName: 'alpaca.jsonl',
    });

  it('settings: writes several keys atomically and reads them back as values', () => {
    const repo = new SettingsRepository(t.db, now);
    repo.setMany([
      ['energy.pricePerKwh', 0.42],
      ['python.path', '/usr/bin/python3'],
    ]);
    repo.setMany([['energy.pricePerKwh', 0.5]]);
    expect(repo.get('energy.pricePerKwh')).toBe(0.5);
    expect(Object.fromEntries(repo.all())).toEqual({
      'energy.pricePerKwh': 0.5,
      'python.path': '/usr/bin/python3',
    });
    expect(repo.get('missing')).toBeUndefined();
  });

  it('notifications: newest first, unread filter, mark read, soft delete', () => {
    const repo = new NotificationsRepository(t.db, now);
    const a = repo.create({ kind: 'job.completed', title: 'Run a finished' });
    const b = repo.create({ kind: 'job.failed', title: 'Run b failed', body: 'CUDA out of memory' });
    expect(repo.list().map((n) => n.id)).toEqual([b.id, a.id]);
    expect(repo.markRead([a.id])).toBe(1);
    expect(repo.list({ unreadOnly: true }).map((n) => n.id)).toEqual([b.id]);
    expect(repo.markRead()).toBe(1);
    expect(repo.markRead()).toBe(0);
    expect(repo.softDelete(a.id)).toBe(true);
    expect(repo.softDelete(a.id)).toBe(false);
    expect(repo.list().map((n) => n.id)).toEqual([b.id]);
  });

  it('datasets: create, update, list, versions numbered per dataset, soft delete', () => {
    const repo = new DatasetsRepository(t.db, now);
    const ds = dataset();
    expect(repo.update(ds.id, { rowCount: 10, validCount: 9, invalidCount: 1 })?.rowCount).toBe(10);
    const v1 = repo.addVersion({
      datasetId: ds.id,
      filePath: `datasets/${ds.id}/v1.jsonl`,
      sha256: 'a'.repeat(64),
      sizeBytes: 100,
      rowCount: 9,
      trainCount: 8,
      valCount: 1,
    });
    const v2 = repo.addVersion({ ...v1, id: undefined, version: undefined, sha256: 'b'.repeat(64) } as never);
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(repo.versions(ds.id).map((v) => v.version)).toEqual([2, 1]);
    expect(repo.list()).toHaveLength(1);
    expect(repo.softDelete(ds.id)).toBe(true);
    expect(repo.get(ds.id)).toBeUndefined();
    expect(repo.list()).toHaveLength(0);
  });

  it('dataset rows: a batch is inserted whole, or not at all', () => {
    const ds = dataset();
    const repo = new DatasetRowsRepository(t.db, t.sqlite, now);
    const row = (i: number): NewDatasetRow => ({
      rowIndex: i,
      lineNumber: i + 1,
      originalJson: '{}',
      canonicalJson: '{"text":"x"}',
      valid: true,
      problemsJson: '[]',
      charLength: 1,
      turns: 0,
      contentHash: Buffer.from(`h${i}`),
    });
    repo.insertBatch(ds.id, [row(0), row(1), row(2)]);
    // Row index 1 again violates the unique position index: the whole batch must roll back.
    expect(() => repo.insertBatch(ds.id, [row(3), row(1)])).toThrow();
    expect(repo.count(ds.id)).toBe(3);
    expect(repo.page(ds.id, 0, 10).map((r) => r.rowIndex)).toEqual([1, 2]);
  });

  it('training jobs, metrics, artifacts and costs hang together', () => {
    const jobs = new TrainingJobsRepository(t.db, t.sqlite, now);
    const queued = (id: string, name: string) =>
      jobs.insertQueued({
        id,
        name,
        datasetVersionId: null,
        baseModelPath: '/models/tiny',
        configJson: '{}',
        reproducibilityJson: '{}',
        gpuIndices: [],
        runDir: `runs/${id}`,
        queuedAt: now(),
      });
    const job = queued('job_a', 'first run');
    const second = queued('job_b', 'second');
    expect(jobs.byStatus(['queued']).map((j) => j.id)).toEqual([job.id, second.id]);
    expect(jobs.claimForStart(job.id)).toBe(true);
    expect(jobs.get(job.id)?.status).toBe('starting');
    expect(jobs.byStatus(['queued']).map((j) => j.id)).toEqual([second.id]);

    const metrics = new MetricsRepository(t.db, t.sqlite, now);
    metrics.insertBatch(job.id, [
      { name: 'loss', step: 1, value: 2.5, ts: 1 },
      { name: 'loss', step: 2, value: 2.1, ts: 2 },
    ]);
    // Re-reading the same events after a restart must not duplicate a step.
    metrics.insertBatch(job.id, [{ name: 'loss', step: 2, value: 2.0, ts: 3 }]);
    expect(metrics.series(job.id, 'loss').map((p) => [p.step, p.value])).toEqual([
      [1, 2.5],
      [2, 2.0],
    ]);

    const artifacts = new ModelArtifactsRepository(t.db, now);
    const adapter = artifacts.create({
      jobId: job.id,
      kind: 'adapter',
      name: 'first run',
      path: 'runs/x/adapter',
      sizeBytes: 42,
    });
    expect(artifacts.byJob(job.id).map((a) => a.id)).toEqual([adapter.id]);

    const costs = new CostRecordsRepository(t.db, now);
    costs.upsert({
      jobId: job.id,
      energyWh: 10,
      gpuHours: 0.1,
      pricePerKwh: 0.3,
      currency: 'EUR',
      cost: 0.003,
    });
    costs.upsert({
      jobId: job.id,
      energyWh: 20,
      gpuHours: 0.2,
      pricePerKwh: 0.3,
      currency: 'EUR',
      cost: 0.006,
    });
    expect(costs.list()).toHaveLength(1);
    expect(costs.byJob(job.id)?.energyWh).toBe(20);
  });

  it('enforces foreign keys', () => {
    const metrics = new MetricsRepository(t.db, t.sqlite, now);
    expect(() => metrics.insertBatch('no-such-job', [{ name: 'loss', step: 1, value: 1, ts: 1 }])).toThrow(
      /FOREIGN KEY/,
    );
  });
});
