import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { findBoundaryViolations } from './scripts/process-boundaries';

/** Fail the build when any import crosses a process boundary. */
function processBoundaries(): Plugin {
  return {
    name: 'lora-studio:process-boundaries',
    buildStart() {
      const violations = findBoundaryViolations(resolve('.'));
      if (violations.length > 0) {
        this.error(
          `Process boundary violations:\n${violations.map((v) => `  ${v.file} imports ${v.specifier}: ${v.rule}`).join('\n')}`,
        );
      }
    },
  };
}

/**
 * Three builds. main: the Electron entry and the CLI (which also runs serve mode) share the core;
 * preload: CommonJS, because sandboxed preloads cannot load ES modules; renderer: React, root
 * `renderer/`, which may import only from itself and `preload/contract.ts` (checked by
 * test/unit/process-boundaries.test.ts).
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('main/electron/index.ts'),
          cli: resolve('main/cli.ts'),
          // Worker threads: each its own bundle, found by main/workers/worker-entry.ts.
          'import-worker': resolve('main/datasets/import/import-worker.ts'),
          'import-reader-worker': resolve('main/datasets/import/import-reader-worker.ts'),
          'curation-worker': resolve('main/datasets/curation/curation-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [processBoundaries(), react()],
    build: {
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
