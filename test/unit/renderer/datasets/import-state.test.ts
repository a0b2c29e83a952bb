import { describe, expect, it } from 'vitest';
import type { DatasetInspection } from '../../../../preload/contract';
import {
  type ImportAction,
  type ImportState,
  INITIAL_IMPORT_STATE,
  importReducer,
  importRequest,
  missingMappings,
} from '../../../../renderer/src/pages/datasets/import/import-state';

/** A CSV inspected as prompt/completion, with columns named the way people name them. */
const csv: DatasetInspection = {
  path: '/data/qa-pairs.csv',
  sizeBytes: 2048,
  format: 'csv',
  encoding: 'utf-8',
  detection: {
    shape: 'prompt_completion',
    evidence: ['20 of 20 sampled rows have prompt and completion'],
    candidates: [{ shape: 'alpaca', matched: 3 }],
    sampled: 20,
    overridden: false,
  },
  columns: ['prompt', 'completion', 'notes'],
  delimiter: ';',
  sample: [],
};

const run = (...actions: ImportAction[]): ImportState => actions.reduce(importReducer, INITIAL_IMPORT_STATE);

describe('the import dialog state machine', () => {
  it('takes shape, column mapping, delimiter and a name from the inspection', () => {
    const state = run(
      { type: 'path', path: csv.path },
      { type: 'inspect-started' },
      { type: 'inspected', inspection: csv },
    );
    expect(state.inspecting).toBe(false);
    expect(state.shape).toBe('prompt_completion');
    expect(state.mapping).toEqual({ prompt: 'prompt', completion: 'completion' });
    expect(state.delimiter).toBe(';');
    expect(state.name).toBe('qa-pairs');
    expect(importRequest(state)).toEqual({
      path: csv.path,
      format: 'csv',
      name: 'qa-pairs',
      csv: { delimiter: ';', mapping: { prompt: 'prompt', completion: 'completion' } },
    });
  });

  it('keeps a name the person typed, but renames after a newly inspected file otherwise', () => {
    const typed = run({ type: 'name', name: 'mine' }, { type: 'inspected', inspection: csv });
    expect(typed.name).toBe('mine');
    const other = { ...csv, path: '/data/support-chats.csv' };
    expect(importReducer(typed, { type: 'inspected', inspection: other }).name).toBe('mine');
    const named = run({ type: 'inspected', inspection: csv }, { type: 'inspected', inspection: other });
    expect(named.name).toBe('support-chats');
    const cleared = importReducer(typed, { type: 'name', name: ' ' });
    expect(importReducer(cleared, { type: 'inspected', inspection: other }).name).toBe('support-chats');
  });

  it('re-guesses the mapping for a chosen shape and blocks Import until required fields are mapped', () => {
    const state = run({ type: 'inspected', inspection: csv }, { type: 'shape', shape: 'alpaca' });
    expect(missingMappings(state)).toEqual(['Instruction', 'Output']);
    expect(importRequest(state)).toBeNull();
    const mapped = importReducer(state, {
      type: 'mapping',
      mapping: { instruction: 'prompt', input: '', output: 'completion' },
    });
    expect(importRequest(mapped)).toMatchObject({
      shape: 'alpaca',
      csv: { mapping: { instruction: 'prompt', output: 'completion' } },
    });
  });

  it('forgets the inspection when the path changes, so Import waits for the next one', () => {
    const state = run({ type: 'inspected', inspection: csv }, { type: 'path', path: '/data/other.csv' });
    expect(state.inspection).toBeNull();
    expect(importRequest(state)).toBeNull();
  });

  it('runs, attaches its task, shows progress, and ends failed or cancelled', () => {
    const running = run(
      { type: 'inspected', inspection: csv },
      { type: 'import-started' },
      { type: 'task', taskId: 't1' },
      { type: 'progress', progress: { taskId: 't1', done: 10, total: 100, message: null } as never },
    );
    expect(running.phase).toMatchObject({ kind: 'running', taskId: 't1', progress: { done: 10 } });
    expect(importRequest(running)).toBeNull();
    expect(importReducer(running, { type: 'cancelled' }).phase).toEqual({ kind: 'cancelled' });
    const error = { code: 'BAD_INPUT' as const, message: 'line 3: not JSON' };
    expect(importReducer(running, { type: 'failed', error }).phase).toEqual({ kind: 'failed', error });
  });

  it('ignores a late task id or progress once the import is no longer running', () => {
    const cancelled = run({ type: 'import-started' }, { type: 'cancelled' });
    expect(importReducer(cancelled, { type: 'task', taskId: 't2' })).toBe(cancelled);
    expect(importReducer(cancelled, { type: 'progress', progress: {} as never })).toBe(cancelled);
  });

  it('clears an inspection error and the last outcome when inspecting again', () => {
    const failed = run(
      { type: 'inspect-failed', error: { code: 'NOT_FOUND', message: 'no such file' } },
      { type: 'failed', error: { code: 'INTERNAL', message: 'x' } },
    );
    const again = importReducer(failed, { type: 'inspect-started' });
    expect(again.inspectError).toBeNull();
    expect(again.phase).toEqual({ kind: 'edit' });
    expect(again.inspecting).toBe(true);
  });
});
