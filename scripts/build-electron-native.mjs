#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/, leaving the Node-ABI build in
// node_modules (used by tests, the CLI and serve mode) untouched. `npm start` passes the result to
// the app through LORA_STUDIO_SQLITE_BINDING (better-sqlite3's `nativeBinding` option).
// Needs Electron's headers, so it needs the internet the first time.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
).version;
const sqliteVersion = JSON.parse(
  readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8'),
).version;
const outDir = join(root, 'build', 'electron-native');
const marker = join(outDir, 'built-for.json');
const binding = join(outDir, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const wanted = JSON.stringify({ electronVersion, sqliteVersion });

if (existsSync(binding) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) {
  console.log(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} is already built.`);
} else {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'node_modules'), { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), join(outDir, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (src) => !src.includes(join('better-sqlite3', 'build')),
  });
  writeFileSync(
    join(outDir, 'package.json'),
    JSON.stringify({
      name: 'electron-native',
      private: true,
      dependencies: { 'better-sqlite3': sqliteVersion },
    }),
  );
  const { rebuild } = require('@electron/rebuild');
  console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion}…`);
  try {
    await rebuild({
      buildPath: outDir,
      electronVersion,
      onlyModules: ['better-sqlite3'],
      force: true,
      buildFromSource: true,
    });
  } catch (error) {
    console.error(
      `Could not build better-sqlite3 for Electron ${electronVersion}: ${error.message}\n` +
        'This step downloads Electron headers once and needs the internet. Without it, use `npm run serve`.',
    );
    process.exit(1);
  }
  writeFileSync(marker, wanted);
  console.log(`Built ${binding}`);
}
