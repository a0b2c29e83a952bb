import { join, relative, sep } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../../../main/server/resolve-static-path';

const root = join(sep, 'srv', 'renderer');

describe('resolveStaticPath', () => {
  it('maps / to index.html and app routes to a fallback', () => {
    expect(resolveStaticPath('/')).toEqual({ kind: 'file', segments: ['index.html'], spaFallback: false });
    expect(resolveStaticPath('/assets/app-1a2b.js')).toEqual({
      kind: 'file',
      segments: ['assets', 'app-1a2b.js'],
      spaFallback: false,
    });
    expect(resolveStaticPath('/jobs/abc')).toMatchObject({ kind: 'file', spaFallback: true });
    expect(resolveStaticPath('/caf%C3%A9.png')).toMatchObject({ segments: ['café.png'] });
  });

  it.each([
    '/../x',
    '/a/../../x',
    '/%2e%2e/x',
    '/%2e%2e%2fx',
    '/..%5cx',
    '/a\\..\\x',
    '/x%00.js',
    '/%',
    '//etc/passwd',
    '/./x',
    'x',
    '',
  ])('refuses %j', (path) => {
    expect(resolveStaticPath(path).kind).toBe('invalid');
  });

  it('never serves hidden files and decodes only once', () => {
    expect(resolveStaticPath('/.env')).toEqual({ kind: 'not-found' });
    expect(resolveStaticPath('/%252e%252e/x')).toMatchObject({ kind: 'file', segments: ['%2e%2e', 'x'] });
  });

  it('never leads outside the folder, for any input', () => {
    const pathChars = fc.constantFrom(
      '/',
      '.',
      '%',
      '2',
      'e',
      'E',
      'f',
      'F',
      '5',
      'c',
      '0',
      '\\',
      'a',
      '\0',
      '~',
    );
    const arbitraryPath = fc.oneof(
      fc.string(),
      fc.string({ unit: pathChars }),
      fc.string({ unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(arbitraryPath, (raw) => {
        const target = resolveStaticPath(raw);
        if (target.kind !== 'file') return;
        for (const segment of target.segments) {
          expect(segment).not.toMatch(/^\.|[/\\\0]/);
        }
        const resolved = join(root, ...target.segments);
        expect(relative(root, resolved).startsWith('..')).toBe(false);
        expect(resolved.startsWith(root + sep)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});
