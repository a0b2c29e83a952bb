import { describe, expect, it } from 'vitest';
import { analyseShapes, detectShape, shapesOf } from '../../../../main/datasets/normalise/detect-shape';

const chat = {
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
  ],
};
const sharegpt = {
  conversations: [
    { from: 'human', value: 'hi' },
    { from: 'gpt', value: 'hello' },
  ],
};
const alpaca = { instruction: 'Add', input: '2 and 2', output: '4' };
const pc = { prompt: 'Say hi', completion: 'hi' };
const qa = { question: 'Why?', answer: 'Because.' };
const text = { text: 'Once upon a time' };

describe('shape detection', () => {
  it('recognises each shape by its fields', () => {
    expect(shapesOf(chat)).toEqual(['chat']);
    expect(shapesOf(sharegpt)).toEqual(['sharegpt']);
    expect(shapesOf({ messages: sharegpt.conversations })).toEqual(['sharegpt']);
    expect(shapesOf(alpaca)).toEqual(['alpaca']);
    expect(shapesOf(pc)).toEqual(['prompt_completion']);
    expect(shapesOf(qa)).toEqual(['prompt_completion']);
    expect(shapesOf(text)).toEqual(['text']);
    expect(shapesOf('a bare string')).toEqual(['text']);
    expect(shapesOf({ foo: 1 })).toEqual([]);
    expect(shapesOf(42)).toEqual([]);
  });

  it('picks the shape most rows fit and says why, with the other candidates', () => {
    const rows = [...Array(98).fill(chat), text, { messages: 'hi' }];
    const detection = detectShape(rows);
    expect(detection).toEqual({
      shape: 'chat',
      evidence: [
        '98 of 100 sampled rows have a `messages` array of {role, content}',
        '1 sampled rows fit no known shape',
      ],
      candidates: [{ shape: 'text', matched: 1 }],
      sampled: 100,
      overridden: false,
    });
  });

  it('gives evidence for each shape in plain words', () => {
    expect(detectShape([sharegpt]).evidence).toEqual([
      '1 of 1 sampled rows have a `conversations` array of {from, value}',
    ]);
    expect(detectShape([alpaca, alpaca]).evidence).toEqual([
      '2 of 2 sampled rows have `instruction` and `output` fields',
    ]);
    expect(detectShape([qa]).shape).toBe('prompt_completion');
    expect(detectShape(['x', text]).shape).toBe('text');
  });

  it('counts rows that could not be read', () => {
    const detection = detectShape([chat, undefined, undefined]);
    expect(detection.shape).toBe('chat');
    expect(detection.evidence).toContain('2 sampled rows could not be read');
  });

  it('honours an override and records what was detected', () => {
    const detection = detectShape([chat, chat], 'text');
    expect(detection.shape).toBe('text');
    expect(detection.overridden).toBe(true);
    expect(detection.evidence[0]).toBe('shape chosen by hand: text (detected: chat)');
    expect(detection.candidates).toEqual([{ shape: 'chat', matched: 2 }]);
  });

  it('reports no match (with the fields it saw) when no row fits and nobody chose', () => {
    const { detection, matched } = analyseShapes([{ foo: 1, bar: 2 }, { foo: 3 }]);
    expect(matched).toBe(false);
    expect(detection.evidence).toEqual(['no sampled row matches a known shape; fields seen: `foo`, `bar`']);
    expect(analyseShapes([{ foo: 1 }], 'alpaca').matched).toBe(true);
  });

  it('prefers chat over text when a row has both, by the order of shapes', () => {
    expect(detectShape([{ ...chat, text: 'x' }]).shape).toBe('chat');
  });
});
