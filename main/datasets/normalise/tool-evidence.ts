import { isObject, type JsonObject, own } from '../readers/row-fields';
import { formatCount } from '../readers/source-record';
import { hasToolTags } from './normalise-tools';

/** Ways a row can carry tool use, in the order evidence lists them. */
const TOOL_SIGNS = [
  ['tools', 'a `tools` list'],
  ['sharegpt', 'ShareGPT `function_call`/`observation` turns'],
  ['openai', 'OpenAI `tool_calls`/`tool` messages'],
  ['hermes', 'Hermes `<tool_call>`/`<tool_response>` tags'],
  ['parts', '`tool_call` content parts'],
] as const;
type ToolSign = (typeof TOOL_SIGNS)[number][0];

function turnsOf(row: JsonObject): unknown[] {
  const messages = own(row, 'messages');
  const conversations = own(row, 'conversations');
  return Array.isArray(conversations) ? conversations : Array.isArray(messages) ? messages : [];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  return Array.isArray(content)
    ? content.map((p) => (isObject(p) ? textOf(own(p, 'text') ?? own(p, 'value')) : '')).join('')
    : '';
}

/** The signs of tool use in one parsed row. */
export function toolSignsOf(value: unknown): Set<ToolSign> {
  const signs = new Set<ToolSign>();
  if (!isObject(value)) return signs;
  const tools = own(value, 'tools');
  if (
    (Array.isArray(tools) && tools.length > 0) ||
    (typeof tools === 'string' && tools.trim().startsWith('['))
  ) {
    signs.add('tools');
  }
  for (const turn of turnsOf(value)) {
    if (!isObject(turn)) continue;
    const from = own(turn, 'from');
    if (from === 'function_call' || from === 'observation') signs.add('sharegpt');
    const calls = own(turn, 'tool_calls');
    if (
      (Array.isArray(calls) && calls.length > 0) ||
      own(turn, 'role') === 'tool' ||
      isObject(own(turn, 'function_call'))
    ) {
      signs.add('openai');
    }
    const content = own(turn, 'content') ?? own(turn, 'value');
    if (hasToolTags(textOf(content))) signs.add('hermes');
    if (Array.isArray(content) && content.some((p) => isObject(p) && own(p, 'type') === 'tool_call'))
      signs.add('parts');
  }
  return signs;
}

/** Evidence lines on tool use in a sample, e.g. "40 of 200 sampled rows have a `tools` list". */
export function toolEvidence(values: ReadonlyArray<unknown>): string[] {
  const counts = new Map<ToolSign, number>();
  for (const value of values)
    for (const sign of toolSignsOf(value)) counts.set(sign, (counts.get(sign) ?? 0) + 1);
  return TOOL_SIGNS.filter(([sign]) => counts.has(sign)).map(
    ([sign, words]) =>
      `${formatCount(counts.get(sign) ?? 0)} of ${formatCount(values.length)} sampled rows have ${words}: tool use is kept for training`,
  );
}
