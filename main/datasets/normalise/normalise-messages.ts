import type { CanonicalMessage, Role, RowProblem, ToolCall, ToolDefinition } from '../../../preload/contract';
import { describeValue, isObject, type JsonObject, own, typeInWords } from '../readers/row-fields';
import { formatCount } from '../readers/source-record';
import { normaliseToolCalls, normaliseTools, structureToolTags, toolCallsFromText } from './normalise-tools';

/** Messages plus what was wrong with them; `messages` is null when they cannot be salvaged. */
export interface NormalisedMessages {
  readonly messages: CanonicalMessage[] | null;
  /** The tools the conversation may call (row-level `tools`, or a Hermes `<tools>` block). */
  readonly tools?: ToolDefinition[];
  readonly problems: RowProblem[];
}

/**
 * OpenAI-style roles. `developer` (OpenAI's newer name for system) and `function` (its legacy
 * name for tool results) are mapped; anything else is a problem.
 */
const CHAT_ROLES: Readonly<Record<string, Role>> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};

/** ShareGPT speakers. `function_call` turns are the assistant calling a tool (kept as text). */
const SHAREGPT_ROLES: Readonly<Record<string, Role>> = {
  system: 'system',
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  model: 'assistant',
  function_call: 'assistant',
  observation: 'tool',
  function: 'tool',
  tool: 'tool',
};

/** Content parts that carry text: OpenAI chat (`text`), Responses API (`input_text`, `output_text`). */
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);
/** Reasoning parts (LLaMA-Factory v1 `reasoning`, Anthropic-style `thinking`): kept as `<think>` text. */
const REASONING_PARTS = new Set(['reasoning', 'thinking']);
/** Parts that carry a tool call as JSON {name, arguments} (LLaMA-Factory v1). */
const TOOL_CALL_PARTS = new Set(['tool_call', 'function_call']);

/** A part's text: `text` (OpenAI) or `value` (LLaMA-Factory v1); undefined when neither is a string. */
function partText(part: JsonObject): string | undefined {
  const text = own(part, 'text');
  if (typeof text === 'string') return text;
  const value = own(part, 'value');
  return typeof value === 'string' ? value : undefined;
}

/** Message content: its text and any tool calls carried as parts. */
export interface MessageContent {
  readonly text: string;
  readonly toolCalls: ToolCall[];
}

/**
 * Message content as one string: a string as is, null as empty (an assistant turn that only calls
 * tools), a list of text parts joined with newlines (as OpenAI-compatible servers do for text-only
 * models); reasoning parts become a leading `<think>` block and tool-call parts tool calls.
 * Non-text parts (images, audio) are one problem per row: dropping them would change the meaning.
 */
export function messageContent(
  content: unknown,
  path: string,
  problems: RowProblem[],
): MessageContent | null {
  if (typeof content === 'string') return { text: content, toolCalls: [] };
  if (content === null || content === undefined) return { text: '', toolCalls: [] };
  if (!Array.isArray(content)) {
    problems.push({
      path,
      message: `\`${path}\` is ${describeValue(content)}; expected text or a list of text parts`,
    });
    return null;
  }
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ToolCall[] = [];
  const media: Map<string, number> = new Map();
  let firstMedia: string | null = null;
  let ok = true;
  content.forEach((part: unknown, i) => {
    const partPath = `${path}[${i}]`;
    if (typeof part === 'string') {
      texts.push(part);
      return;
    }
    if (!isObject(part)) {
      ok = false;
      problems.push({
        path: partPath,
        message: `\`${partPath}\` is ${describeValue(part)}; expected {type: "text", text}`,
      });
      return;
    }
    const type = own(part, 'type');
    const text = partText(part);
    const kind = type === undefined ? 'text' : typeof type === 'string' ? type : null;
    if (kind !== null && (TEXT_PARTS.has(kind) || REASONING_PARTS.has(kind) || TOOL_CALL_PARTS.has(kind))) {
      if (text === undefined) {
        ok = false;
        problems.push({
          path: partPath,
          message: `\`${partPath}\` is a \`${kind}\` part with neither \`text\` nor \`value\` as a string`,
        });
      } else if (REASONING_PARTS.has(kind)) reasoning.push(text);
      else if (TOOL_CALL_PARTS.has(kind)) {
        const calls = toolCallsFromText(text, partPath, problems);
        if (calls) toolCalls.push(...calls);
        else ok = false;
      } else texts.push(text);
      return;
    }
    ok = false;
    if (kind === null) {
      problems.push({
        path: partPath,
        message: `\`${partPath}.type\` is ${describeValue(type)}; expected a string`,
      });
      return;
    }
    const mediaKind = kind.replace(/^input_/, '').replace(/_url$/, '');
    media.set(mediaKind, (media.get(mediaKind) ?? 0) + 1);
    firstMedia ??= partPath;
  });
  if (firstMedia !== null) {
    const counts = [...media].map(([k, n]) => `${formatCount(n)} ${k} part${n === 1 ? '' : 's'}`).join(', ');
    problems.push({
      path: firstMedia,
      message: `multimodal rows are not supported yet: this message has ${counts} (only text can be trained on)`,
    });
  }
  if (!ok) return null;
  const body = texts.join('\n');
  const text = reasoning.length > 0 ? `<think>\n${reasoning.join('\n')}\n</think>\n\n${body}` : body;
  return { text, toolCalls };
}

function optionalString(
  item: JsonObject,
  key: string,
  path: string,
  problems: RowProblem[],
): string | undefined {
  const value = own(item, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  problems.push({
    path: `${path}.${key}`,
    message: `\`${path}.${key}\` is ${typeInWords(value)}; expected a string`,
  });
  return undefined;
}

function expectList(value: unknown, field: string, what: string, problems: RowProblem[]): unknown[] | null {
  if (Array.isArray(value)) return value;
  problems.push({
    path: field,
    message:
      value === undefined
        ? `\`${field}\` is missing; expected an array of ${what}`
        : `\`${field}\` is ${describeValue(value)}; expected an array of ${what}`,
  });
  return null;
}

/** Tools and Hermes tags of a conversation folded in; no messages when any problem was found. */
function finish(
  messages: CanonicalMessage[],
  row: JsonObject,
  field: string,
  problems: RowProblem[],
): NormalisedMessages {
  const tools = normaliseTools(own(row, 'tools'), 'tools', problems);
  const structured = structureToolTags(messages, tools, field, problems);
  if (problems.length > 0) return { messages: null, problems };
  return structured.tools
    ? { messages: structured.messages, tools: structured.tools, problems }
    : { messages: structured.messages, problems };
}

/**
 * OpenAI chat messages ({role, content, name?, tool_calls?, tool_call_id?}) in canonical form,
 * with the row's `tools`. A legacy `function_call` becomes one tool call.
 */
export function normaliseChatMessages(row: JsonObject, field = 'messages'): NormalisedMessages {
  const problems: RowProblem[] = [];
  const list = expectList(own(row, field), field, '{role, content}', problems);
  if (!list) return { messages: null, problems };
  const messages: CanonicalMessage[] = [];
  list.forEach((item: unknown, i) => {
    const path = `${field}[${i}]`;
    if (!isObject(item)) {
      problems.push({ path, message: `\`${path}\` is ${describeValue(item)}; expected {role, content}` });
      return;
    }
    const rawRole = own(item, 'role');
    const role =
      typeof rawRole === 'string' && Object.hasOwn(CHAT_ROLES, rawRole) ? CHAT_ROLES[rawRole] : undefined;
    if (!role) {
      problems.push({
        path: `${path}.role`,
        message: `\`${path}.role\` is ${describeValue(rawRole)}; expected system, user, assistant or tool`,
      });
    }
    const content = messageContent(own(item, 'content'), `${path}.content`, problems);
    const message: CanonicalMessage = { role: role ?? 'user', content: content?.text ?? '' };
    const name = optionalString(item, 'name', path, problems);
    if (name !== undefined) message.name = name;
    const toolCallId = optionalString(item, 'tool_call_id', path, problems);
    if (toolCallId !== undefined) message.tool_call_id = toolCallId;
    const toolCalls = own(item, 'tool_calls');
    const functionCall = own(item, 'function_call');
    const calls: ToolCall[] = [...(content?.toolCalls ?? [])];
    if (Array.isArray(toolCalls)) {
      calls.push(...(normaliseToolCalls(toolCalls, `${path}.tool_calls`, problems) ?? []));
    } else if (toolCalls !== undefined && toolCalls !== null) {
      const where = `${path}.tool_calls`;
      problems.push({ path: where, message: `\`${where}\` is ${typeInWords(toolCalls)}; expected an array` });
    } else if (functionCall !== undefined && functionCall !== null) {
      calls.push(...(normaliseToolCalls(functionCall, `${path}.function_call`, problems) ?? []));
    }
    if (calls.length > 0) message.tool_calls = calls;
    messages.push(message);
  });
  return finish(messages, row, field, problems);
}

/**
 * ShareGPT turns ({from, value}, also {role, content}) in canonical form. A top-level `system`
 * string becomes the first message (LLaMA-Factory's layout); `function_call` turns become assistant
 * tool calls, `observation` turns tool results, and the top-level `tools` (a list or its JSON text)
 * the row's tools.
 */
export function normaliseShareGptMessages(row: JsonObject, listField?: string): NormalisedMessages {
  const field =
    listField ??
    (own(row, 'conversations') !== undefined || own(row, 'messages') === undefined
      ? 'conversations'
      : 'messages');
  const problems: RowProblem[] = [];
  const list = expectList(own(row, field), field, '{from, value}', problems);
  if (!list) return { messages: null, problems };
  const messages: CanonicalMessage[] = [];
  const system = own(row, 'system');
  if (typeof system === 'string' && system.trim() !== '') messages.push({ role: 'system', content: system });
  else if (system !== undefined && system !== null && typeof system !== 'string') {
    problems.push({ path: 'system', message: `\`system\` is ${typeInWords(system)}; expected a string` });
  }
  list.forEach((item: unknown, i) => {
    const path = `${field}[${i}]`;
    if (!isObject(item)) {
      problems.push({ path, message: `\`${path}\` is ${describeValue(item)}; expected {from, value}` });
      return;
    }
    const fromKey = own(item, 'from') !== undefined ? 'from' : 'role';
    const from = own(item, fromKey);
    const role =
      typeof from === 'string' && Object.hasOwn(SHAREGPT_ROLES, from) ? SHAREGPT_ROLES[from] : undefined;
    if (!role) {
      problems.push({
        path: `${path}.${fromKey}`,
        message: `\`${path}.${fromKey}\` is ${describeValue(from)}; expected human, gpt, system, function_call or observation`,
      });
    }
    const valueKey = own(item, 'value') !== undefined ? 'value' : 'content';
    const valuePath = `${path}.${valueKey}`;
    const content = messageContent(own(item, valueKey), valuePath, problems);
    if (!role || content === null) return;
    if (from === 'function_call') {
      const calls = toolCallsFromText(content.text, valuePath, problems);
      if (calls) messages.push({ role: 'assistant', content: '', tool_calls: calls });
      return;
    }
    const message: CanonicalMessage = { role, content: content.text };
    if (content.toolCalls.length > 0) message.tool_calls = content.toolCalls;
    messages.push(message);
  });
  return finish(messages, row, field, problems);
}
