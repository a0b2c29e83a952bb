import type { CanonicalMessage, CanonicalRow, DatasetRowView } from '../../../../preload/contract';
import { formatCount } from '../../format/format';

/** One line that stands for a row in the list: its first user message, its text, or its raw source. */
export function rowPreview(row: DatasetRowView): string {
  const canonical = row.canonical;
  if (canonical !== null) {
    if ('text' in canonical) return oneLine(canonical.text);
    const messages = 'messages' in canonical ? canonical.messages : canonical.prompt;
    const first = messages.find((m) => m.role === 'user') ?? messages[0];
    return first === undefined ? '(empty conversation)' : oneLine(first.content);
  }
  return oneLine(typeof row.original === 'string' ? row.original : (JSON.stringify(row.original) ?? ''));
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * A row's one visible identity, for people: its source line ("line 1,204", what a researcher can find
 * in their file) or "row 12" for formats without lines. The same words as the core's (validation
 * errors, dedupe, the CLI: `rowLabel` in main/datasets/normalise/build-row.ts).
 */
export function rowLocation(row: Pick<DatasetRowView, 'lineNumber' | 'rowIndex'>): string {
  return row.lineNumber === null
    ? `row ${formatCount(row.rowIndex + 1)}`
    : `line ${formatCount(row.lineNumber)}`;
}

/** The number of a row's identity alone (the table's first column, headed "Line" or "Row"). */
export function rowNumber(row: Pick<DatasetRowView, 'lineNumber' | 'rowIndex'>): string {
  return formatCount(row.lineNumber ?? row.rowIndex + 1);
}

/** A starting point for the editor: the row's canonical form, or a best guess from its source. */
export function editableCanonical(row: DatasetRowView): CanonicalRow {
  if (row.canonical !== null) return row.canonical;
  const original = row.original;
  if (typeof original === 'object' && original !== null) {
    const record = original as Record<string, unknown>;
    if (Array.isArray(record.messages)) {
      return {
        messages: record.messages.map((m): CanonicalMessage => {
          const item = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
          const role = item.role;
          return {
            role: role === 'system' || role === 'assistant' || role === 'tool' ? role : 'user',
            content: typeof item.content === 'string' ? item.content : JSON.stringify(item.content ?? ''),
          };
        }),
      };
    }
    if (typeof record.text === 'string') return { text: record.text };
  }
  return {
    messages: [
      { role: 'user', content: typeof original === 'string' ? original : '' },
      { role: 'assistant', content: '' },
    ],
  };
}
