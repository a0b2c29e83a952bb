import type { CanonicalMessage, Role, RowProblem } from '../../../preload/contract';
import { describeValue, isObject, type JsonObject, own, typeInWords } from '../readers/row-fields';

/** Messages plus what was wrong with them; `messages` is null when they cannot be salvaged. */
export interface NormalisedMessages {
  readonly messages: CanonicalMessage[] | null;
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

/** Content parts that carry text: OpenAI chat (`text`) and Responses API (`input_text`, `output_text`). */
const TEXT_PARTS = new Set(['text', 'input_text', 'output_text']);

/**
 * Message content as one string: a string as is, null as empty (an assistant turn that only calls
 * tools), a list of text parts joined with newlines (as OpenAI-compatible servers do for text-only
 * models). Non-text parts (images, audio) are problems: dropping them would change the meaning.
 */
export function contentText(content: unknown, path: string, problems: RowProblem[]): string | null {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) {
    problems.push({
      path,
      message: `\`${path}\` is ${describeValue(content)}; expected text or a list of text parts`,
    });
    return null;
  }
  const texts: string[] = [];
  let ok = true;
  content.forEach((part: unknown, i) => {
    const partPath = `${path}[${i}]`;
    if (typeof part === 'string') {
      texts.push(part);
      return;
    }
    const type = isObject(part) ? own(part, 'type') : undefined;
    const text = isObject(part) ? own(part, 'text') : undefined;
    if (
      isObject(part) &&
      (type === undefined || (typeof type === 'string' && TEXT_PARTS.has(type))) &&
      typeof text === 'string'
    ) {
      texts.push(text);
      return;
    }
    ok = false;
    problems.push({
      path: partPath,
      message:
        isObject(part) && typeof type === 'string'
          ? `\`${partPath}\` is a \`${type}\` part; only text parts can be trained on`
          : `\`${partPath}\` is ${describeValue(part)}; expected {type: "text", text}`,
    });
  });
  return ok ? texts.join('\n') : null;
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

/** OpenAI chat messages ({role, content, name?, tool_calls?, tool_call_id?}) in canonical form. */
export function normaliseChatMessages(value: unknown, field = 'messages'): NormalisedMessages {
  const problems: RowProblem[] = [];
  const list = expectList(value, field, '{role, content}', problems);
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
    const content = contentText(own(item, 'content'), `${path}.content`, problems);
    const message: CanonicalMessage = { role: role ?? 'user', content: content ?? '' };
    const name = optionalString(item, 'name', path, problems);
    if (name !== undefined) message.name = name;
    const toolCallId = optionalString(item, 'tool_call_id', path, problems);
    if (toolCallId !== undefined) message.tool_call_id = toolCallId;
    const toolCalls = own(item, 'tool_calls');
    const functionCall = own(item, 'function_call');
    if (Array.isArray(toolCalls)) {
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
    } else if (toolCalls !== undefined && toolCalls !== null) {
      const where = `${path}.tool_calls`;
      problems.push({ path: where, message: `\`${where}\` is ${typeInWords(toolCalls)}; expected an array` });
    } else if (isObject(functionCall)) {
      message.tool_calls = [{ type: 'function', function: functionCall }];
    }
    messages.push(message);
  });
  return problems.length > 0 ? { messages: null, problems } : { messages, problems };
}

/**
 * ShareGPT turns ({from, value}, also {role, content}) in canonical form. A top-level `system`
 * string becomes the first message (LLaMA-Factory's layout); `tools` definitions stay in the original.
 */
export function normaliseShareGptMessages(row: JsonObject): NormalisedMessages {
  const field =
    own(row, 'conversations') !== undefined || own(row, 'messages') === undefined
      ? 'conversations'
      : 'messages';
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
    const content = contentText(own(item, valueKey), `${path}.${valueKey}`, problems);
    if (role && content !== null) messages.push({ role, content });
  });
  return problems.length > 0 ? { messages: null, problems } : { messages, problems };
}
