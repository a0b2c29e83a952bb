import type { DatasetShape, ShapeDetection } from '../../../preload/contract';
import { isObject, type JsonObject, own } from '../readers/row-fields';
import { formatCount } from '../readers/source-record';
import { toolEvidence } from './tool-evidence';

/** How many rows detection looks at. */
export const DETECTION_SAMPLE = 200;

/**
 * Shapes in the order that breaks ties: a row with `messages` and `text` is a chat first, and
 * preference and KTO rows (which also hold a conversation or an instruction) come before all.
 */
export const SHAPE_ORDER: ReadonlyArray<DatasetShape> = [
  'preference',
  'kto',
  'chat',
  'sharegpt',
  'alpaca',
  'prompt_completion',
  'text',
];

const EVIDENCE: Readonly<Record<DatasetShape, string>> = {
  preference: '`chosen` and `rejected` answers (preference pairs for DPO/ORPO)',
  kto: 'a true/false `label` on an answer (KTO)',
  chat: 'a `messages` array of {role, content}',
  sharegpt: 'a `conversations` array of {from, value}',
  alpaca: '`instruction` and `output` fields',
  prompt_completion: '`prompt` and `completion` (or `question` and `answer`) fields',
  text: 'a `text` field (or are plain text)',
};

function firstItem(value: unknown): JsonObject | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const first: unknown = value[0];
  return isObject(first) ? first : null;
}

/** Whether a `messages`/`conversations` array is in ShareGPT form ({from, value}). */
export function isShareGptList(list: unknown): boolean {
  const first = firstItem(list);
  return first !== null && own(first, 'from') !== undefined && own(first, 'role') === undefined;
}

/** The shapes one parsed row fits, judged by its fields (not by whether their values are valid). */
export function shapesOf(value: unknown): DatasetShape[] {
  if (typeof value === 'string') return ['text'];
  if (!isObject(value)) return [];
  const shapes: DatasetShape[] = [];
  if (own(value, 'chosen') !== undefined && own(value, 'rejected') !== undefined) shapes.push('preference');
  const label = own(value, 'label');
  if (
    (typeof label === 'boolean' || label === 'true' || label === 'false') &&
    ['completion', 'messages', 'conversations'].some((f) => own(value, f) !== undefined)
  ) {
    shapes.push('kto');
  }
  const messages = own(value, 'messages');
  const conversations = own(value, 'conversations');
  if (Array.isArray(messages) && !isShareGptList(messages)) shapes.push('chat');
  if (Array.isArray(conversations) || (Array.isArray(messages) && isShareGptList(messages))) {
    shapes.push('sharegpt');
  }
  if (own(value, 'instruction') !== undefined && own(value, 'output') !== undefined) shapes.push('alpaca');
  if (
    (own(value, 'prompt') !== undefined && own(value, 'completion') !== undefined) ||
    (own(value, 'question') !== undefined && own(value, 'answer') !== undefined)
  ) {
    shapes.push('prompt_completion');
  }
  if (typeof own(value, 'text') === 'string') shapes.push('text');
  return shapes;
}

/**
 * The shape of a dataset from a sample of its rows (parse failures passed as undefined), with the
 * evidence a person can check, the other shapes that fit some rows, and the user's override.
 */
export function detectShape(values: ReadonlyArray<unknown>, override?: DatasetShape): ShapeDetection {
  return analyseShapes(values, override).detection;
}

/** detectShape, plus whether any shape fits at all (false: no row fits and nobody chose one). */
export function analyseShapes(
  values: ReadonlyArray<unknown>,
  override?: DatasetShape,
): { readonly detection: ShapeDetection; readonly matched: boolean } {
  const counts = new Map<DatasetShape, number>(SHAPE_ORDER.map((s) => [s, 0]));
  let unreadable = 0;
  let unmatched = 0;
  const fieldsSeen = new Set<string>();
  for (const value of values) {
    if (value === undefined) {
      unreadable++;
      continue;
    }
    const shapes = shapesOf(value);
    if (shapes.length === 0) {
      unmatched++;
      if (isObject(value)) for (const key of Object.keys(value).slice(0, 20)) fieldsSeen.add(key);
    }
    for (const s of shapes) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  const sampled = values.length;
  let best: DatasetShape | null = null;
  for (const s of SHAPE_ORDER) {
    const n = counts.get(s) ?? 0;
    if (n > 0 && (best === null || n > (counts.get(best) ?? 0))) best = s;
  }
  const evidence: string[] = [];
  for (const s of SHAPE_ORDER) {
    const n = counts.get(s) ?? 0;
    if (n > 0 && (s === best || s === override)) {
      evidence.push(`${formatCount(n)} of ${formatCount(sampled)} sampled rows have ${EVIDENCE[s]}`);
    }
  }
  if (best === null) {
    const fields = [...fieldsSeen].slice(0, 12).map((f) => `\`${f}\``);
    evidence.push(
      sampled === unreadable
        ? 'no sampled row could be read'
        : `no sampled row matches a known shape${fields.length > 0 ? `; fields seen: ${fields.join(', ')}` : ''}`,
    );
  }
  if (best !== null && best !== 'text' && best !== 'alpaca') evidence.push(...toolEvidence(values));
  if (unmatched > 0 && best !== null) {
    evidence.push(`${formatCount(unmatched)} sampled rows fit no known shape`);
  }
  if (unreadable > 0) evidence.push(`${formatCount(unreadable)} sampled rows could not be read`);
  if (override) {
    evidence.unshift(
      `shape chosen by hand: ${override}${best && best !== override ? ` (detected: ${best})` : ''}`,
    );
  }
  const shape = override ?? best ?? 'text';
  const detection: ShapeDetection = {
    shape,
    evidence,
    candidates: SHAPE_ORDER.filter((s) => s !== shape && (counts.get(s) ?? 0) > 0).map((s) => ({
      shape: s,
      matched: counts.get(s) ?? 0,
    })),
    sampled,
    overridden: override !== undefined,
  };
  return { detection, matched: override !== undefined || best !== null };
}
