import type { DatasetFormat, DatasetShape } from '../../../../preload/contract';

/** One field of a row shape that a CSV/TSV column can feed. */
export interface ShapeField {
  readonly field: string;
  readonly label: string;
  readonly required: boolean;
  /** Column names (lower case) that probably hold this field. */
  readonly synonyms: ReadonlyArray<string>;
}

/** What each shape is called in the UI. */
export const SHAPE_LABELS: Readonly<Record<DatasetShape, string>> = {
  preference: 'Preference pairs (prompt / chosen / rejected)',
  kto: 'KTO (prompt / completion / label)',
  chat: 'Chat (messages)',
  sharegpt: 'ShareGPT (conversations)',
  alpaca: 'Alpaca (instruction / input / output)',
  prompt_completion: 'Prompt / completion',
  text: 'Plain text',
};

/** The fields of each shape that a column maps to (the keys of `csv.mapping`). */
export const SHAPE_FIELDS: Readonly<Record<DatasetShape, ReadonlyArray<ShapeField>>> = {
  preference: [
    { field: 'prompt', label: 'Prompt', required: true, synonyms: ['prompt', 'instruction', 'question'] },
    { field: 'chosen', label: 'Chosen answer', required: true, synonyms: ['chosen', 'preferred'] },
    { field: 'rejected', label: 'Rejected answer', required: true, synonyms: ['rejected', 'dispreferred'] },
    { field: 'system', label: 'System', required: false, synonyms: ['system', 'system_prompt'] },
  ],
  kto: [
    { field: 'prompt', label: 'Prompt', required: true, synonyms: ['prompt', 'instruction', 'question'] },
    {
      field: 'completion',
      label: 'Completion',
      required: true,
      synonyms: ['completion', 'response', 'answer'],
    },
    { field: 'label', label: 'Label (true: desirable)', required: true, synonyms: ['label', 'kto_tag'] },
    { field: 'system', label: 'System', required: false, synonyms: ['system', 'system_prompt'] },
  ],
  chat: [
    {
      field: 'messages',
      label: 'Messages (a JSON array of {role, content})',
      required: true,
      synonyms: ['messages', 'conversation', 'chat', 'dialog'],
    },
  ],
  sharegpt: [
    {
      field: 'conversations',
      label: 'Conversations (a JSON array of {from, value})',
      required: true,
      synonyms: ['conversations', 'conversation', 'turns'],
    },
    { field: 'system', label: 'System', required: false, synonyms: ['system', 'system_prompt'] },
  ],
  alpaca: [
    {
      field: 'instruction',
      label: 'Instruction',
      required: true,
      synonyms: ['instruction', 'question', 'query'],
    },
    { field: 'input', label: 'Input', required: false, synonyms: ['input', 'context'] },
    { field: 'output', label: 'Output', required: true, synonyms: ['output', 'response', 'answer'] },
    { field: 'system', label: 'System', required: false, synonyms: ['system', 'system_prompt'] },
    {
      field: 'history',
      label: 'History (a JSON array of [question, answer])',
      required: false,
      synonyms: ['history'],
    },
  ],
  prompt_completion: [
    {
      field: 'prompt',
      label: 'Prompt',
      required: true,
      synonyms: ['prompt', 'question', 'input', 'instruction'],
    },
    {
      field: 'completion',
      label: 'Completion',
      required: true,
      synonyms: ['completion', 'response', 'answer', 'output'],
    },
    { field: 'system', label: 'System', required: false, synonyms: ['system', 'system_prompt'] },
  ],
  text: [{ field: 'text', label: 'Text', required: true, synonyms: ['text', 'content', 'body', 'document'] }],
};

/** Formats whose columns the user maps to the shape's fields. */
export function needsColumnMapping(format: DatasetFormat): boolean {
  return format === 'csv' || format === 'tsv';
}

/** A first guess of which column feeds each field, by name; fields with no likely column are left out. */
export function guessMapping(shape: DatasetShape, columns: ReadonlyArray<string>): Record<string, string> {
  const mapping: Record<string, string> = {};
  const used = new Set<string>();
  for (const field of SHAPE_FIELDS[shape]) {
    for (const synonym of field.synonyms) {
      const column = columns.find((c) => c.trim().toLowerCase() === synonym && !used.has(c));
      if (column !== undefined) {
        mapping[field.field] = column;
        used.add(column);
        break;
      }
    }
  }
  return mapping;
}

/** Required fields of the shape that have no column yet. */
export function missingFields(shape: DatasetShape, mapping: Readonly<Record<string, string>>): string[] {
  return SHAPE_FIELDS[shape]
    .filter((f) => f.required && (mapping[f.field] === undefined || mapping[f.field] === ''))
    .map((f) => f.label);
}

/** A dataset name from a file path: its base name without the extension. */
export function nameFromPath(path: string): string {
  const base = path.split(/[\\/]/).filter(Boolean).pop() ?? '';
  return base.replace(/\.(jsonl|json|csv|tsv|parquet|txt)(\.gz)?$/i, '') || base;
}
