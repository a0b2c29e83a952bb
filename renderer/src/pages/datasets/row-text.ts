import type { CanonicalMessage, CanonicalRow, DatasetRowView } from '../../../../preload/contract';

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

/** Where a row came from, for people: "line 12" when the file has lines, else "row 12". */
export function rowLocation(row: DatasetRowView): string {
  return row.lineNumber === null ? `row ${row.rowIndex + 1}` : `line ${row.lineNumber}`;
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
