import { describe, expect, it } from 'vitest';
import { describeProblem, rowLabel } from '../../../../main/datasets/normalise/build-row';
import { rowLocation, rowNumber } from '../../../../renderer/src/pages/datasets/row-text';

describe('one row identity', () => {
  it('is the source line when the file has lines, else the row position, with thousands separators', () => {
    expect(rowLocation({ lineNumber: 1204, rowIndex: 1100 })).toBe('line 1,204');
    expect(rowLocation({ lineNumber: null, rowIndex: 1203 })).toBe('row 1,204');
    expect(rowNumber({ lineNumber: 1204, rowIndex: 1100 })).toBe('1,204');
    expect(rowNumber({ lineNumber: null, rowIndex: 11 })).toBe('12');
  });

  it('reads the same in the renderer and in the core (validation messages, dedupe, the CLI)', () => {
    for (const [lineNumber, rowIndex] of [
      [1, 0],
      [38, 36],
      [1_000_001, 999_999],
      [null, 0],
      [null, 123_456],
    ] as const) {
      expect(rowLocation({ lineNumber, rowIndex })).toBe(rowLabel(lineNumber, rowIndex));
    }
    expect(describeProblem({ path: '$.messages', message: 'no assistant message' }, 182, 180)).toBe(
      'line 182: no assistant message',
    );
  });
});
