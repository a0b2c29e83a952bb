import { AppError } from '../../errors';
import { parseJsonText } from './parse-json-text';
import { type JsonObject, own } from './row-fields';

/** Fields a column may feed, over all shapes. */
export const MAPPABLE_FIELDS: ReadonlyArray<string> = [
  'messages',
  'conversations',
  'system',
  'instruction',
  'input',
  'output',
  'history',
  'prompt',
  'completion',
  'question',
  'answer',
  'text',
];

/** Fields whose value is a list; a table cell holding JSON text for them is parsed. */
const LIST_FIELDS = new Set(['messages', 'conversations', 'history']);

/** Column names made unique and non-empty, with a note for each one renamed. */
export function uniqueColumnNames(header: ReadonlyArray<string>): { names: string[]; notes: string[] } {
  const seen = new Set<string>();
  const notes: string[] = [];
  const names = header.map((raw, i) => {
    const base = raw.trim() === '' ? `column_${i + 1}` : raw.trim();
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    if (name !== raw) {
      notes.push(
        raw.trim() === ''
          ? `column ${i + 1} has no name: called it \`${name}\``
          : seen.has(base)
            ? `duplicate column \`${base}\` renamed \`${name}\``
            : `column \`${raw}\` trimmed to \`${name}\``,
      );
    }
    seen.add(name);
    return name;
  });
  return { names, notes };
}

/** Refuse a mapping that names an unknown field or a column the file does not have. */
export function checkMapping(
  mapping: Readonly<Record<string, string>>,
  columns: ReadonlyArray<string>,
): void {
  for (const [field, column] of Object.entries(mapping)) {
    if (!MAPPABLE_FIELDS.includes(field)) {
      throw new AppError(
        'BAD_INPUT',
        `unknown field \`${field}\` in the column mapping; expected one of ${MAPPABLE_FIELDS.join(', ')}`,
      );
    }
    if (!columns.includes(column)) {
      throw new AppError(
        'BAD_INPUT',
        `column \`${column}\` (mapped to \`${field}\`) is not in the file; its columns are ${columns.map((c) => `\`${c}\``).join(', ')}`,
      );
    }
  }
}

/**
 * A table row as the shape's fields: through the mapping when one is given (field ← column),
 * otherwise as is. Objects are built with Object.fromEntries, so a column named `__proto__` is an
 * ordinary field and never a prototype. JSON text in list fields (`messages` as a string cell) is parsed.
 */
export function mapColumns(
  record: JsonObject,
  mapping: Readonly<Record<string, string>> | undefined,
): JsonObject {
  const entries: Array<[string, unknown]> = mapping
    ? Object.entries(mapping).map(([field, column]) => [field, own(record, column)])
    : Object.entries(record);
  return Object.fromEntries(entries.map(([field, value]) => [field, reviveList(field, value)]));
}

function reviveList(field: string, value: unknown): unknown {
  if (!LIST_FIELDS.has(field) || typeof value !== 'string' || !value.trimStart().startsWith('['))
    return value;
  const parsed = parseJsonText(value.trim());
  return parsed.ok ? parsed.value : value;
}
