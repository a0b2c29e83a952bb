import type { TrainingObjective } from '../../preload/contract';

/** What the first rows of a frozen version are. */
export type RowKind = 'conversation' | 'text' | 'pair' | 'judged';

/** The kind of the first complete JSON row in a file's head, or null when none can be read. */
export function rowKindOf(head: string): RowKind | null {
  for (const line of head.split('\n').slice(0, 20)) {
    try {
      const row: unknown = JSON.parse(line);
      if (typeof row !== 'object' || row === null) continue;
      if ('chosen' in row && 'rejected' in row) return 'pair';
      if ('completion' in row && 'label' in row) return 'judged';
      if ('messages' in row) return 'conversation';
      if ('text' in row) return 'text';
    } catch {
      // a partial last line, or not JSON lines
    }
  }
  return null;
}

const KIND_WORDS: Readonly<Record<RowKind, string>> = {
  conversation: 'conversations',
  text: 'plain text',
  pair: 'preference pairs (prompt, chosen, rejected)',
  judged: 'labelled answers (prompt, completion, label)',
};

/**
 * Why a training objective cannot train a version's rows, or null when it can: SFT trains
 * conversations and text, DPO/ORPO preference pairs, KTO labelled answers or pairs (unpaired).
 */
export function objectiveProblem(objective: TrainingObjective, kind: RowKind | null): string | null {
  if (kind === null) return null;
  const fits: Readonly<Record<TrainingObjective, ReadonlyArray<RowKind>>> = {
    sft: ['conversation', 'text'],
    dpo: ['pair'],
    orpo: ['pair'],
    kto: ['judged', 'pair'],
  };
  if (fits[objective].includes(kind)) return null;
  const want =
    objective === 'sft'
      ? 'choose the DPO, ORPO or KTO objective for preference data'
      : objective === 'kto'
        ? 'KTO trains on labelled answers or preference pairs'
        : `${objective.toUpperCase()} trains on preference pairs`;
  return `This version holds ${KIND_WORDS[kind]}, which the ${objective.toUpperCase()} objective cannot train: ${want}.`;
}
