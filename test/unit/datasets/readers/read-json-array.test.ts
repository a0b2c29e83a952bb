/**
 * DATA (defect 9): a JSON array whose closing `]` is missing is flagged, never imported silently:
 * its last row carries a problem saying where the file ended (the byte offset).
 */
import { describe, expect, it } from 'vitest';
import { readJsonArray } from '../../../../main/datasets/readers/read-json-array';
import type { SourceRecord } from '../../../../main/datasets/readers/source-record';

async function records(text: string, chunk = 7): Promise<SourceRecord[]> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const out: SourceRecord[] = [];
  for await (const batch of readJsonArray(chunks())) out.push(...batch);
  return out;
}

describe('readJsonArray on a cut-off file', () => {
  it('flags the last row of an array without its closing `]`, with the byte offset', async () => {
    const text = '[{"text":"one"},\n{"text":"two"}';
    const rows = await records(text);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.problem).toBeNull();
    expect(rows[1]!.value).toEqual({ text: 'two' });
    expect(rows[1]!.problem?.message).toBe(
      `the file ends at byte ${Buffer.byteLength(text)} without the array's closing \`]\`: it looks cut off, so this last row may be incomplete`,
    );
  });

  it('says where a file cut inside a row ends', async () => {
    const text = '[{"text":"one"},{"text":"tw';
    const rows = await records(text);
    expect(rows.at(-1)!.problem?.message).toMatch(/cut off/);
    expect(rows.at(-1)!.problem?.message).toContain(String(Buffer.byteLength(text)));
  });

  it('reads a whole array without any problem', async () => {
    const rows = await records('[{"text":"one"},{"text":"two"}]\n');
    expect(rows.map((r) => r.problem)).toEqual([null, null]);
  });
});
