import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAppRoot } from '../../../main/paths';
import { workerEntry } from '../../../main/workers/worker-entry';

describe('worker entry', () => {
  it('runs the TypeScript source when the app itself runs from source', () => {
    const entry = workerEntry(
      'import-worker',
      'main/datasets/import/import-worker.ts',
      'file:///app/main/workers/worker-entry.ts',
    );
    expect(entry).toEqual({
      file: join(findAppRoot(), 'main/datasets/import/import-worker.ts'),
      fromSource: true,
    });
    expect(existsSync(entry.file)).toBe(true);
  });

  it('runs the bundle out/main/<name>.js when built', () => {
    const entry = workerEntry(
      'import-worker',
      'main/datasets/import/import-worker.ts',
      'file:///app/out/main/index.js',
    );
    expect(entry.fromSource).toBe(false);
    expect(entry.file.endsWith(join('out', 'main', 'import-worker.js'))).toBe(true);
  });
});
