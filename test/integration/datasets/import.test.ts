import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileInterruptedImports } from '../../../main/datasets/import/dataset-importer';
import { AppError } from '../../../main/errors';
import type { EventPayload } from '../../../preload/contract';
import {
  alpacaRow,
  chatRow,
  jsonLines,
  promptCompletionCsv,
  range,
  shareGptRow,
  textRow,
  writeFixture,
  writeLargeChatJsonl,
} from '../../fixtures/datasets/make-datasets';
import { createImporterHarness, type ImporterHarness } from '../../helpers/dataset-importer-harness';
import { waitFor } from '../../helpers/temp-dir';

let h: ImporterHarness;
beforeEach(async () => {
  h = await createImporterHarness({ batchRows: 100 });
});
afterEach(() => h.cleanup());

const canonicalOf = (json: string | null) =>
  JSON.parse(json ?? 'null') as { messages?: Array<{ role: string }> };

describe('dataset import: every shape, realistic files', () => {
  it('indexes rows for search as it inserts them (exactly as the search-text view would) and stores statistics', async () => {
    const lines = [
      ...range(30, (i) => JSON.stringify(chatRow(i))),
      '{"messages": [{"role": "user", "content": "unanswered zebra question"}]}',
      '{not json at all: quokka}',
      JSON.stringify({ messages: [{ role: 'bot', content: 'walrus speaks' }] }),
    ];
    const path = writeFixture(h.srcDir, 'mixed.jsonl', `${lines.join('\n')}\n`);
    const summary = await h.importer.importNow({ path, shape: 'chat' });
    expect(summary.invalid).toBeGreaterThanOrEqual(2);
    // The statistics come with the import (computed in its worker), not later on the main thread.
    expect(JSON.parse(String(h.dataset(summary.id).stats_json))).toMatchObject({
      rows: lines.length,
      valid: summary.valid,
      invalid: summary.invalid,
    });
    // Rebuild the index from the view in a scratch table and compare every term's rows and counts.
    h.sqlite.exec(`
      CREATE VIRTUAL TABLE temp.rebuilt USING fts5(text, roles, content = '', detail = column,
        tokenize = 'unicode61 remove_diacritics 2');
      INSERT INTO temp.rebuilt (rowid, text, roles)
        SELECT id, coalesce(text, ''), coalesce(roles, '') FROM dataset_rows_search_text;
      CREATE VIRTUAL TABLE temp.imported_terms USING fts5vocab(main, dataset_rows_fts, 'col');
      CREATE VIRTUAL TABLE temp.rebuilt_terms USING fts5vocab(temp, rebuilt, 'col');`);
    const terms = (table: string) =>
      h.sqlite.prepare(`SELECT term, col, doc FROM temp.${table} ORDER BY term, col`).all();
    const imported = terms('imported_terms');
    expect(imported.length).toBeGreaterThan(20);
    expect(imported).toEqual(terms('rebuilt_terms'));
    const match = (table: string, query: string) =>
      h.sqlite.prepare(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get(query);
    expect(['zebra', 'quokka', 'walrus'].map((w) => match('dataset_rows_fts', w))).toEqual([1, 1, 1]);
    const tools = match('dataset_rows_fts', 'roles : "tool"');
    expect(tools).toBeGreaterThan(0);
    expect(tools).toBe(match('rebuilt', 'roles : "tool"'));
  });

  it('imports OpenAI chat JSONL with system and tool turns', async () => {
    const path = writeFixture(h.srcDir, 'chat.jsonl', jsonLines(range(250, chatRow)));
    const summary = await h.importer.importNow({ path, name: 'Support chats' });
    expect(summary).toMatchObject({
      name: 'Support chats',
      format: 'jsonl',
      shape: 'chat',
      rows: 250,
      valid: 250,
      invalid: 0,
    });
    const rows = h.rows(summary.id);
    expect(rows.map((r) => r.line_number)).toEqual(range(250, (i) => i + 1));
    expect(canonicalOf(rows[0]!.canonical_json).messages!.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(rows[0]).toMatchObject({ turns: 5, valid: 1 });
    expect(rows.every((r) => Buffer.isBuffer(r.content_hash) && r.content_hash.length === 8)).toBe(true);
    const dataset = h.dataset(summary.id);
    expect(dataset).toMatchObject({
      status: 'ready',
      format: 'jsonl',
      shape: 'chat',
      row_count: 250,
      valid_count: 250,
      invalid_count: 0,
      source_name: 'chat.jsonl',
      file_path: `datasets/${summary.id}/original.jsonl`,
    });
    expect(JSON.parse(dataset.stats_json as string)).toMatchObject({
      rows: 250,
      valid: 250,
      invalid: 0,
      roles: { system: 250, user: 250, assistant: 250 },
      tokens: null,
    });
    expect(JSON.parse(dataset.detection_json as string)).toMatchObject({
      shape: 'chat',
      evidence: [
        '200 of 200 sampled rows have a `messages` array of {role, content}',
        '67 of 200 sampled rows have OpenAI `tool_calls`/`tool` messages: tool use is kept for training',
      ],
      sampled: 200,
      overridden: false,
    });
  });

  it('imports ShareGPT (with function calls and observations) from an object holding the rows', async () => {
    const path = writeFixture(
      h.srcDir,
      'sharegpt.json',
      JSON.stringify({ version: 2, data: range(40, shareGptRow) }, null, 2),
    );
    const summary = await h.importer.importNow({ path });
    expect(summary).toMatchObject({ format: 'json', shape: 'sharegpt', rows: 40, valid: 40 });
    const [first] = h.rows(summary.id);
    expect(canonicalOf(first!.canonical_json).messages!.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(JSON.parse(h.dataset(summary.id).detection_json as string).evidence).toContain(
      'rows read from the `data` array',
    );
  });

  it('imports an Alpaca JSON array with history as prior turns', async () => {
    const path = writeFixture(h.srcDir, 'alpaca.json', JSON.stringify(range(30, alpacaRow)));
    const summary = await h.importer.importNow({ path });
    expect(summary).toMatchObject({ format: 'json', shape: 'alpaca', rows: 30, valid: 30 });
    expect(canonicalOf(h.rows(summary.id)[0]!.canonical_json).messages).toEqual([
      { role: 'user', content: 'Earlier question 0' },
      { role: 'assistant', content: 'Earlier answer 0' },
      { role: 'user', content: 'Summarise note 0 about the weather.\nNote 0: the weather matters.' },
      { role: 'assistant', content: 'Summary 0.' },
    ]);
  });

  it('imports plain text JSONL and a .txt file (one row per non-empty line)', async () => {
    const jsonl = await h.importer.importNow({
      path: writeFixture(h.srcDir, 'text.jsonl', jsonLines(range(12, textRow))),
    });
    expect(jsonl).toMatchObject({ shape: 'text', rows: 12, valid: 12 });
    const txt = await h.importer.importNow({
      path: writeFixture(h.srcDir, 'notes.txt', 'first line\n\n  \nsecond line\r\nthird'),
    });
    expect(txt).toMatchObject({ format: 'txt', shape: 'text', rows: 3, valid: 3 });
    expect(h.rows(txt.id).map((r) => [r.line_number, JSON.parse(r.canonical_json!).text])).toEqual([
      [1, 'first line'],
      [4, 'second line'],
      [5, 'third'],
    ]);
  });

  it('imports a CSV through a column mapping, formulas kept as text', async () => {
    const path = writeFixture(h.srcDir, 'qa.csv', promptCompletionCsv(25));
    const inspection = await h.importer.inspect(path);
    expect(inspection).toMatchObject({ format: 'csv', delimiter: ',', columns: ['id', 'q', 'a', 'notes'] });
    expect(inspection.detection.evidence[0]).toMatch(
      /no sampled row matches a known shape; fields seen: `id`, `q`, `a`, `notes`/,
    );
    await expect(h.importer.importNow({ path })).rejects.toThrow(/choose a shape or map the columns/);
    const summary = await h.importer.importNow({ path, csv: { mapping: { prompt: 'q', completion: 'a' } } });
    expect(summary).toMatchObject({ format: 'csv', shape: 'prompt_completion', rows: 25, valid: 25 });
    const rows = h.rows(summary.id);
    expect(rows.slice(0, 2).map((r) => r.line_number)).toEqual([2, 4]);
    expect(JSON.parse(rows[0]!.original_json)).toEqual({
      id: '0',
      q: 'Explain the weather, briefly',
      a: 'Line one of 0\nline "two"',
      notes: '=1+1',
    });
    expect(JSON.parse(h.dataset(summary.id).options_json as string)).toEqual({
      csv: { mapping: { prompt: 'q', completion: 'a' } },
      encoding: 'utf-8',
      delimiter: ',',
      columns: ['id', 'q', 'a', 'notes'],
    });
  });

  it('honours a shape chosen by hand and says so', async () => {
    const path = writeFixture(h.srcDir, 'chat-as-text.jsonl', jsonLines([{ text: 'x', messages: [] }]));
    const summary = await h.importer.importNow({ path, shape: 'text' });
    expect(summary).toMatchObject({ shape: 'text', valid: 1 });
    expect(JSON.parse(h.dataset(summary.id).detection_json as string)).toMatchObject({
      overridden: true,
      evidence: [
        'shape chosen by hand: text (detected: chat)',
        '1 of 1 sampled rows have a `messages` array of {role, content}',
        '1 of 1 sampled rows have a `text` field (or are plain text)',
      ],
    });
  });

  it('inspects a file without importing it: format, encoding, shape, first rows', async () => {
    const path = writeFixture(h.srcDir, 'peek.jsonl', `\ufeff${jsonLines(range(300, chatRow))}`);
    const inspection = await h.importer.inspect(path);
    expect(inspection).toMatchObject({
      format: 'jsonl',
      encoding: 'utf-8-bom',
      columns: null,
      delimiter: null,
      detection: { shape: 'chat', sampled: 200 },
    });
    expect(inspection.sample).toEqual(range(5, chatRow));
    expect(h.counts()).toEqual({ datasets: 0, rows: 0 });
    await expect(h.importer.inspect(join(h.srcDir, 'missing.jsonl'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
  it('inspects only the start of a huge file, even inside one enormous line', async () => {
    const path = join(h.srcDir, 'one-huge-line.jsonl');
    writeFileSync(path, `{"text": "${'x'.repeat(40 * 1024 * 1024)}"}\n`);
    const started = Date.now();
    const inspection = await h.importer.inspect(path);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(inspection.detection).toMatchObject({ sampled: 0 });
    expect(inspection.detection.evidence).toContain('only the first 32 MB were inspected');
  });

  it('reads a file named .parquet that is really JSON lines, and says so', async () => {
    const path = writeFixture(h.srcDir, 'not-really.parquet', jsonLines(range(3, textRow)));
    const summary = await h.importer.importNow({ path });
    expect(summary).toMatchObject({ format: 'jsonl', rows: 3, valid: 3 });
    expect(JSON.parse(h.dataset(summary.id).detection_json as string).evidence[0]).toBe(
      'the file is named .parquet but is not Parquet (no PAR1 magic bytes)',
    );
  });
});

describe('dataset import as a task', () => {
  it('reports progress with rows and rows/s, then completes and announces the dataset', async () => {
    const path = join(h.srcDir, 'big.jsonl');
    await writeLargeChatJsonl(path, 20_000);
    const taskId = h.importer.start({ path });
    const done = await waitFor(() => h.events.find((e) => e.name === 'task'), {
      timeoutMs: 60_000,
      what: 'task end',
    });
    const end = done.payload as EventPayload<'task'>;
    expect(end).toMatchObject({ taskId, kind: 'datasets.import', state: 'completed', error: null });
    const progress = h.events
      .filter((e) => e.name === 'progress')
      .map((e) => e.payload as EventPayload<'progress'>);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.message).toMatch(/^[\d,]+ rows · [\d,]+ rows\/s$/);
    expect(progress.every((p) => p.total !== null && p.done <= p.total)).toBe(true);
    expect(h.events).toContainEqual({ name: 'changed', payload: { entity: 'datasets', id: end.resultId } });
    expect(h.dataset(end.resultId!)).toMatchObject({ status: 'ready', row_count: 20_000 });
  }, 60_000);

  it('cancels mid-import and keeps nothing: no dataset, no rows, no files', async () => {
    const path = join(h.srcDir, 'cancel.jsonl');
    await writeLargeChatJsonl(path, 200_000);
    const taskId = h.importer.start({ path });
    await waitFor(() => h.counts().rows > 0, { timeoutMs: 60_000, what: 'rows being written' });
    expect(h.tasks.cancel(taskId)).toBe(true);
    const done = await waitFor(() => h.events.find((e) => e.name === 'task'), {
      timeoutMs: 60_000,
      what: 'task end',
    });
    expect(done.payload).toMatchObject({ taskId, state: 'cancelled', resultId: null });
    expect(h.counts()).toEqual({ datasets: 0, rows: 0 });
    expect(h.dataFiles()).toEqual([]);
    expect(h.events.some((e) => e.name === 'changed')).toBe(false);
  }, 90_000);

  it('fails all or nothing when the file breaks after rows were already committed', async () => {
    const path = join(h.srcDir, 'late-error.jsonl');
    const good = jsonLines(range(3000, chatRow));
    writeFileSync(path, Buffer.concat([Buffer.from(good), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]));
    const error = await h.importer.importNow({ path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^byte [\d,]+: invalid UTF-8/),
    });
    expect((error as AppError).message).toContain(
      `byte ${(Buffer.byteLength(good) + 1).toLocaleString('en-US')}:`,
    );
    expect(h.counts()).toEqual({ datasets: 0, rows: 0 });
    expect(h.dataFiles()).toEqual([]);
  }, 60_000);
});

describe('DATA-path: nothing is written outside the data folder', () => {
  it('sanitises names from odd paths and stores the copy under a fixed name', async () => {
    const long = `${'n'.repeat(240)}.jsonl`;
    mkdirSync(join(h.srcDir, 'sub'));
    writeFixture(h.srcDir, long, jsonLines(range(2, textRow)));
    writeFixture(h.srcDir, 'real.jsonl', jsonLines(range(3, textRow)));
    symlinkSync(join(h.srcDir, 'real.jsonl'), join(h.srcDir, 'link.jsonl'));
    const viaDots = await h.importer.importNow({
      path: join(h.srcDir, 'sub', '..', long),
      name: '../../etc/\u0000passwd\u202e\n',
    });
    expect(viaDots.name).toBe('../../etc/passwd');
    const viaLink = await h.importer.importNow({ path: join(h.srcDir, 'link.jsonl') });
    expect(viaLink).toMatchObject({ name: 'link', rows: 3 });
    const longName = await h.importer.importNow({ path: join(h.srcDir, long) });
    expect(longName.name).toHaveLength(200);
    expect(h.dataFiles().sort()).toEqual(
      [viaDots.id, viaLink.id, longName.id].map((id) => `datasets/${id}/original.jsonl`).sort(),
    );
    expect(readFileSync(join(h.dataDir, 'datasets', viaLink.id, 'original.jsonl'), 'utf8')).toBe(
      jsonLines(range(3, textRow)),
    );
    await expect(h.importer.importNow({ path: `${h.srcDir}/a\u0000b.jsonl` })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: 'the path contains a NUL character',
    });
    await expect(h.importer.importNow({ path: h.srcDir })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: /^not a file/,
    });
    await expect(h.importer.importNow({ path: join(h.srcDir, 'nope.jsonl') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses to write through a datasets folder that links outside the data folder', async () => {
    const outside = join(h.srcDir, 'elsewhere');
    mkdirSync(outside);
    symlinkSync(outside, join(h.dataDir, 'datasets'));
    const path = writeFixture(h.srcDir, 'ok.jsonl', jsonLines(range(2, textRow)));
    await expect(h.importer.importNow({ path })).rejects.toThrow(/outside the data folder/);
    expect(h.counts()).toEqual({ datasets: 0, rows: 0 });
  });
});

describe('interrupted imports', () => {
  it('are deleted at start with their rows and folders; ready datasets are kept', async () => {
    const kept = await h.importer.importNow({
      path: writeFixture(h.srcDir, 'keep.jsonl', jsonLines(range(5, textRow))),
    });
    const now = Date.now();
    h.sqlite
      .prepare(
        `INSERT INTO datasets (id, name, format, shape, status, source_name, created_at, updated_at)
         VALUES ('ds_crashed', 'half', 'jsonl', 'text', 'importing', 'x.jsonl', ?, ?)`,
      )
      .run(now, now);
    h.sqlite
      .prepare(
        `INSERT INTO dataset_rows (dataset_id, row_index, original_json, valid, created_at, updated_at)
         VALUES ('ds_crashed', 0, '{}', 0, ?, ?)`,
      )
      .run(now, now);
    mkdirSync(join(h.dataDir, 'datasets', 'ds_crashed'));
    writeFileSync(join(h.dataDir, 'datasets', 'ds_crashed', 'original.jsonl'), '{}');
    expect(reconcileInterruptedImports(h.db, h.dataDir)).toBe(1);
    expect(h.counts()).toEqual({ datasets: 1, rows: 5 });
    expect(existsSync(join(h.dataDir, 'datasets', 'ds_crashed'))).toBe(false);
    expect(h.dataset(kept.id)).toMatchObject({ status: 'ready' });
  });
});
