#!/usr/bin/env node
// `npm start`: build main/preload/renderer, build the Electron-ABI SQLite module once, then start
// Electron on the built app. Fails with a clear message where the Electron binary is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

step(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
step(process.execPath, [join(root, 'scripts/build-electron-native.mjs')]);

let electronBinary;
try {
  electronBinary = require('electron');
} catch (error) {
  console.error(
    `The Electron binary is not installed (${error.message}).\n` +
      'It downloads on first use and needs the internet. Meanwhile `npm run serve` runs the same app in your browser.',
  );
  process.exit(1);
}
if (typeof electronBinary !== 'string' || !existsSync(electronBinary)) {
  console.error('The Electron binary is missing; `npm run serve` runs the same app in your browser.');
  process.exit(1);
}
const binding = join(
  root,
  'build/electron-native/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
);
const child = spawn(electronBinary, [root], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LORA_STUDIO_SQLITE_BINDING: binding },
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
