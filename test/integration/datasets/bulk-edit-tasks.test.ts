/**
 * Bulk edits (delete, tag, split) run as tasks through the core's API: progress events in rows
 * that reach the total, and a cancel between slices that keeps what was written and says how many
 * rows that was.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import { BULK_EDIT_SLICE_ROWS } from '../../../main/datasets/curation/bulk-edit';
import { formatCount } from '../../../main/datasets/readers/source-record';
import type { ApiError, PushedEvent } from '../../../preload/contract';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

const ROWS = 3_500;
/** What a bulk edit has written when it is cancelled on its first progress event. */
const FIRST_SLICE = BULK_EDIT_SLICE_ROWS;

let tmp: ReturnType<typeof makeTempDir>;
let core: Core;
let events: PushedEvent[];
let id: string;

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = await core.api.invoke(channel as never, input as never);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

async function failure(channel: string, input: unknown): Promise<ApiError> {
  const result = await core.api.invoke(channel as never, input as never);
  if (result.ok) throw new Error(`${channel} succeeded: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Progress events of a task kind, as `{ done, total }`. */
const progressOf = (kind: string) =>
  events.flatMap((e) =>
    e.name === 'progress' && e.payload.kind === kind
      ? [{ done: e.payload.done, total: e.payload.total }]
      : [],
  );

/** Cancel the first task of `kind` as soon as it reports progress. */
function cancelOnFirstProgress(kind: string): void {
  let sent = false;
  core.events.subscribe((e) => {
    if (sent || e.name !== 'progress' || e.payload.kind !== kind) return;
    sent = true;
    void core.api.invoke('tasks.cancel', { taskId: e.payload.taskId });
  });
}

const count = (filter: Record<string, unknown>) =>
  call<{ total: number }>('datasets.count', { id, filter }).then((r) => r.total);

beforeEach(async () => {
  tmp = makeTempDir();
  core = await createCore({ dataDir: join(tmp.dir, 'data'), shell: 'test' });
  events = [];
  core.events.subscribe((e) => events.push(e));
  const path = join(tmp.dir, 'chat.jsonl');
  const line = (i: number) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `question ${i}` },
        { role: 'assistant', content: `answer ${i}` },
      ],
    });
  writeFileSync(path, Array.from({ length: ROWS }, (_, i) => line(i)).join('\n'));
  const { taskId } = await call<{ taskId: string }>('datasets.import', { path });
  const done = await waitFor(() => events.find((e) => e.name === 'task' && e.payload.taskId === taskId));
  expect(done.payload).toMatchObject({ state: 'completed' });
  id = (done.payload as { resultId: string }).resultId;
});
afterEach(async () => {
  await core.close();
  tmp.cleanup();
});

describe('bulk edits as tasks', () => {
  it('tags every row with progress in rows up to the total, and ends as a completed task', async () => {
    const result = await call<{ updated: number }>('datasets.tag', {
      selection: { datasetId: id, filter: {} },
      add: ['checked'],
    });
    expect(result.updated).toBe(ROWS);
    const progress = progressOf('datasets.tag');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === ROWS)).toBe(true);
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)?.done).toBe(ROWS);
    const ended = events.find((e) => e.name === 'task' && e.payload.kind === 'datasets.tag');
    expect(ended?.payload).toMatchObject({ state: 'completed', resultId: id });
    expect(await count({ tag: 'checked' })).toBe(ROWS);
  });

  it('a cancelled tag keeps the slice it wrote and says how many rows it changed', async () => {
    cancelOnFirstProgress('datasets.tag');
    const error = await failure('datasets.tag', { selection: { datasetId: id, filter: {} }, add: ['half'] });
    expect(error).toMatchObject({
      code: 'CONFLICT',
      message: `datasets.tag was cancelled after changing ${formatCount(FIRST_SLICE)} rows.`,
      details: { changed: FIRST_SLICE },
    });
    expect(await count({ tag: 'half' })).toBe(FIRST_SLICE);
    await waitFor(() =>
      events.find(
        (e) => e.name === 'task' && e.payload.kind === 'datasets.tag' && e.payload.state === 'cancelled',
      ),
    );
  });

  it('a cancelled delete keeps the deleted slice, and the dataset counts follow', async () => {
    cancelOnFirstProgress('datasets.setDeleted');
    const error = await failure('datasets.setDeleted', {
      selection: { datasetId: id, filter: {} },
      deleted: true,
    });
    expect(error.message).toBe(
      `datasets.setDeleted was cancelled after changing ${formatCount(FIRST_SLICE)} rows.`,
    );
    expect(await count({ deleted: true })).toBe(FIRST_SLICE);
    expect(await count({})).toBe(ROWS - FIRST_SLICE);
    const detail = await call<{ rows: number }>('datasets.get', { id });
    expect(detail.rows).toBe(ROWS - FIRST_SLICE);
  });

  it('a cancelled split says how many rows it gave a side, and exactly those have one', async () => {
    cancelOnFirstProgress('datasets.split');
    const error = await failure('datasets.split', { id, valRatio: 0.1, seed: 3 });
    expect(error.code).toBe('CONFLICT');
    const changed = (error.details as { changed: number }).changed;
    expect(changed).toBeGreaterThanOrEqual(FIRST_SLICE);
    expect(changed).toBeLessThan(ROWS);
    expect(error.message).toMatch(/^datasets\.split was cancelled after changing [\d,]+ rows\.$/);
    expect((await count({ split: 'train' })) + (await count({ split: 'val' }))).toBe(changed);
  });
});
