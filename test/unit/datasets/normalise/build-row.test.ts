import { describe, expect, it } from 'vitest';
import { buildRow, describeProblem } from '../../../../main/datasets/normalise/build-row';
import { jsonRecord } from '../../../../main/datasets/readers/read-json-lines';

function row(text: string, line = 1, shape: Parameters<typeof buildRow>[2] = 'chat') {
  const record = jsonRecord(text, line);
  if (!record) throw new Error('blank');
  const built = buildRow(record, line - 1, shape);
  return { ...built, problems: JSON.parse(built.problemsJson) as Array<{ path: string; message: string }> };
}

describe('building a dataset row', () => {
  it('stores a valid row with its canonical form, hash, length and turns, and the original text exactly', () => {
    const text =
      '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}],"id":12345678901234567890}';
    const built = row(text, 7);
    expect(built).toMatchObject({
      rowIndex: 6,
      lineNumber: 7,
      originalJson: text,
      canonicalJson: '{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}',
      valid: true,
      problems: [],
      charLength: 'Hi\nHello!'.length,
      turns: 2,
    });
    expect(Buffer.from(built.contentHash ?? '').toString('hex')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps rows that fail validation, with canonical where it could be built', () => {
    const noAssistant = row('{"messages":[{"role":"user","content":"Hi"}]}');
    expect(noAssistant.valid).toBe(false);
    expect(noAssistant.canonicalJson).not.toBeNull();
    expect(noAssistant.problems).toEqual([
      { path: 'messages', message: 'no assistant message: there is nothing to learn from' },
    ]);
    const empty = row('{"messages":[]}');
    expect(empty.problems).toEqual([{ path: 'messages', message: 'the conversation is empty' }]);
  });

  it('keeps rows that do not parse, with their text as a JSON string and no canonical form', () => {
    const cut = row('{"messages": [{"role": "user"', 3);
    expect(cut).toMatchObject({
      valid: false,
      canonicalJson: null,
      originalJson: '"{\\"messages\\": [{\\"role\\": \\"user\\""',
    });
    expect(cut.problems[0]!.message).toMatch(/cut off/);
  });

  it('describes a problem with its line, as a person would read it', () => {
    const bad = row(
      '{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"bot","content":"c"}]}',
      1204,
    );
    expect(describeProblem(bad.problems[0]!, bad.lineNumber, bad.rowIndex)).toBe(
      'line 1,204: `messages[2].role` is `bot`; expected system, user, assistant or tool',
    );
    expect(describeProblem({ path: '$', message: 'x' }, null, 41)).toBe('row 42: x');
  });

  it('caps the problems stored for one row', () => {
    const messages = Array.from({ length: 50 }, () => ({ role: 'bot', content: 'x' }));
    const built = row(JSON.stringify({ messages }));
    expect(built.problems).toHaveLength(20);
    expect(built.problems.at(-1)!.message).toBe('and 31 more problems');
  });

  it('turns a tool call nested too deep to stringify into a problem of that row', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const record = {
      lineNumber: 1,
      value: {
        messages: [
          { role: 'user', content: 'x' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ type: 'function', function: { name: 'f', arguments: { deep } } }],
          },
        ],
      },
      originalJson: '"…"',
      problem: null,
    };
    const built = buildRow(record, 0, 'chat');
    expect(built.valid).toBe(false);
    expect(JSON.parse(built.problemsJson)).toEqual([
      { path: '$', message: 'the row is nested too deep to process' },
    ]);
  });
});
