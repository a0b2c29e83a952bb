import { type CanonicalRow, CanonicalRowSchema, type RowProblem } from '../../../preload/contract';

/**
 * Problems of a canonical row that make it unfit for training, in words a person can act on.
 * An empty list means the row is valid. Used by the importer and by row editing.
 */
export function validateCanonicalRow(value: unknown): { row: CanonicalRow | null; problems: RowProblem[] } {
  const parsed = CanonicalRowSchema.safeParse(value);
  if (!parsed.success) {
    return {
      row: null,
      problems: parsed.error.issues.slice(0, 5).map((i) => ({
        path: i.path.map(String).join('.') || '$',
        message: i.message,
      })),
    };
  }
  const row = parsed.data;
  const problems: RowProblem[] = [];
  if ('text' in row) {
    if (row.text.trim() === '') problems.push({ path: 'text', message: 'the text is empty' });
    return { row, problems };
  }
  const { messages } = row;
  if (messages.length === 0) {
    problems.push({ path: 'messages', message: 'the conversation is empty' });
    return { row, problems };
  }
  messages.forEach((m, i) => {
    if (m.content.trim() === '' && !(m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0)) {
      problems.push({ path: `messages[${i}].content`, message: `the ${m.role} message is empty` });
    }
    if (m.role === 'system' && i !== 0) {
      problems.push({ path: `messages[${i}].role`, message: 'a system message may only come first' });
    }
  });
  if (!messages.some((m) => m.role === 'assistant')) {
    problems.push({ path: 'messages', message: 'no assistant message: there is nothing to learn from' });
  }
  const last = messages.at(-1);
  if (last && last.role !== 'assistant' && messages.some((m) => m.role === 'assistant')) {
    problems.push({
      path: `messages[${messages.length - 1}].role`,
      message: `ends with a ${last.role} message, not an assistant reply`,
    });
  }
  return { row, problems };
}
