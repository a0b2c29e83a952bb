import type { CanonicalMessage, RowProblem, ToolCall, ToolDefinition } from '../../../preload/contract';
import { describeValue, isObject, type JsonObject, own } from '../readers/row-fields';

/** A JSON text parsed, or undefined when it is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Tool definitions in OpenAI form ({type: "function", function: {name, description, parameters}}),
 * from a list or a JSON string of one (LLaMA-Factory keeps them as a string). Bare
 * {name, description, parameters} items (glaive, LLaMA-Factory) are wrapped. Undefined when absent.
 */
export function normaliseTools(
  value: unknown,
  path: string,
  problems: RowProblem[],
): ToolDefinition[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const list = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(list)) {
    problems.push({
      path,
      message: `\`${path}\` is ${describeValue(value)}; expected a list of tool definitions (or its JSON text)`,
    });
    return undefined;
  }
  const tools: ToolDefinition[] = [];
  list.forEach((item: unknown, i) => {
    const where = `${path}[${i}]`;
    const fn =
      isObject(item) && isObject(own(item, 'function')) ? (own(item, 'function') as JsonObject) : item;
    const name = isObject(fn) ? own(fn, 'name') : undefined;
    if (!isObject(fn) || typeof name !== 'string' || name === '') {
      problems.push({
        path: where,
        message: `\`${where}\` is ${describeValue(item)}; expected a tool with a \`name\``,
      });
      return;
    }
    tools.push({ type: 'function', function: { ...fn, name } });
  });
  return tools.length > 0 ? tools : undefined;
}

/** Tool call arguments as an object: JSON text is parsed, an absent value is `{}`. */
function callArguments(value: unknown, path: string, problems: RowProblem[]): Record<string, unknown> | null {
  if (value === undefined || value === null || value === '') return {};
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (isObject(parsed)) return { ...parsed };
  problems.push({
    path,
    message: `\`${path}\` is ${describeValue(value)}; expected the call's arguments as a JSON object`,
  });
  return null;
}

/**
 * One tool call in canonical form, from OpenAI's {id, type, function: {name, arguments}}, a bare
 * {name, arguments} (ShareGPT `function_call`, Hermes `<tool_call>`) or {name, parameters}.
 */
export function normaliseToolCall(value: unknown, path: string, problems: RowProblem[]): ToolCall | null {
  const fn =
    isObject(value) && isObject(own(value, 'function')) ? (own(value, 'function') as JsonObject) : value;
  const name = isObject(fn) ? own(fn, 'name') : undefined;
  if (!isObject(fn) || typeof name !== 'string' || name === '') {
    problems.push({
      path,
      message: `\`${path}\` is ${describeValue(value)}; expected a tool call with a \`name\``,
    });
    return null;
  }
  const argsKey =
    own(fn, 'arguments') === undefined && own(fn, 'parameters') !== undefined ? 'parameters' : 'arguments';
  const args = callArguments(own(fn, argsKey), `${path}.${argsKey}`, problems);
  if (args === null) return null;
  const id = isObject(value) ? own(value, 'id') : undefined;
  return {
    ...(typeof id === 'string' && id !== '' ? { id } : {}),
    type: 'function',
    function: { name, arguments: args },
  };
}

/** A list of tool calls (or one), each normalised; null when any is wrong. */
export function normaliseToolCalls(value: unknown, path: string, problems: RowProblem[]): ToolCall[] | null {
  const list = Array.isArray(value) ? value : [value];
  const before = problems.length;
  const calls = list.map((item: unknown, i) =>
    normaliseToolCall(item, Array.isArray(value) ? `${path}[${i}]` : path, problems),
  );
  return problems.length > before ? null : calls.filter((c): c is ToolCall => c !== null);
}

/** ShareGPT `function_call` text: JSON of one call or a list of parallel calls. */
export function toolCallsFromText(text: string, path: string, problems: RowProblem[]): ToolCall[] | null {
  const parsed = parseJson(text);
  if (parsed === undefined) {
    problems.push({
      path,
      message: `\`${path}\` is ${describeValue(text)}; expected a tool call as JSON {name, arguments}`,
    });
    return null;
  }
  return normaliseToolCalls(parsed, path, problems);
}

const TOOL_CALL_TAG = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g;
const TOOL_RESPONSE = /^\s*<tool_response>\s*([\s\S]*?)\s*<\/tool_response>\s*$/;
const TOOLS_BLOCK = /<tools>\s*([\s\S]*?)\s*<\/tools>/;

/** Whether a text carries Hermes/ChatML tool tags (`<tool_call>`, `<tool_response>`, `<tools>`). */
export function hasToolTags(text: string): boolean {
  return text.includes('<tool_call>') || text.includes('<tool_response>') || text.includes('<tools>');
}

/** The JSON items of a `<tools>` block: a list, or one object per line (Hermes writes both). */
function toolsBlockItems(body: string): unknown {
  const whole = parseJson(body);
  if (whole !== undefined) return Array.isArray(whole) ? whole : [whole];
  const lines = body.split('\n').filter((l) => l.trim() !== '');
  const items = lines.map((l) => parseJson(l));
  return items.every((i) => i !== undefined) ? items : body;
}

/**
 * Hermes/ChatML-style tool tags turned into structure: `<tool_call>{json}</tool_call>` in an
 * assistant turn become its tool_calls; a turn that is one `<tool_response>` becomes a tool turn;
 * a `<tools>` block in the system prompt becomes the row's tools (and leaves the prompt), unless the
 * row has tools already. The chat template writes the tags back in the model's own format.
 */
export function structureToolTags(
  messages: CanonicalMessage[],
  tools: ToolDefinition[] | undefined,
  field: string,
  problems: RowProblem[],
): { messages: CanonicalMessage[]; tools: ToolDefinition[] | undefined } {
  let foundTools = tools;
  const out = messages.map((m, i): CanonicalMessage => {
    const path = `${field}[${i}].content`;
    if (!hasToolTags(m.content)) return m;
    if (m.role === 'system' && foundTools === undefined) {
      const block = TOOLS_BLOCK.exec(m.content);
      if (block) {
        foundTools = normaliseTools(toolsBlockItems(block[1] ?? ''), `${path}<tools>`, problems);
        return { ...m, content: m.content.replace(TOOLS_BLOCK, '').trim() };
      }
    }
    if (m.role === 'assistant' && m.content.includes('<tool_call>')) {
      const calls: ToolCall[] = [...(m.tool_calls ?? [])];
      for (const match of m.content.matchAll(TOOL_CALL_TAG)) {
        const found = toolCallsFromText(match[1] ?? '', `${path}<tool_call>`, problems);
        if (found) calls.push(...found);
      }
      return { ...m, content: m.content.replace(TOOL_CALL_TAG, '').trim(), tool_calls: calls };
    }
    const response = TOOL_RESPONSE.exec(m.content);
    if (response && (m.role === 'user' || m.role === 'tool'))
      return { ...m, role: 'tool', content: response[1] ?? '' };
    return m;
  });
  return { messages: out, tools: foundTools };
}
