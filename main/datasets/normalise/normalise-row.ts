import type { CanonicalMessage, CanonicalRow, DatasetShape, RowProblem } from '../../../preload/contract';
import { describeValue, isObject, type JsonObject, own, typeInWords } from '../readers/row-fields';
import { isShareGptList } from './detect-shape';
import {
  type NormalisedMessages,
  normaliseChatMessages,
  normaliseShareGptMessages,
} from './normalise-messages';
import { normaliseKto, normalisePreference } from './normalise-preference';

/** A row in canonical form, or null with the problems that stopped it. */
export interface NormalisedRow {
  readonly canonical: CanonicalRow | null;
  readonly problems: RowProblem[];
}

const EXPECTED_OBJECT: Readonly<Record<DatasetShape, string>> = {
  preference: 'an object with `chosen` and `rejected`',
  kto: 'an object with a `label`',
  chat: 'an object with a `messages` array',
  sharegpt: 'an object with a `conversations` array',
  alpaca: 'an object with `instruction` and `output`',
  prompt_completion: 'an object with `prompt` and `completion`',
  text: 'an object with a `text` field, or a string',
};

/**
 * One parsed row in canonical form for the dataset's shape:
 * - chat: OpenAI `messages` (system/tool turns, content parts joined, tool_calls and `tools` kept;
 *   a legacy `function_call` becomes one tool call). A row in ShareGPT form is read as ShareGPT.
 * - sharegpt: `conversations` of {from, value}, roles mapped (human→user, gpt→assistant,
 *   function_call→assistant tool calls, observation→tool), plus top-level `system` and `tools`.
 * - both: Hermes/ChatML `<tool_call>`/`<tool_response>`/`<tools>` tags become structure.
 * - alpaca: [system] + `history` pairs + user (`instruction`, then `input` on a new line) + assistant (`output`).
 * - prompt_completion: [system] + user (`prompt` | `question`) + assistant (`completion` | `answer`).
 * - text: `{ text }`; a row that is a bare string is its text.
 * - preference: prompt messages + `chosen` + `rejected` (normalise-preference.ts).
 * - kto: prompt messages + `completion` + `label`.
 * Fields the canonical form has no place for (weights, metadata) stay in the original.
 */
export function normaliseRow(value: unknown, shape: DatasetShape): NormalisedRow {
  if (shape === 'text' && typeof value === 'string') return { canonical: { text: value }, problems: [] };
  if (!isObject(value)) {
    return {
      canonical: null,
      problems: [
        { path: '$', message: `the row is ${typeInWords(value)}; expected ${EXPECTED_OBJECT[shape]}` },
      ],
    };
  }
  switch (shape) {
    case 'preference':
      return normalisePreference(value);
    case 'kto':
      return normaliseKto(value);
    case 'chat':
      return isShareGptList(own(value, 'messages'))
        ? fromMessages(normaliseShareGptMessages(value))
        : fromMessages(normaliseChatMessages(value));
    case 'sharegpt':
      return fromMessages(normaliseShareGptMessages(value));
    case 'alpaca':
      return normaliseAlpaca(value);
    case 'prompt_completion':
      return normalisePromptCompletion(value);
    case 'text':
      return normaliseText(value);
    default:
      return assertNever(shape);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected shape ${String(value)}`);
}

function fromMessages(result: NormalisedMessages): NormalisedRow {
  if (!result.messages) return { canonical: null, problems: result.problems };
  return {
    canonical: result.tools
      ? { messages: result.messages, tools: result.tools }
      : { messages: result.messages },
    problems: result.problems,
  };
}

/** A required string field; a problem when it is missing or not a string. */
function requiredString(row: JsonObject, key: string, problems: RowProblem[]): string | null {
  const value = own(row, key);
  if (typeof value === 'string') return value;
  problems.push({
    path: key,
    message:
      value === undefined
        ? `\`${key}\` is missing`
        : `\`${key}\` is ${describeValue(value)}; expected a string`,
  });
  return null;
}

/** An optional string field: absent or null is fine, another type is a problem. */
function optionalString(row: JsonObject, key: string, problems: RowProblem[]): string | null {
  const value = own(row, key);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  problems.push({ path: key, message: `\`${key}\` is ${describeValue(value)}; expected a string` });
  return null;
}

function systemMessage(row: JsonObject, problems: RowProblem[]): CanonicalMessage[] {
  const system = optionalString(row, 'system', problems);
  return system !== null && system.trim() !== '' ? [{ role: 'system', content: system }] : [];
}

function historyMessages(row: JsonObject, problems: RowProblem[]): CanonicalMessage[] {
  const history = own(row, 'history');
  if (history === undefined || history === null) return [];
  if (!Array.isArray(history)) {
    problems.push({
      path: 'history',
      message: `\`history\` is ${describeValue(history)}; expected [[question, answer], …]`,
    });
    return [];
  }
  const out: CanonicalMessage[] = [];
  history.forEach((pair: unknown, i) => {
    if (
      Array.isArray(pair) &&
      pair.length === 2 &&
      typeof pair[0] === 'string' &&
      typeof pair[1] === 'string'
    ) {
      out.push({ role: 'user', content: pair[0] }, { role: 'assistant', content: pair[1] });
    } else {
      problems.push({
        path: `history[${i}]`,
        message: `\`history[${i}]\` is not a [question, answer] pair of strings`,
      });
    }
  });
  return out;
}

function normaliseAlpaca(row: JsonObject): NormalisedRow {
  const problems: RowProblem[] = [];
  const system = systemMessage(row, problems);
  const history = historyMessages(row, problems);
  const instruction = requiredString(row, 'instruction', problems);
  const input = optionalString(row, 'input', problems);
  const output = requiredString(row, 'output', problems);
  if (problems.length > 0 || instruction === null || output === null) return { canonical: null, problems };
  const user = input !== null && input.trim() !== '' ? `${instruction}\n${input}` : instruction;
  return {
    canonical: {
      messages: [
        ...system,
        ...history,
        { role: 'user', content: user },
        { role: 'assistant', content: output },
      ],
    },
    problems,
  };
}

function normalisePromptCompletion(row: JsonObject): NormalisedRow {
  const problems: RowProblem[] = [];
  const [promptKey, completionKey] =
    own(row, 'prompt') === undefined && own(row, 'question') !== undefined
      ? ['question', 'answer']
      : ['prompt', 'completion'];
  const system = systemMessage(row, problems);
  const prompt = requiredString(row, promptKey, problems);
  const completion = requiredString(row, completionKey, problems);
  if (problems.length > 0 || prompt === null || completion === null) return { canonical: null, problems };
  return {
    canonical: {
      messages: [...system, { role: 'user', content: prompt }, { role: 'assistant', content: completion }],
    },
    problems,
  };
}

function normaliseText(row: JsonObject): NormalisedRow {
  const problems: RowProblem[] = [];
  const text = requiredString(row, 'text', problems);
  return { canonical: text === null ? null : { text }, problems };
}
