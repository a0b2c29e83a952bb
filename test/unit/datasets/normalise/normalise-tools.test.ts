import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../../main/datasets/normalise/build-row';
import { detectShape } from '../../../../main/datasets/normalise/detect-shape';
import { normaliseRow } from '../../../../main/datasets/normalise/normalise-row';

const search = {
  name: 'search',
  description: 'Search the web',
  parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
};

/** A LLaMA-Factory v1 style row: content parts carry `value`, reasoning and tool calls are parts. */
const v1Row = {
  messages: [
    { role: 'system', content: [{ type: 'text', value: 'You are helpful.' }] },
    { role: 'user', content: [{ type: 'text', value: 'Find cats' }], loss_weight: 0.0 },
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', value: 'I should search.' },
        { type: 'tool_call', value: '{"name": "search", "arguments": {"q": "cats"}}' },
      ],
    },
    { role: 'tool', content: [{ type: 'text', value: '["cat1"]' }] },
    { role: 'assistant', content: [{ type: 'text', value: 'Found cat1.' }] },
  ],
  tools: JSON.stringify([search]),
};

describe('content parts', () => {
  it('reads `value` as well as `text`, reasoning as a <think> block and tool_call parts as tool calls', () => {
    expect(normaliseRow(v1Row, 'chat')).toEqual({
      canonical: {
        messages: [
          { role: 'system', content: 'You are helpful.' },
          { role: 'user', content: 'Find cats' },
          {
            role: 'assistant',
            content: '<think>\nI should search.\n</think>\n\n',
            tool_calls: [{ type: 'function', function: { name: 'search', arguments: { q: 'cats' } } }],
          },
          { role: 'tool', content: '["cat1"]' },
          { role: 'assistant', content: 'Found cat1.' },
        ],
        tools: [{ type: 'function', function: search }],
      },
      problems: [],
    });
  });

  it('says exactly what is wrong with a text part that has neither `text` nor `value`', () => {
    const row = { messages: [{ role: 'user', content: [{ type: 'text', body: 'x' }] }] };
    expect(normaliseRow(row, 'chat').problems).toEqual([
      {
        path: 'messages[0].content[0]',
        message: '`messages[0].content[0]` is a `text` part with neither `text` nor `value` as a string',
      },
    ]);
  });

  it('refuses multimodal messages with one problem that counts their parts', () => {
    const row = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'a.png' } },
            { type: 'image', value: 'b.png' },
            { type: 'input_audio', input_audio: { data: '…' } },
          ],
        },
        { role: 'assistant', content: 'A cat.' },
      ],
    };
    expect(normaliseRow(row, 'chat')).toEqual({
      canonical: null,
      problems: [
        {
          path: 'messages[0].content[1]',
          message:
            'multimodal rows are not supported yet: this message has 2 image parts, 1 audio part (only text can be trained on)',
        },
      ],
    });
  });
});

describe('tools', () => {
  it('keeps OpenAI tool calls with JSON-text arguments as objects, and refuses arguments that are not an object', () => {
    const row = (args: string) => ({
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: args } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
        { role: 'assistant', content: 'done' },
      ],
      tools: [{ type: 'function', function: search }],
    });
    const ok = normaliseRow(row('{"q":"x"}'), 'chat').canonical as {
      messages: Array<{ tool_calls?: unknown }>;
    };
    expect(ok.messages[1]!.tool_calls).toEqual([
      { id: 'c1', type: 'function', function: { name: 'search', arguments: { q: 'x' } } },
    ]);
    expect(normaliseRow(row('not json'), 'chat').problems).toEqual([
      {
        path: 'messages[1].tool_calls[0].arguments',
        message:
          "`messages[1].tool_calls[0].arguments` is `not json`; expected the call's arguments as a JSON object",
      },
    ]);
  });

  it('maps ShareGPT parallel function calls and names a function_call that is not JSON', () => {
    const calls = [
      { name: 'search', arguments: { q: 'a' } },
      { name: 'search', arguments: { q: 'b' } },
    ];
    const row = {
      conversations: [
        { from: 'human', value: 'a and b' },
        { from: 'function_call', value: JSON.stringify(calls) },
        { from: 'observation', value: '[1, 2]' },
        { from: 'gpt', value: 'Both found.' },
      ],
      tools: [search],
    };
    const canonical = normaliseRow(row, 'sharegpt').canonical as {
      messages: Array<{ tool_calls?: unknown }>;
    };
    expect(canonical.messages[1]!.tool_calls).toEqual(calls.map((c) => ({ type: 'function', function: c })));
    const broken = {
      conversations: [
        { from: 'human', value: 'x' },
        { from: 'function_call', value: 'search(x)' },
      ],
    };
    expect(normaliseRow(broken, 'sharegpt').problems).toEqual([
      {
        path: 'conversations[1].value',
        message: '`conversations[1].value` is `search(x)`; expected a tool call as JSON {name, arguments}',
      },
    ]);
    expect(normaliseRow({ ...row, tools: '{oops' }, 'sharegpt').problems).toEqual([
      {
        path: 'tools',
        message: '`tools` is `{oops`; expected a list of tool definitions (or its JSON text)',
      },
    ]);
  });

  it('turns Hermes/ChatML tool tags into tools, tool calls and tool turns', () => {
    const row = {
      conversations: [
        {
          from: 'system',
          value: `You are a function calling AI model. <tools>\n${JSON.stringify({ type: 'function', function: search })}\n</tools> Use them.`,
        },
        { from: 'human', value: 'Find cats' },
        {
          from: 'gpt',
          value: 'Searching.\n<tool_call>\n{"name": "search", "arguments": {"q": "cats"}}\n</tool_call>',
        },
        { from: 'tool', value: '<tool_response>\n["cat1"]\n</tool_response>' },
        { from: 'gpt', value: 'Found cat1.' },
      ],
    };
    expect(normaliseRow(row, 'sharegpt')).toEqual({
      canonical: {
        messages: [
          { role: 'system', content: 'You are a function calling AI model.  Use them.' },
          { role: 'user', content: 'Find cats' },
          {
            role: 'assistant',
            content: 'Searching.',
            tool_calls: [{ type: 'function', function: { name: 'search', arguments: { q: 'cats' } } }],
          },
          { role: 'tool', content: '["cat1"]' },
          { role: 'assistant', content: 'Found cat1.' },
        ],
        tools: [{ type: 'function', function: search }],
      },
      problems: [],
    });
  });

  it('a tool-calling row is valid, hashed with its calls, and shape detection shows the evidence', () => {
    const record = (value: unknown) => ({
      lineNumber: 1,
      value,
      originalJson: JSON.stringify(value),
      problem: null,
    });
    const built = buildRow(record(v1Row), 0, 'chat');
    expect(built.valid).toBe(true);
    expect(JSON.parse(built.canonicalJson!).tools).toHaveLength(1);
    const other = structuredClone(v1Row);
    other.messages[2]!.content[1]!.value = '{"name": "search", "arguments": {"q": "dogs"}}';
    expect(buildRow(record(other), 1, 'chat').contentHash).not.toEqual(built.contentHash);
    const glaive = {
      conversations: [
        { from: 'human', value: 'x' },
        { from: 'function_call', value: '{"name": "search", "arguments": {}}' },
        { from: 'observation', value: '1' },
        { from: 'gpt', value: 'y' },
      ],
      tools: JSON.stringify([search]),
    };
    const detection = detectShape([glaive, glaive, { conversations: [{ from: 'human', value: 'a' }] }]);
    expect(detection.shape).toBe('sharegpt');
    expect(detection.evidence).toEqual([
      '3 of 3 sampled rows have a `conversations` array of {from, value}',
      '2 of 3 sampled rows have a `tools` list: tool use is kept for training',
      '2 of 3 sampled rows have ShareGPT `function_call`/`observation` turns: tool use is kept for training',
    ]);
  });
});
