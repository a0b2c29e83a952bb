import type { CanonicalMessage, CanonicalRow, RowProblem, ToolDefinition } from '../../../preload/contract';
import { describeValue, isObject, type JsonObject, own } from '../readers/row-fields';
import { isShareGptList } from './detect-shape';
import {
  type NormalisedMessages,
  normaliseChatMessages,
  normaliseShareGptMessages,
} from './normalise-messages';
import { normaliseTools } from './normalise-tools';

/** A row in canonical form, or null with the problems that stopped it. */
interface Normalised {
  readonly canonical: CanonicalRow | null;
  readonly problems: RowProblem[];
}

/** A list of messages in ShareGPT ({from, value}) or OpenAI ({role, content}) form, normalised. */
function messageList(value: unknown, field: string): NormalisedMessages {
  return isShareGptList(value)
    ? normaliseShareGptMessages({ [field]: value }, field)
    : normaliseChatMessages({ [field]: value }, field);
}

/**
 * An answer: a string (one assistant message), one message object (LLaMA-Factory's
 * `{from: "gpt", value}`), or a list of messages (Anthropic HH, UltraFeedback-binarized).
 */
function answer(value: unknown, field: string, problems: RowProblem[]): CanonicalMessage[] | null {
  if (typeof value === 'string') return [{ role: 'assistant', content: value }];
  const list = isObject(value) ? [value] : value;
  if (!Array.isArray(list)) {
    problems.push({
      path: field,
      message:
        value === undefined
          ? `\`${field}\` is missing`
          : `\`${field}\` is ${describeValue(value)}; expected an answer (text, a message or a list of messages)`,
    });
    return null;
  }
  const result = messageList(list, field);
  problems.push(...result.problems);
  return result.messages;
}

/** The prompt: `prompt` (text or messages), else ShareGPT/OpenAI turns, else an Alpaca instruction. */
function prompt(row: JsonObject, problems: RowProblem[]): CanonicalMessage[] | null {
  const system = own(row, 'system');
  const head: CanonicalMessage[] =
    typeof system === 'string' && system.trim() !== '' ? [{ role: 'system', content: system }] : [];
  const text = own(row, 'prompt');
  if (typeof text === 'string') return [...head, { role: 'user', content: text }];
  if (Array.isArray(text)) {
    const result = messageList(text, 'prompt');
    problems.push(...result.problems);
    return result.messages && [...head, ...result.messages];
  }
  for (const field of ['conversations', 'messages']) {
    if (own(row, field) === undefined) continue;
    const result = isShareGptList(own(row, field))
      ? normaliseShareGptMessages(row, field)
      : normaliseChatMessages(row, field);
    problems.push(...result.problems);
    return result.messages && [...(result.messages[0]?.role === 'system' ? [] : head), ...result.messages];
  }
  const instruction = own(row, 'instruction');
  if (typeof instruction === 'string') {
    const input = own(row, 'input');
    const content =
      typeof input === 'string' && input.trim() !== '' ? `${instruction}\n${input}` : instruction;
    return [...head, { role: 'user', content }];
  }
  return [];
}

const sameMessage = (a: CanonicalMessage | undefined, b: CanonicalMessage | undefined): boolean =>
  a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** `list` without `prefix` when it starts with it (UltraFeedback repeats the prompt in each answer). */
function withoutPrefix(list: CanonicalMessage[], prefix: CanonicalMessage[]): CanonicalMessage[] {
  if (prefix.length === 0 || list.length <= prefix.length) return list;
  return prefix.every((m, i) => sameMessage(m, list[i])) ? list.slice(prefix.length) : list;
}

/** The messages two answers share at the start, up to the last user or tool turn before they part. */
function sharedPrompt(a: CanonicalMessage[], b: CanonicalMessage[]): number {
  let n = 0;
  while (n < a.length && n < b.length && sameMessage(a[n], b[n])) n++;
  while (n > 0 && a[n - 1]?.role === 'assistant') n--;
  return n;
}

function withTools<T extends object>(
  row: JsonObject,
  body: T,
  problems: RowProblem[],
): T & { tools?: ToolDefinition[] } {
  const tools = normaliseTools(own(row, 'tools'), 'tools', problems);
  return tools ? { ...body, tools } : body;
}

/**
 * A preference pair (DPO, ORPO) in canonical form: the prompt's messages from `prompt` (text or
 * messages), ShareGPT `conversations` / OpenAI `messages` (+ `system`) or an Alpaca `instruction`
 * (+ `input`); `chosen` and `rejected` as text, one message, or message lists. When the answers
 * repeat the prompt (Anthropic HH, UltraFeedback-binarized) the shared start becomes the prompt.
 */
export function normalisePreference(row: JsonObject): Normalised {
  const problems: RowProblem[] = [];
  let head = prompt(row, problems);
  let chosen = answer(own(row, 'chosen'), 'chosen', problems);
  let rejected = answer(own(row, 'rejected'), 'rejected', problems);
  if (problems.length > 0 || !head || !chosen || !rejected) return { canonical: null, problems };
  chosen = withoutPrefix(chosen, head);
  rejected = withoutPrefix(rejected, head);
  const shared = sharedPrompt(chosen, rejected);
  if (shared > 0) {
    head = [...head, ...chosen.slice(0, shared)];
    chosen = chosen.slice(shared);
    rejected = rejected.slice(shared);
  }
  const canonical = withTools(row, { prompt: head, chosen, rejected }, problems);
  return problems.length > 0 ? { canonical: null, problems } : { canonical, problems };
}

/** A KTO label: a boolean (also `true`/`false` text and 1/0, as spreadsheets write them). */
function label(value: unknown, problems: RowProblem[]): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1) return true;
  if (value === 'false' || value === 0) return false;
  problems.push({
    path: 'label',
    message: `\`label\` is ${describeValue(value)}; expected true (a desirable answer) or false`,
  });
  return null;
}

/**
 * A KTO row in canonical form: `prompt` + `completion` (TRL), or a conversation (`messages` /
 * `conversations`, LLaMA-Factory) whose final assistant turn is the completion; `label` says
 * whether the completion is desirable.
 */
export function normaliseKto(row: JsonObject): Normalised {
  const problems: RowProblem[] = [];
  const judged = label(own(row, 'label'), problems);
  let head = prompt(row, problems);
  let completion: CanonicalMessage[] | null = null;
  if (own(row, 'completion') !== undefined)
    completion = answer(own(row, 'completion'), 'completion', problems);
  else if (head) {
    const cut = head.findLastIndex((m) => m.role !== 'assistant') + 1;
    completion = head.slice(cut);
    head = head.slice(0, cut);
  }
  if (problems.length > 0 || judged === null || !head || !completion) return { canonical: null, problems };
  const canonical = withTools(
    row,
    { prompt: head, completion: withoutPrefix(completion, head), label: judged },
    problems,
  );
  return problems.length > 0 ? { canonical: null, problems } : { canonical, problems };
}
