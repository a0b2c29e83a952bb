import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { AppError } from '../../errors';

/** A file to import: its absolute path (symlinks followed when read) and size. */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
}

/**
 * Check a path given by a dialog, the server or the CLI: it must name a readable, non-empty
 * regular file. A missing file is NOT_FOUND; anything else wrong is BAD_INPUT, in words.
 */
export async function resolveSourceFile(path: string): Promise<SourceFile> {
  if (path.includes('\0')) throw new AppError('BAD_INPUT', 'the path contains a NUL character');
  const absolute = resolve(path);
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolute);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('NOT_FOUND', `no such file: ${path}`);
    if (code === 'ENAMETOOLONG') throw new AppError('BAD_INPUT', 'the path is too long');
    if (code === 'ELOOP') throw new AppError('BAD_INPUT', `the path is a loop of symbolic links: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('BAD_INPUT', `permission denied: ${path}`);
    throw error;
  }
  if (!info.isFile()) throw new AppError('BAD_INPUT', `not a file: ${path}`);
  if (info.size === 0) throw new AppError('BAD_INPUT', 'the file is empty: there is nothing to import');
  return { path: absolute, size: info.size };
}

/** Control characters, bidi overrides and isolates, zero-width space and the BOM. */
const UNSAFE_CHARS = /[\p{Cc}\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/**
 * A name safe to show and store: control, zero-width and bidi-override characters removed,
 * whitespace collapsed, at most `max` characters. It is never used as a path.
 */
export function sanitiseName(raw: string, max = 200, fallback = 'dataset'): string {
  const cleaned = raw.normalize('NFC').replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim();
  const short = Array.from(cleaned).slice(0, max).join('').trim();
  return short === '' ? fallback : short;
}

/** The default dataset name: the file name without its extension, sanitised. */
export function defaultDatasetName(path: string): string {
  const file = basename(path);
  return sanitiseName(file.slice(0, file.length - extname(file).length) || file);
}
