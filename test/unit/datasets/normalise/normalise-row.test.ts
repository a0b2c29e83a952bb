import { describe, expect, it } from 'vitest';
import { normaliseRow } from '../../../../main/datasets/normalise/normalise-row';

const weatherTool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

describe('normalising chat rows', () => {
  it('keeps system and tool messages, tool calls and tool call ids', () => {
    const toolCall = {
      id: 'call_1',
      type: 'function',
      function: { name: 'weather', arguments: '{"city":"Oslo"}' },
    };
    const row = {
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [toolCall] },
        { role: 'tool', tool_call_id: 'call_1', name: 'weather', content: '{"temp": 3}' },
        { role: 'assistant', content: 'It is 3 °C.', weight: 1 },
      ],
      tools: [weatherTool],
    };
    expect(normaliseRow(row, 'chat')).toEqual({
      canonical: {
        messages: [
          { role: 'system', content: 'You are helpful.' },
          { role: 'user', content: 'Weather in Oslo?' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ ...toolCall, function: { name: 'weather', arguments: { city: 'Oslo' } } }],
          },
          { role: 'tool', content: '{"temp": 3}', name: 'weather', tool_call_id: 'call_1' },
          { role: 'assistant', content: 'It is 3 °C.' },
        ],
        tools: [weatherTool],
      },
      problems: [],
    });
  });

  it('joins text content parts with newlines and refuses image parts', () => {
    const parts = [
      { type: 'text', text: 'First part.' },
      { type: 'text', text: 'Second part.' },
    ];
    const row = {
      messages: [
        { role: 'user', content: parts },
        { role: 'assistant', content: [{ type: 'text', text: 'ok' }] },
      ],
    };
    expect(normaliseRow(row, 'chat').canonical).toEqual({
      messages: [
        { role: 'user', content: 'First part.\nSecond part.' },
        { role: 'assistant', content: 'ok' },
      ],
    });
    const image = { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] };
    expect(normaliseRow(image, 'chat')).toEqual({
      canonical: null,
      problems: [
        {
          path: 'messages[0].content[0]',
          message:
            'multimodal rows are not supported yet: this message has 1 image part (only text can be trained on)',
        },
      ],
    });
  });

  it('maps developer to system, function to tool, and a legacy function_call to one tool call', () => {
    const row = {
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Add 2 and 2' },
        { role: 'assistant', content: null, function_call: { name: 'add', arguments: '{"a":2,"b":2}' } },
        { role: 'function', name: 'add', content: '4' },
        { role: 'assistant', content: '4' },
      ],
    };
    const canonical = normaliseRow(row, 'chat').canonical as { messages: Array<Record<string, unknown>> };
    expect(canonical.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
    ]);
    expect(canonical.messages[2]!.tool_calls).toEqual([
      { type: 'function', function: { name: 'add', arguments: { a: 2, b: 2 } } },
    ]);
  });

  it('names the path and the value of every wrong field', () => {
    const row = {
      messages: [
        { role: 'user', content: 42 },
        { role: 'bot', content: 'x' },
        'hello',
        { role: 'assistant', content: 'ok', tool_calls: 'none' },
      ],
    };
    expect(normaliseRow(row, 'chat')).toEqual({
      canonical: null,
      problems: [
        {
          path: 'messages[0].content',
          message: '`messages[0].content` is a number (42); expected text or a list of text parts',
        },
        {
          path: 'messages[1].role',
          message: '`messages[1].role` is `bot`; expected system, user, assistant or tool',
        },
        { path: 'messages[2]', message: '`messages[2]` is `hello`; expected {role, content}' },
        {
          path: 'messages[3].tool_calls',
          message: '`messages[3].tool_calls` is a string; expected an array',
        },
      ],
    });
    expect(normaliseRow({ messages: 'hi' }, 'chat').problems).toEqual([
      { path: 'messages', message: '`messages` is `hi`; expected an array of {role, content}' },
    ]);
    expect(normaliseRow({ text: 'x' }, 'chat').problems).toEqual([
      { path: 'messages', message: '`messages` is missing; expected an array of {role, content}' },
    ]);
    expect(normaliseRow([1, 2], 'chat').problems).toEqual([
      { path: '$', message: 'the row is an array; expected an object with a `messages` array' },
    ]);
  });

  it('reads a ShareGPT-style `messages` list as ShareGPT', () => {
    const row = {
      messages: [
        { from: 'human', value: 'hi' },
        { from: 'gpt', value: 'hello' },
      ],
    };
    expect(normaliseRow(row, 'chat').canonical).toEqual({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ],
    });
  });
});

describe('normalising ShareGPT rows', () => {
  it('maps speakers, function calls to assistant tool calls, observations to tool turns, tools to the row', () => {
    const row = {
      system: 'You can call tools.',
      tools: '[{"name": "search"}]',
      conversations: [
        { from: 'human', value: 'Find cats' },
        { from: 'function_call', value: '{"name": "search", "arguments": {"q": "cats"}}' },
        { from: 'observation', value: '["cat1"]' },
        { from: 'gpt', value: 'Found cat1.' },
        { from: 'user', value: 'Thanks' },
        { from: 'chatgpt', value: 'Welcome' },
      ],
    };
    expect(normaliseRow(row, 'sharegpt')).toEqual({
      canonical: {
        messages: [
          { role: 'system', content: 'You can call tools.' },
          { role: 'user', content: 'Find cats' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ type: 'function', function: { name: 'search', arguments: { q: 'cats' } } }],
          },
          { role: 'tool', content: '["cat1"]' },
          { role: 'assistant', content: 'Found cat1.' },
          { role: 'user', content: 'Thanks' },
          { role: 'assistant', content: 'Welcome' },
        ],
        tools: [{ type: 'function', function: { name: 'search' } }],
      },
      problems: [],
    });
  });

  it('names unknown speakers and wrong values', () => {
    const row = {
      conversations: [
        { from: 'bot', value: 'x' },
        { from: 'gpt', value: 7 },
      ],
    };
    expect(normaliseRow(row, 'sharegpt').problems).toEqual([
      {
        path: 'conversations[0].from',
        message:
          '`conversations[0].from` is `bot`; expected human, gpt, system, function_call or observation',
      },
      {
        path: 'conversations[1].value',
        message: '`conversations[1].value` is a number (7); expected text or a list of text parts',
      },
    ]);
  });
});

describe('normalising Alpaca, prompt/completion and text rows', () => {
  it('turns Alpaca with system and history into prior turns then the instruction', () => {
    const row = {
      system: 'You are a tutor.',
      history: [
        ['What is 1+1?', '2'],
        ['And 2+2?', '4'],
      ],
      instruction: 'Add these',
      input: '3 and 3',
      output: '6',
    };
    expect(normaliseRow(row, 'alpaca').canonical).toEqual({
      messages: [
        { role: 'system', content: 'You are a tutor.' },
        { role: 'user', content: 'What is 1+1?' },
        { role: 'assistant', content: '2' },
        { role: 'user', content: 'And 2+2?' },
        { role: 'assistant', content: '4' },
        { role: 'user', content: 'Add these\n3 and 3' },
        { role: 'assistant', content: '6' },
      ],
    });
    expect(normaliseRow({ instruction: 'Hi', input: '', output: 'Hello' }, 'alpaca').canonical).toEqual({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
    });
  });

  it('names a broken history pair and a missing output', () => {
    expect(normaliseRow({ instruction: 'x', history: [['q']], output: 'y' }, 'alpaca').problems).toEqual([
      { path: 'history[0]', message: '`history[0]` is not a [question, answer] pair of strings' },
    ]);
    expect(normaliseRow({ instruction: 'x' }, 'alpaca').problems).toEqual([
      { path: 'output', message: '`output` is missing' },
    ]);
  });

  it('reads prompt/completion and question/answer', () => {
    expect(normaliseRow({ prompt: 'p', completion: 'c' }, 'prompt_completion').canonical).toEqual({
      messages: [
        { role: 'user', content: 'p' },
        { role: 'assistant', content: 'c' },
      ],
    });
    expect(normaliseRow({ question: 'q', answer: 'a', system: 's' }, 'prompt_completion').canonical).toEqual({
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    });
  });

  it('reads text from a field or a bare string, and refuses a non-string text', () => {
    expect(normaliseRow({ text: 'hello' }, 'text').canonical).toEqual({ text: 'hello' });
    expect(normaliseRow('hello', 'text').canonical).toEqual({ text: 'hello' });
    expect(normaliseRow({ text: 42 }, 'text').problems).toEqual([
      { path: 'text', message: '`text` is a number (42); expected a string' },
    ]);
  });

  it('never reads fields from the prototype (`constructor`, `__proto__`)', () => {
    const row = JSON.parse('{"__proto__": {"text": "from proto"}, "constructor": {"prototype": {"x": 1}}}');
    expect(normaliseRow(row, 'text').problems).toEqual([{ path: 'text', message: '`text` is missing' }]);
    expect(normaliseRow({}, 'alpaca').problems.map((p) => p.path)).toEqual(['instruction', 'output']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
