import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTO_FREEZE_NOTE } from '../../../main/training/resolve-dataset-version';
import type { DatasetDetail, JobDetail, JobSummary, PreflightResult } from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { waitFor } from '../../helpers/temp-dir';

type LibraryCore = Awaited<ReturnType<typeof createLibraryCore>>;

/** Import the shipped sample through the api and wait for its dataset id. */
async function importSample(h: LibraryCore): Promise<string> {
  const { taskId } = await call<{ taskId: string }>(h.core, 'datasets.importSample', {});
  return waitFor(
    async () => {
      const task = await call<{ state: string; resultId: string | null }>(h.core, 'tasks.get', { taskId });
      if (task.state === 'running') return null;
      if (task.state !== 'completed' || task.resultId === null) throw new Error(`import ${task.state}`);
      return task.resultId;
    },
    { what: 'the sample import' },
  );
}

describe('a job from a dataset never frozen freezes it (no "freeze it first")', () => {
  let h: LibraryCore;
  beforeEach(async () => {
    h = await createLibraryCore();
  });
  afterEach(() => h.close());

  const request = (datasetId: string) => ({
    datasetVersionId: datasetId,
    modelPath: h.modelDir,
    gpuIndices: [0],
    settings: { max_steps: 3, save_steps: 10, eval_steps: 10, logging_steps: 1, max_seq_len: 128 },
  });

  it('writes version 1 once (preflight and create racing), notes it on the job and the version', async () => {
    const datasetId = await importSample(h);
    const [preflight, job] = await Promise.all([
      call<PreflightResult>(h.core, 'jobs.preflight', request(datasetId)),
      call<JobSummary>(h.core, 'jobs.create', request(datasetId)),
    ]);
    expect(preflight.checks.find((c) => c.id === 'dataset')?.verdict).not.toBe('fail');

    const dataset = await call<DatasetDetail>(h.core, 'datasets.get', { id: datasetId });
    expect(dataset.versionList).toHaveLength(1);
    const [v1] = dataset.versionList;
    expect(v1).toMatchObject({ version: 1, rows: 250, note: AUTO_FREEZE_NOTE });
    expect(job.datasetVersionId).toBe(v1?.id);

    const detail = await call<JobDetail>(h.core, 'jobs.get', { id: job.id });
    expect(detail.timeline[0]?.note).toMatch(/dataset frozen automatically as version 1 \(250 rows\)/);

    // The next job trains on the same version: nothing changed, nothing new is frozen.
    const second = await call<JobSummary>(h.core, 'jobs.create', request(datasetId));
    expect(second.datasetVersionId).toBe(v1?.id);
    // Asked by version id, the job says nothing of how the version came to be.
    const third = await call<JobSummary>(h.core, 'jobs.create', request(v1?.id ?? ''));
    const thirdDetail = await call<JobDetail>(h.core, 'jobs.get', { id: third.id });
    expect(thirdDetail.timeline[0]?.note ?? '').not.toMatch(/frozen automatically/);
    expect((await call<DatasetDetail>(h.core, 'datasets.get', { id: datasetId })).versionList).toHaveLength(
      1,
    );
  });

  it('still refuses an unknown id with NOT_FOUND and freezes nothing', async () => {
    const result = await h.core.api.invoke('jobs.create', request('ds_nope'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('NOT_FOUND');
  });
});
