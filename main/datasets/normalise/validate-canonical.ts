import {
  type CanonicalMessage,
  type CanonicalRow,
  CanonicalRowSchema,
  type RowProblem,
} from '../../../preload/contract';

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
  if ('messages' in row) return { row, problems: conversationProblems(row.messages, 'messages') };
  problems.push(...promptProblems(row.prompt));
  if ('chosen' in row) {
    problems.push(...answerProblems(row.chosen, 'chosen'), ...answerProblems(row.rejected, 'rejected'));
    if (row.chosen.length > 0 && JSON.stringify(row.chosen) === JSON.stringify(row.rejected)) {
      problems.push({ path: 'rejected', message: 'the chosen and the rejected answers are the same' });
    }
  } else {
    problems.push(...answerProblems(row.completion, 'completion'));
  }
  return { row, problems };
}

function emptyProblems(messages: ReadonlyArray<CanonicalMessage>, field: string): RowProblem[] {
  const problems: RowProblem[] = [];
  messages.forEach((m, i) => {
    if (m.content.trim() === '' && !(m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0)) {
      problems.push({ path: `${field}[${i}].content`, message: `the ${m.role} message is empty` });
    }
  });
  return problems;
}

/** A preference or KTO prompt: not empty, system first only, ending with what the answer replies to. */
function promptProblems(prompt: ReadonlyArray<CanonicalMessage>): RowProblem[] {
  if (prompt.length === 0) return [{ path: 'prompt', message: 'the prompt is empty' }];
  const problems = emptyProblems(prompt, 'prompt');
  prompt.forEach((m, i) => {
    if (m.role === 'system' && i !== 0) {
      problems.push({ path: `prompt[${i}].role`, message: 'a system message may only come first' });
    }
  });
  const last = prompt.at(-1);
  if (last && last.role !== 'user' && last.role !== 'tool') {
    problems.push({
      path: `prompt[${prompt.length - 1}].role`,
      message: `the prompt ends with ${last.role === 'assistant' ? 'an' : 'a'} ${last.role} message; it must end with what the answer replies to (user or tool)`,
    });
  }
  return problems;
}

/** A chosen/rejected/completion answer: assistant turns (tool turns between calls allowed), ending with the assistant. */
function answerProblems(answer: ReadonlyArray<CanonicalMessage>, field: string): RowProblem[] {
  if (answer.length === 0) return [{ path: field, message: `the ${field} answer is empty` }];
  const problems = emptyProblems(answer, field);
  answer.forEach((m, i) => {
    if (m.role !== 'assistant' && m.role !== 'tool') {
      problems.push({
        path: `${field}[${i}].role`,
        message: `the ${field} answer holds a ${m.role} message`,
      });
    }
  });
  if (answer.at(-1)?.role !== 'assistant') {
    problems.push({ path: field, message: `the ${field} answer does not end with an assistant message` });
  }
  return problems;
}

function conversationProblems(messages: ReadonlyArray<CanonicalMessage>, field: string): RowProblem[] {
  const problems: RowProblem[] = [];
  if (messages.length === 0) {
    problems.push({ path: field, message: 'the conversation is empty' });
    return problems;
  }
  problems.push(...emptyProblems(messages, field));
  messages.forEach((m, i) => {
    if (m.role === 'system' && i !== 0) {
      problems.push({ path: `${field}[${i}].role`, message: 'a system message may only come first' });
    }
  });
  if (!messages.some((m) => m.role === 'assistant')) {
    problems.push({ path: field, message: 'no assistant message: there is nothing to learn from' });
  }
  const last = messages.at(-1);
  if (last && last.role !== 'assistant' && messages.some((m) => m.role === 'assistant')) {
    problems.push({
      path: `${field}[${messages.length - 1}].role`,
      message: `ends with a ${last.role} message, not an assistant reply`,
    });
  }
  return problems;
}
