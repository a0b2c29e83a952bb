import type { Role, RowFilter } from '../../../../preload/contract';

/** The row browser's filter as typed: strings and flags, turned into a `RowFilter` by `filterFromDraft`. */
export interface FilterDraft {
  readonly search: string;
  readonly valid: '' | 'valid' | 'invalid';
  readonly problem: string;
  readonly minChars: string;
  readonly maxChars: string;
  readonly role: '' | Role;
  readonly minTurns: string;
  readonly maxTurns: string;
  readonly duplicate: boolean;
  readonly tag: string;
  readonly split: '' | 'train' | 'val' | 'unsplit';
  readonly deleted: boolean;
}

/** No filter: every live row. */
export const EMPTY_DRAFT: FilterDraft = {
  search: '',
  valid: '',
  problem: '',
  minChars: '',
  maxChars: '',
  role: '',
  minTurns: '',
  maxTurns: '',
  duplicate: false,
  tag: '',
  split: '',
  deleted: false,
};

function count(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

function text(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The `RowFilter` a draft means; blank or unparseable fields narrow nothing. */
export function filterFromDraft(draft: FilterDraft): RowFilter {
  const entries: Array<[keyof RowFilter, unknown]> = [
    ['search', text(draft.search)],
    ['valid', draft.valid === '' ? undefined : draft.valid === 'valid'],
    ['problem', text(draft.problem)],
    ['minChars', count(draft.minChars)],
    ['maxChars', count(draft.maxChars)],
    ['role', draft.role === '' ? undefined : draft.role],
    ['minTurns', count(draft.minTurns)],
    ['maxTurns', count(draft.maxTurns)],
    ['duplicate', draft.duplicate ? true : undefined],
    ['tag', text(draft.tag)],
    ['split', draft.split === '' ? undefined : draft.split],
    ['deleted', draft.deleted ? true : undefined],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as RowFilter;
}

/** How many filters (other than the search) narrow the list. */
export function activeFilterCount(filter: RowFilter): number {
  return Object.keys(filter).filter((key) => key !== 'search').length;
}
