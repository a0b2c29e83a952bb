import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  EMPTY_DRAFT,
  filterFromDraft,
} from '../../../../renderer/src/pages/datasets/filter-draft';

describe('row filter draft', () => {
  it('narrows nothing when empty', () => {
    expect(filterFromDraft(EMPTY_DRAFT)).toEqual({});
  });

  it('turns typed fields into a RowFilter, ignoring blanks and non-numbers', () => {
    expect(
      filterFromDraft({
        ...EMPTY_DRAFT,
        search: '  paris ',
        valid: 'invalid',
        minChars: '10',
        maxChars: 'ten',
        role: 'tool',
        maxTurns: '4',
        duplicate: true,
        split: 'unsplit',
        deleted: true,
      }),
    ).toEqual({
      search: 'paris',
      valid: false,
      minChars: 10,
      role: 'tool',
      maxTurns: 4,
      duplicate: true,
      split: 'unsplit',
      deleted: true,
    });
  });

  it('counts the filters other than the search', () => {
    expect(activeFilterCount({ search: 'x', valid: true, tag: 'a' })).toBe(2);
  });
});
