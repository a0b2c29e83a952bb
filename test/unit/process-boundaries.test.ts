import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findBoundaryViolations } from '../../scripts/process-boundaries';
import { makeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('process boundaries', () => {
  let tmp: ReturnType<typeof makeTempDir> | null = null;
  afterEach(() => tmp?.cleanup());

  it('holds for the whole source tree', () => {
    expect(findBoundaryViolations(ROOT)).toEqual([]);
  });

  it('catches a renderer importing Node, the database or main, and electron outside main/electron', () => {
    tmp = makeTempDir();
    const root = tmp.dir;
    for (const d of ['renderer/src', 'main/electron', 'main/api', 'preload', 'db'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(
      join(root, 'renderer/src/a.tsx'),
      "import fs from 'node:fs';\nimport { x } from '../../db/schema';\nimport { contract } from '../../preload/contract';\n",
    );
    writeFileSync(
      join(root, 'renderer/src/b.ts'),
      "import Database from 'better-sqlite3';\nconst m = import('../../main/core');\n",
    );
    writeFileSync(join(root, 'main/api/c.ts'), "import { app } from 'electron';\n");
    writeFileSync(join(root, 'main/electron/ok.ts'), "import { app } from 'electron';\n");
    writeFileSync(join(root, 'preload/contract.ts'), "import { readFileSync } from 'fs';\n");
    writeFileSync(join(root, 'preload/index.ts'), "import { contextBridge } from 'electron';\n");
    writeFileSync(
      join(root, 'renderer/src/c.ts'),
      "import { JobStatusSchema } from '../../preload/contract-training';\n",
    );
    writeFileSync(join(root, 'preload/contract-datasets.ts'), "import { createHash } from 'node:crypto';\n");
    for (const d of ['main/cli', 'main/server', 'main/training'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(
      join(root, 'main/cli/d.ts'),
      "import { DatasetsRepository } from '../../db/repositories/datasets-repository';\n",
    );
    writeFileSync(join(root, 'main/cli.ts'), "import type { Db } from '../db/open';\n");
    writeFileSync(join(root, 'main/server/e.ts'), "import Database from 'better-sqlite3';\n");
    writeFileSync(join(root, 'main/api/f.ts'), "import { eq } from 'drizzle-orm';\n");
    // A service owns its repositories: allowed.
    writeFileSync(join(root, 'main/training/ok.ts'), "import { x } from '../../db/repositories/x';\n");
    // A service composing its own handlers reaches back through the door: refused; the core may.
    writeFileSync(join(root, 'main/training/g.ts'), "import { h } from '../api/training-handlers';\n");
    writeFileSync(join(root, 'main/core.ts'), "import { h } from './api/training-handlers';\n");
    const found = findBoundaryViolations(root).map((v) => `${v.file} → ${v.specifier}`);
    expect(found.sort()).toEqual(
      [
        'renderer/src/a.tsx → node:fs',
        'renderer/src/a.tsx → ../../db/schema',
        'renderer/src/b.ts → better-sqlite3',
        'renderer/src/b.ts → ../../main/core',
        'main/api/c.ts → electron',
        'preload/contract.ts → fs',
        'preload/contract-datasets.ts → node:crypto',
        'main/cli/d.ts → ../../db/repositories/datasets-repository',
        'main/cli.ts → ../db/open',
        'main/server/e.ts → better-sqlite3',
        'main/api/f.ts → drizzle-orm',
        'main/training/g.ts → ../api/training-handlers',
      ].sort(),
    );
  });
});
