#!/usr/bin/env node
// SEC-electronegativity: run @doyensec/electronegativity (its JS API) over the built app (out/) and
// print its findings as JSON. Why the resolution hook: the scanner's parser,
// @typescript-eslint/typescript-estree 4.x, is hoisted to the top of node_modules and so loads this
// project's TypeScript 7, whose JS API no longer exports `SyntaxKind` (the scanner then dies with
// "Cannot read properties of undefined (reading 'BarBarToken')"); the scanner ships its own
// TypeScript 4.2 in its node_modules, and the hook hands the parser that one.
const Module = require('node:module');
const { dirname, join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const scannerDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const ownTypescript = join(scannerDir, 'node_modules', 'typescript');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, parent, ...rest) {
  if (
    (request === 'typescript' || request.startsWith('typescript/')) &&
    parent?.filename?.includes('typescript-estree')
  ) {
    return originalResolve.call(this, request.replace(/^typescript/, ownTypescript), parent, ...rest);
  }
  return originalResolve.call(this, request, parent, ...rest);
};

const run = require('@doyensec/electronegativity');
const input = resolve(root, process.argv[2] ?? 'out');
run({
  input,
  isRelative: true,
  severitySet: 'informational',
  confidenceSet: 'tentative',
  customScan: [],
  // The one check that needs the network (it downloads Electron's release list): nothing here reaches it.
  excludeFromScan: ['availablesecurityfixesglobalcheck'],
  electronVersionOverride: require('electron/package.json').version,
})
  .then((result) => {
    const issues = (result.issues ?? []).map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location?.line ?? null,
      severity: i.severity?.name ?? null,
      confidence: i.confidence?.name ?? null,
      description: i.description,
    }));
    process.stdout.write(`${JSON.stringify({ input, errors: (result.errors ?? []).length, issues })}\n`);
  })
  .catch((error) => {
    process.stderr.write(`electronegativity failed: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
