import { describe, expect, it } from 'vitest';
import {
  guessMapping,
  missingFields,
  nameFromPath,
} from '../../../../renderer/src/pages/datasets/shape-fields';

describe('CSV column mapping', () => {
  it('guesses columns by name, case-insensitively, each column used once', () => {
    expect(guessMapping('alpaca', ['Instruction', 'Response', 'context'])).toEqual({
      instruction: 'Instruction',
      input: 'context',
      output: 'Response',
    });
    expect(guessMapping('prompt_completion', ['question', 'answer'])).toEqual({
      prompt: 'question',
      completion: 'answer',
    });
  });

  it('names the required fields that have no column', () => {
    expect(missingFields('prompt_completion', { prompt: 'q' })).toEqual(['Completion']);
    expect(missingFields('text', { text: 'body' })).toEqual([]);
  });

  it('names a dataset after its file', () => {
    expect(nameFromPath('/data/support chats.jsonl')).toBe('support chats');
    expect(nameFromPath('C:\\data\\rows.csv')).toBe('rows');
  });
});
