/**
 * Every public shape of SFT, tool-calling and preference data imports, freezes and keeps what it
 * means, through the core's API: samples written here in the layouts of LLaMA-Factory's demo files
 * (glaive tool calls, v1 content parts with `value`, reasoning + tool-call parts, DPO and KTO),
 * not copies of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { DatasetDetail, PushedEvent } from '../../../preload/contract';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const tool = { name: 'get_price', description: 'Price of a product', parameters: { type: 'object' } };

const SAMPLES: Record<string, { file: string; body: string }> = {
  glaive: {
    file: 'glaive_toolcall.json',
    body: JSON.stringify(
      range(30, (i) => ({
        conversations: [
          { from: 'human', value: `What does item ${i} cost?` },
          { from: 'function_call', value: JSON.stringify({ name: 'get_price', arguments: { item: i } }) },
          { from: 'observation', value: JSON.stringify({ price: i * 2 }) },
          { from: 'gpt', value: `Item ${i} costs ${i * 2} euros.` },
        ],
        tools: JSON.stringify([tool]),
      })),
    ),
  },
  v1: {
    file: 'v1_sft.jsonl',
    body: range(20, (i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: [{ type: 'text', value: `Question ${i}?` }], loss_weight: 0.0 },
          { role: 'assistant', content: [{ type: 'text', value: `Answer ${i}.` }], loss_weight: 1.0 },
        ],
      }),
    ).join('\n'),
  },
  reasonTools: {
    file: 'reason_tool_use.jsonl',
    body: range(10, (i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: [{ type: 'text', value: `Price of ${i}?` }] },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', value: 'I should look it up.' },
              { type: 'tool_call', value: JSON.stringify({ name: 'get_price', arguments: { item: i } }) },
            ],
          },
          { role: 'tool', content: [{ type: 'text', value: `${i * 2}` }] },
          { role: 'assistant', content: [{ type: 'text', value: `${i * 2} euros.` }] },
        ],
        tools: JSON.stringify([tool]),
      }),
    ).join('\n'),
  },
  dpo: {
    file: 'dpo_en.json',
    body: JSON.stringify(
      range(30, (i) => ({
        conversations: [{ from: 'human', value: `Explain topic ${i}.` }],
        chosen: { from: 'gpt', value: `A clear explanation of topic ${i}.` },
        rejected: { from: 'gpt', value: `No idea about ${i}.` },
      })),
    ),
  },
  kto: {
    file: 'kto_en.json',
    body: JSON.stringify(
      range(30, (i) => ({
        messages: [
          { role: 'user', content: `Is ${i} even?` },
          { role: 'assistant', content: i % 2 === 0 ? 'Yes.' : 'Yes.' },
        ],
        label: i % 2 === 0,
      })),
    ),
  },
};

let tmp: ReturnType<typeof makeTempDir>;
let core: Core;
const events: PushedEvent[] = [];

beforeEach(async () => {
  tmp = makeTempDir();
  core = await createCore({ dataDir: join(tmp.dir, 'data'), shell: 'test' });
  core.events.subscribe((e) => events.push(e));
});
afterEach(async () => {
  await core.close();
  tmp.cleanup();
});

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = (await core.api.invoke(channel as never, input as never)) as {
    ok: boolean;
    value?: T;
    error?: unknown;
  };
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** Imports a sample, waits for the task, freezes it, and returns the detail and the frozen rows. */
async function importAndFreeze(name: string) {
  const sample = SAMPLES[name]!;
  const path = join(tmp.dir, sample.file);
  writeFileSync(path, sample.body);
  const { taskId } = await call<{ taskId: string }>('datasets.import', { path, name });
  const done = await waitFor(() =>
    events.find((e) => e.name === 'task' && (e.payload as { taskId?: string }).taskId === taskId),
  );
  expect(done.payload).toMatchObject({ state: 'completed' });
  const id = (done.payload as { resultId: string }).resultId;
  const detail = await call<DatasetDetail>('datasets.get', { id });
  await call('datasets.split', { id, valRatio: 0.1, seed: 1 });
  const version = await call<{ path: string }>('datasets.freeze', { id });
  const frozen = readFileSync(join(tmp.dir, 'data', version.path), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { detail, frozen };
}

describe('public dataset shapes through the core', () => {
  it('glaive tool calling keeps its tools, calls and observations in the frozen version', async () => {
    const { detail, frozen } = await importAndFreeze('glaive');
    expect(detail).toMatchObject({ shape: 'sharegpt', rows: 30, valid: 30, invalid: 0 });
    expect(detail.detection.evidence).toContain(
      '30 of 30 sampled rows have ShareGPT `function_call`/`observation` turns: tool use is kept for training',
    );
    expect(frozen).toHaveLength(30);
    const row = frozen.find((r) => r.row === 3) as {
      tools: unknown;
      messages: Array<Record<string, unknown>>;
    };
    expect(row.tools).toEqual([{ type: 'function', function: tool }]);
    expect(row.messages[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [{ type: 'function', function: { name: 'get_price', arguments: { item: 3 } } }],
    });
    expect(row.messages[2]).toEqual({ role: 'tool', content: '{"price":6}' });
  });

  it('content parts with `value` import valid and count in the statistics', async () => {
    const { detail } = await importAndFreeze('v1');
    expect(detail).toMatchObject({ shape: 'chat', rows: 20, valid: 20, invalid: 0 });
    expect(detail.stats.roles).toEqual({ user: 20, assistant: 20 });
    const reason = await importAndFreeze('reasonTools');
    expect(reason.detail).toMatchObject({ rows: 10, valid: 10 });
    const row = reason.frozen[0] as {
      tools: unknown[];
      messages: Array<{ content: string; tool_calls?: unknown[] }>;
    };
    expect(row.tools).toHaveLength(1);
    expect(row.messages[1]?.content).toBe('<think>\nI should look it up.\n</think>\n\n');
    expect(row.messages[1]?.tool_calls).toHaveLength(1);
  });

  it('DPO pairs and KTO labels import valid and reach the frozen version', async () => {
    const dpo = await importAndFreeze('dpo');
    expect(dpo.detail).toMatchObject({ shape: 'preference', rows: 30, valid: 30, invalid: 0 });
    expect(dpo.frozen[0]).toMatchObject({
      prompt: [{ role: 'user', content: expect.stringMatching(/^Explain topic \d+\.$/) }],
      chosen: [{ role: 'assistant', content: expect.stringMatching(/^A clear explanation/) }],
      rejected: [{ role: 'assistant', content: expect.stringMatching(/^No idea/) }],
    });
    const kto = await importAndFreeze('kto');
    expect(kto.detail).toMatchObject({ shape: 'kto', rows: 30, valid: 30, invalid: 0 });
    expect(kto.frozen.every((r) => r.label === ((r.row as number) % 2 === 0))).toBe(true);
  });
});

describe('searching preference rows', () => {
  it('finds a pair by the words of its rejected answer, and filters by role', async () => {
    const { detail } = await importAndFreeze('dpo');
    const found = await call<{ total: number; rows: Array<{ rowIndex: number }> }>('datasets.rows', {
      id: detail.id,
      filter: { search: 'idea 17' },
      offset: 0,
      limit: 10,
    });
    expect(found.rows.map((r) => r.rowIndex)).toEqual([17]);
    const assistants = await call<{ total: number }>('datasets.rows', {
      id: detail.id,
      filter: { role: 'assistant' },
      offset: 0,
      limit: 1,
    });
    expect(assistants.total).toBe(30);
  });
});
