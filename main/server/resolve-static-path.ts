import { posix } from 'node:path';

/** Where a request path leads inside the static folder, before touching the disk. */
export type StaticTarget =
  /** Relative path segments of the file to serve; `spaFallback` when a miss should serve index.html. */
  | { readonly kind: 'file'; readonly segments: ReadonlyArray<string>; readonly spaFallback: boolean }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Map the raw path of a request (no query) to segments inside the static folder. Decodes exactly
 * once and refuses NUL, backslashes, encoded separators, empty and `.`/`..` segments, so no
 * spelling (`/../`, `%2e%2e%2f`, `%00`, `..%5c`, `//etc`) can climb out; hidden files are never
 * served. The caller still checks the final real path against the folder, which covers symlinks.
 */
export function resolveStaticPath(rawPath: string): StaticTarget {
  if (!rawPath.startsWith('/')) return { kind: 'invalid', reason: 'the path must start with /' };
  if (/%2f|%5c/i.test(rawPath)) return { kind: 'invalid', reason: 'encoded path separator' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'invalid', reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { kind: 'invalid', reason: 'NUL byte in path' };
  if (decoded.includes('\\')) return { kind: 'invalid', reason: 'backslash in path' };
  if (decoded.includes('//')) return { kind: 'invalid', reason: 'empty path segment' };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    return { kind: 'invalid', reason: 'path traversal' };
  }
  if (segments.length === 0) return { kind: 'file', segments: ['index.html'], spaFallback: false };
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'not-found' };
  const last = segments[segments.length - 1] ?? '';
  return { kind: 'file', segments, spaFallback: posix.extname(last) === '' };
}
