import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where a Chromium-family browser usually is, per platform, in the order they are tried. */
export function usualBrowserPaths(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): ReadonlyArray<string> {
  switch (platform) {
    case 'darwin':
      return [
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
        '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      ];
    case 'win32': {
      const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(
        (root): root is string => root !== undefined && root !== '',
      );
      return roots.flatMap((root) => [
        join(root, 'Chromium', 'Application', 'chrome.exe'),
        join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
        join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      ]);
    }
    default:
      return [
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
        '/usr/bin/microsoft-edge',
        '/usr/bin/microsoft-edge-stable',
        '/snap/bin/chromium',
      ];
  }
}

/** What to install when no browser is found, as one line. */
export function installHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'brew install --cask chromium (or Google Chrome)';
    case 'win32':
      return 'winget install Google.Chrome (or use Microsoft Edge)';
    default:
      return 'sudo apt-get install chromium (Debian/Ubuntu; or Google Chrome)';
  }
}

/**
 * The browser the e2e tests and benchmarks drive: `CHROME_PATH` when set (and it must exist), else
 * the first usual Chromium/Chrome/Edge path. Throws one line saying what to install otherwise,
 * instead of Playwright's raw "executable doesn't exist".
 */
export function findBrowser(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): string {
  const chosen = env.CHROME_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (exists(chosen)) return chosen;
    throw new Error(
      `CHROME_PATH is ${chosen}, which does not exist: point it at a Chromium, Chrome or Edge binary`,
    );
  }
  const candidates = usualBrowserPaths(platform, env);
  const found = candidates.find((path) => exists(path));
  if (found !== undefined) return found;
  throw new Error(
    `No Chromium, Chrome or Edge found (looked in ${candidates.join(', ')}): install one with \`${installHint(platform)}\`, or set CHROME_PATH to its binary`,
  );
}
