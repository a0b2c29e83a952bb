/**
 * The dataset part of the contract: formats, shapes, canonical rows, statistics, versions, the row
 * browser's filter and views. Re-exported by preload/contract.ts; imports nothing but zod.
 */
import { z } from 'zod';

export const DatasetFormatSchema = z.enum(['jsonl', 'json', 'csv', 'tsv', 'parquet', 'txt']);
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>;
/** Row shapes the importer recognises; every row is normalised to `CanonicalRow`. */
export const DatasetShapeSchema = z.enum([
  'preference',
  'kto',
  'chat',
  'sharegpt',
  'alpaca',
  'prompt_completion',
  'text',
]);
export type DatasetShape = z.infer<typeof DatasetShapeSchema>;

export const RoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type Role = z.infer<typeof RoleSchema>;
/** A tool call of an assistant turn (OpenAI form); `arguments` is a JSON object, as chat templates expect. */
export const ToolCallSchema = z
  .object({
    id: z.string().optional(),
    type: z.literal('function'),
    function: z.object({
      name: z.string().min(1, 'a tool call needs a function name'),
      arguments: z.record(z.string(), z.unknown()),
    }),
  })
  .strict();
export type ToolCall = z.infer<typeof ToolCallSchema>;
/** A tool the assistant may call (OpenAI form: a JSON-schema function definition). */
export const ToolDefinitionSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: z.string().min(1, 'a tool definition needs a name'),
        description: z.string().optional(),
        parameters: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
  })
  .strict();
export type ToolDefinition = z.infer<typeof ToolDefinitionSchema>;
/** One message of the canonical (OpenAI-style) form. */
export const CanonicalMessageSchema = z.object({
  role: RoleSchema,
  content: z.string(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});
export type CanonicalMessage = z.infer<typeof CanonicalMessageSchema>;
const MessagesSchema = z.array(CanonicalMessageSchema);
const ToolsSchema = z.array(ToolDefinitionSchema).optional();
/** A preference pair (DPO, ORPO): the prompt's messages, then the preferred and the other answer. */
export const PreferenceRowSchema = z
  .object({ prompt: MessagesSchema, chosen: MessagesSchema, rejected: MessagesSchema, tools: ToolsSchema })
  .strict();
export type PreferenceRow = z.infer<typeof PreferenceRowSchema>;
/** An unpaired judgement (KTO): the prompt's messages, one answer, and whether it is desirable. */
export const KtoRowSchema = z
  .object({ prompt: MessagesSchema, completion: MessagesSchema, label: z.boolean(), tools: ToolsSchema })
  .strict();
export type KtoRow = z.infer<typeof KtoRowSchema>;
/**
 * The canonical row: a conversation (with the tools it may call), a preference pair, a KTO
 * judgement, or plain text for pre-training style data.
 */
export const CanonicalRowSchema = z.union([
  z.object({ messages: MessagesSchema, tools: ToolsSchema }).strict(),
  PreferenceRowSchema,
  KtoRowSchema,
  z.object({ text: z.string() }).strict(),
]);
export type CanonicalRow = z.infer<typeof CanonicalRowSchema>;

/**
 * The conversations a row trains on: a chat's messages; a preference pair's prompt + chosen and
 * prompt + rejected; a KTO row's prompt + completion; none for text.
 */
export function conversationsOf(row: CanonicalRow): CanonicalMessage[][] {
  if ('text' in row) return [];
  if ('messages' in row) return [row.messages];
  if ('chosen' in row)
    return [
      [...row.prompt, ...row.chosen],
      [...row.prompt, ...row.rejected],
    ];
  return [[...row.prompt, ...row.completion]];
}

/** The labelled message lists of a row (for hashing, search and display). */
export function messageSectionsOf(row: CanonicalRow): Array<readonly [string, CanonicalMessage[]]> {
  if ('text' in row) return [];
  if ('messages' in row) return [['messages', row.messages]];
  if ('chosen' in row) {
    return [
      ['prompt', row.prompt],
      ['chosen', row.chosen],
      ['rejected', row.rejected],
    ];
  }
  return [
    ['prompt', row.prompt],
    [row.label ? 'completion (desirable)' : 'completion (undesirable)', row.completion],
  ];
}

/** What is wrong with a row, where, in words a person can act on. */
export const RowProblemSchema = z.object({ path: z.string(), message: z.string() });
export type RowProblem = z.infer<typeof RowProblemSchema>;

/** CSV/TSV import options: delimiter and which column feeds which field of the shape. */
export const CsvOptionsSchema = z
  .object({
    delimiter: z.enum([',', ';', '\t', '|']).optional(),
    /** Field of the shape (e.g. `instruction`, `output`, `prompt`, `completion`, `text`) → column name. */
    mapping: z.record(z.string().max(100), z.string().max(500)).optional(),
  })
  .strict();

export const DatasetVersionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  train: z.number().int(),
  val: z.number().int(),
  note: z.string().nullable(),
  /** Relative to the data folder. */
  path: z.string(),
  createdAt: z.number(),
});
export type DatasetVersion = z.infer<typeof DatasetVersionSchema>;

export const DatasetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  format: DatasetFormatSchema,
  shape: DatasetShapeSchema,
  status: z.enum(['importing', 'ready', 'failed']),
  sourceName: z.string(),
  sizeBytes: z.number(),
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  versions: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

const HistogramSchema = z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) });

/** Token lengths counted with a model's own tokenizer and chat template. */
export const TokenStatsSchema = z.object({
  modelDir: z.string(),
  maxSeqLen: z.number().int(),
  rowsCounted: z.number().int(),
  total: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  max: z.number(),
  /** Rows longer than maxSeqLen (they would be truncated). */
  truncated: z.number().int(),
  histogram: HistogramSchema,
  usedChatTemplate: z.boolean(),
  computedAt: z.number(),
});
export type TokenStats = z.infer<typeof TokenStatsSchema>;

export const DatasetStatsSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  deleted: z.number().int(),
  roles: z.record(z.string(), z.number().int()),
  turns: z.object({ min: z.number(), max: z.number(), mean: z.number() }),
  chars: z.object({ min: z.number(), max: z.number(), mean: z.number(), histogram: HistogramSchema }),
  split: z.object({ train: z.number().int(), val: z.number().int(), unsplit: z.number().int() }),
  /** The most common problems, for the "what is wrong" panel. */
  problems: z.array(z.object({ message: z.string(), count: z.number().int() })),
  /** Live rows that repeat another row exactly (beyond the first of each): `datasets dedupe` removes them. */
  duplicates: z.number().int(),
  tokens: TokenStatsSchema.nullable(),
});
export type DatasetStats = z.infer<typeof DatasetStatsSchema>;

export const ShapeDetectionSchema = z.object({
  shape: DatasetShapeSchema,
  /** Why: e.g. "98 of 100 sampled rows have a `messages` array of {role, content}". */
  evidence: z.array(z.string()),
  /** Other shapes that fit some rows, with how many of the sample fit. */
  candidates: z.array(z.object({ shape: DatasetShapeSchema, matched: z.number().int() })),
  sampled: z.number().int(),
  overridden: z.boolean(),
});
export type ShapeDetection = z.infer<typeof ShapeDetectionSchema>;

export const DatasetDetailSchema = DatasetSummarySchema.extend({
  detection: ShapeDetectionSchema,
  stats: DatasetStatsSchema,
  versionList: z.array(DatasetVersionSchema),
  error: z.string().nullable(),
});
export type DatasetDetail = z.infer<typeof DatasetDetailSchema>;

/** A look at a file before importing it: format, encoding, detected shape, columns, first rows. */
export const DatasetInspectionSchema = z.object({
  path: z.string(),
  sizeBytes: z.number(),
  format: DatasetFormatSchema,
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be']),
  detection: ShapeDetectionSchema,
  /** CSV/TSV/Parquet column names. */
  columns: z.array(z.string()).nullable(),
  delimiter: z.string().nullable(),
  sample: z.array(z.unknown()),
});
export type DatasetInspection = z.infer<typeof DatasetInspectionSchema>;

/** Filters of the row browser; every one narrows. */
export const RowFilterSchema = z
  .object({
    search: z.string().max(500).optional(),
    valid: z.boolean().optional(),
    /** Rows whose problems mention this text. */
    problem: z.string().max(200).optional(),
    minChars: z.number().int().min(0).optional(),
    maxChars: z.number().int().min(0).optional(),
    role: RoleSchema.optional(),
    minTurns: z.number().int().min(0).optional(),
    maxTurns: z.number().int().min(0).optional(),
    duplicate: z.boolean().optional(),
    tag: z.string().max(100).optional(),
    split: z.enum(['train', 'val', 'unsplit']).optional(),
    /** Show deleted rows instead of live ones. */
    deleted: z.boolean().optional(),
  })
  .strict();
export type RowFilter = z.infer<typeof RowFilterSchema>;

export const DatasetRowViewSchema = z.object({
  id: z.number().int(),
  rowIndex: z.number().int(),
  lineNumber: z.number().int().nullable(),
  valid: z.boolean(),
  problems: z.array(RowProblemSchema),
  canonical: CanonicalRowSchema.nullable(),
  original: z.unknown(),
  charLength: z.number().int(),
  tokenCount: z.number().int().nullable(),
  turns: z.number().int(),
  tags: z.array(z.string()),
  split: z.enum(['train', 'val']).nullable(),
  deleted: z.boolean(),
});
export type DatasetRowView = z.infer<typeof DatasetRowViewSchema>;

export const DatasetId = z.string().min(1).max(64);
/** Rows to act on: explicit ids, or everything matching a filter (bulk actions). */
export const RowSelectionSchema = z
  .object({
    datasetId: DatasetId,
    rowIds: z.array(z.number().int()).max(100_000).optional(),
    filter: RowFilterSchema.optional(),
  })
  .strict()
  .refine((s) => (s.rowIds === undefined) !== (s.filter === undefined), 'give either rowIds or filter');

export const DedupePreviewSchema = z.object({
  mode: z.enum(['exact', 'near']),
  threshold: z.number().nullable(),
  groups: z.number().int(),
  /** Rows that would be (or were) deleted: every member of a group but the first. */
  duplicates: z.number().int(),
  /** Row ids, and each row's visible identity ("line 12", as the table and row panel show it). */
  sample: z.array(
    z.object({
      keep: z.number().int(),
      remove: z.array(z.number().int()),
      keepLabel: z.string(),
      removeLabels: z.array(z.string()),
    }),
  ),
  applied: z.boolean(),
});
export type DedupePreview = z.infer<typeof DedupePreviewSchema>;
