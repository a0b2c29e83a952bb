import { describe, expect, it } from 'vitest';
import { problemKind } from '../../../../main/datasets/curation/dataset-stats';
import { toPreview } from '../../../../main/datasets/curation/dedupe';
import { versionPath } from '../../../../main/datasets/curation/freeze';
import { explainRejection } from '../../../../main/datasets/curation/row-editor';
import { compileChatTemplate } from '../../../../main/datasets/curation/row-tokenizer';
import { splitRank, validationSize } from '../../../../main/datasets/curation/split';
import { percentile, summariseTokens } from '../../../../main/datasets/curation/token-stats';

describe('curation helpers', () => {
  it('groups problems by kind: locations and numbers removed', () => {
    expect(problemKind('line 1,204: `messages[2].role` is `bot`')).toBe('`messages[n].role` is `bot`');
    expect(problemKind('row 3: expected 5 columns, found 7')).toBe('expected N columns, found N');
    expect(problemKind('and 12 more problems')).toBe('and N more problems');
    expect(problemKind('the user message is empty')).toBe('the user message is empty');
  });

  it('takes nearest-rank percentiles and summarises token counts', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile([], 50)).toBe(0);
    const stats = summariseTokens(Uint32Array.from([30, 10, 20, 400]), {
      modelDir: '/m',
      maxSeqLen: 100,
      usedChatTemplate: true,
      computedAt: 5,
    });
    expect(stats).toMatchObject({
      rowsCounted: 4,
      total: 460,
      mean: 115,
      p50: 20,
      p95: 400,
      max: 400,
      truncated: 1,
    });
    expect(stats.histogram.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('ranks rows for the split by seed and id only, and sizes the validation set', () => {
    expect(splitRank(1, 42)).toBe(splitRank(1, 42));
    expect(splitRank(1, 42)).not.toBe(splitRank(2, 42));
    const ranks = new Set(Array.from({ length: 10_000 }, (_, i) => splitRank(7, i)));
    expect(ranks.size).toBeGreaterThan(9_990);
    expect(validationSize(1000, { valRatio: 0.1, seed: 0 })).toBe(100);
    expect(validationSize(1000, { valCount: 5000, seed: 0 })).toBe(1000);
    expect(validationSize(3, { valRatio: 0.5, seed: 0 })).toBe(2);
  });

  it('previews at most 20 groups of at most 20 rows, counting all of them', () => {
    const groups = Array.from({ length: 30 }, (_, g) => ({
      keep: g * 100,
      remove: Array.from({ length: 25 }, (_, i) => g * 100 + i + 1),
    }));
    const preview = toPreview('exact', null, groups, false);
    expect(preview).toMatchObject({ groups: 30, duplicates: 750, applied: false });
    expect(preview.sample).toHaveLength(20);
    expect(preview.sample[0]?.remove).toHaveLength(20);
  });

  it('explains a rejected edit by the field at fault', () => {
    expect(explainRejection({ messages: [{ role: 'bot', content: 'x' }] }, [])).toMatch(
      /^`messages\.0\.role`: /,
    );
    expect(explainRejection({ text: 3 }, [])).toMatch(/^`text`: /);
    expect(explainRejection('just text', [])).toMatch(/`messages`.*`text`/);
  });

  it('renders chat templates with generation markers', () => {
    const template = compileChatTemplate(
      "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}[{{ m.content }}]{% endgeneration %}{% else %}{{ m.content }}{% endif %}{% endfor %}",
    );
    expect(
      template.render({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a' },
        ],
      }),
    ).toBe('q[a]');
  });

  it('names version files v<N>.jsonl in the dataset folder', () => {
    expect(versionPath('ds_1', 3)).toBe('datasets/ds_1/v3.jsonl');
  });
});
