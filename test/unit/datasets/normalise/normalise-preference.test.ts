import { describe, expect, it } from 'vitest';
import { buildRow } from '../../../../main/datasets/normalise/build-row';
import { detectShape } from '../../../../main/datasets/normalise/detect-shape';
import { normaliseRow } from '../../../../main/datasets/normalise/normalise-row';

const user = (content: string) => ({ role: 'user', content });
const assistant = (content: string) => ({ role: 'assistant', content });

/** LLaMA-Factory's ShareGPT preference layout (dpo_en_demo.json): the answers are single turns. */
const sharegptPair = {
  conversations: [{ from: 'human', value: 'Name a colour.' }],
  chosen: { from: 'gpt', value: 'Blue.' },
  rejected: { from: 'gpt', value: 'I cannot.' },
};
/** LLaMA-Factory's Alpaca preference layout. */
const alpacaPair = { instruction: 'Add', input: '2 and 2', chosen: '4', rejected: '5', system: 'Be exact.' };
/** Anthropic HH / UltraFeedback-binarized: the answers are whole conversations sharing the prompt. */
const hhPair = {
  prompt: 'Hi',
  chosen: [user('Hi'), assistant('Hello! How can I help?')],
  rejected: [user('Hi'), assistant('Go away.')],
};
const hhNoPrompt = {
  chosen: [
    user('Tell me a joke'),
    assistant('Why did the chicken…'),
    user('Another'),
    assistant('Knock knock.'),
  ],
  rejected: [user('Tell me a joke'), assistant('Why did the chicken…'), user('Another'), assistant('No.')],
};
/** LLaMA-Factory's KTO layout (kto_en_demo.json) and TRL's. */
const ktoLf = { messages: [user('Is water wet?'), assistant('Yes.')], label: true };
const ktoTrl = { prompt: [user('2+2?')], completion: [assistant('5')], label: false };

describe('preference rows', () => {
  it('maps LLaMA-Factory ShareGPT and Alpaca pairs to prompt, chosen and rejected', () => {
    expect(normaliseRow(sharegptPair, 'preference')).toEqual({
      canonical: {
        prompt: [user('Name a colour.')],
        chosen: [assistant('Blue.')],
        rejected: [assistant('I cannot.')],
      },
      problems: [],
    });
    expect(normaliseRow(alpacaPair, 'preference').canonical).toEqual({
      prompt: [
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: 'Add\n2 and 2' },
      ],
      chosen: [assistant('4')],
      rejected: [assistant('5')],
    });
  });

  it('takes the shared start of HH/UltraFeedback answers as the prompt', () => {
    expect(normaliseRow(hhPair, 'preference').canonical).toEqual({
      prompt: [user('Hi')],
      chosen: [assistant('Hello! How can I help?')],
      rejected: [assistant('Go away.')],
    });
    expect(normaliseRow(hhNoPrompt, 'preference').canonical).toEqual({
      prompt: [user('Tell me a joke'), assistant('Why did the chicken…'), user('Another')],
      chosen: [assistant('Knock knock.')],
      rejected: [assistant('No.')],
    });
  });

  it('keeps KTO labels, from a conversation or from prompt + completion', () => {
    expect(normaliseRow(ktoLf, 'kto')).toEqual({
      canonical: { prompt: [user('Is water wet?')], completion: [assistant('Yes.')], label: true },
      problems: [],
    });
    expect(normaliseRow(ktoTrl, 'kto').canonical).toEqual({
      prompt: [user('2+2?')],
      completion: [assistant('5')],
      label: false,
    });
    expect(normaliseRow({ ...ktoLf, label: 'maybe' }, 'kto').problems).toEqual([
      { path: 'label', message: '`label` is `maybe`; expected true (a desirable answer) or false' },
    ]);
  });

  it('detects preference and KTO shapes before the conversation they also hold, with evidence', () => {
    const pairs = detectShape([sharegptPair, sharegptPair, alpacaPair, hhPair]);
    expect(pairs.shape).toBe('preference');
    expect(pairs.evidence[0]).toBe(
      '4 of 4 sampled rows have `chosen` and `rejected` answers (preference pairs for DPO/ORPO)',
    );
    expect(detectShape([ktoLf, ktoTrl]).shape).toBe('kto');
  });

  it('builds valid rows, and names what makes a pair unusable', () => {
    const record = (value: unknown) => ({
      lineNumber: 1,
      value,
      originalJson: JSON.stringify(value),
      problem: null,
    });
    const good = buildRow(record(sharegptPair), 0, 'preference');
    expect(good).toMatchObject({ valid: true, turns: 2 });
    const same = buildRow(
      record({ ...sharegptPair, rejected: { from: 'gpt', value: 'Blue.' } }),
      1,
      'preference',
    );
    expect(JSON.parse(same.problemsJson)).toEqual([
      { path: 'rejected', message: 'the chosen and the rejected answers are the same' },
    ]);
    const noAnswer = buildRow(
      record({ conversations: sharegptPair.conversations, chosen: '', rejected: 'x' }),
      2,
      'preference',
    );
    expect(JSON.parse(noAnswer.problemsJson)).toEqual([
      { path: 'chosen[0].content', message: 'the assistant message is empty' },
    ]);
    const missing = buildRow(record({ prompt: 'x', chosen: 'a' }), 3, 'preference');
    expect(JSON.parse(missing.problemsJson)).toEqual([
      { path: 'rejected', message: '`rejected` is missing' },
    ]);
    const endsWithAnswer = buildRow(
      record({ messages: [user('q'), assistant('a')], chosen: 'b', rejected: 'c' }),
      4,
      'preference',
    );
    expect(JSON.parse(endsWithAnswer.problemsJson)).toEqual([
      {
        path: 'prompt[1].role',
        message:
          'the prompt ends with an assistant message; it must end with what the answer replies to (user or tool)',
      },
    ]);
    expect(buildRow(record(hhPair), 5, 'preference').contentHash).not.toEqual(
      buildRow(record({ ...hhPair, rejected: [user('Hi'), assistant('Leave.')] }), 6, 'preference')
        .contentHash,
    );
  });
});
