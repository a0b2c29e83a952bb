import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken, isValidToken } from './auth';

/** The file in the data folder that keeps serve's access token across restarts (owner-only). */
export const SERVE_TOKEN_FILE = 'serve-token';

/**
 * Serve's access token: the one kept in the data folder, so open tabs (their cookie) and a bookmarked
 * URL keep working after a restart; a fresh one when there is none, it is unreadable or malformed,
 * or `rotate` asks (`serve --new-token`), which locks out every earlier tab and link.
 */
export function loadServeToken(dataDir: string, options: { readonly rotate?: boolean } = {}): string {
  const file = join(dataDir, SERVE_TOKEN_FILE);
  if (!options.rotate && existsSync(file)) {
    try {
      const kept = readFileSync(file, 'utf8').trim();
      if (isValidToken(kept)) {
        // A copy or an unpacked backup may have loosened it: the token is a password.
        if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
        return kept;
      }
    } catch {
      // Unreadable: replaced below.
    }
  }
  const token = generateToken();
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, `${token}\n`, { mode: 0o600 });
  chmodSync(staging, 0o600);
  renameSync(staging, file);
  return token;
}
