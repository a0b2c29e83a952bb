import type { BrowserWindowConstructorOptions } from 'electron';

/** The Content-Security-Policy of every window: our own files and our own API, nothing remote. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Hosts `shell.openExternal` may open (https only); everything else is refused. */
export const EXTERNAL_HOST_ALLOWLIST: ReadonlySet<string> = new Set([
  'huggingface.co',
  'github.com',
  'docs.nvidia.com',
  'pytorch.org',
]);

/** Only https links to an allow-listed host leave the app, and only to the OS browser. */
export function isAllowedExternalUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && EXTERNAL_HOST_ALLOWLIST.has(url.hostname);
  } catch {
    return false;
  }
}

export interface WindowBounds {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
}

/** The BrowserWindow options: every security setting explicit, asserted by a unit test. */
export function buildWindowOptions(
  preloadPath: string,
  bounds: WindowBounds,
): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'LoRA Studio',
    backgroundColor: '#111318',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}

/**
 * IPC-sender: whether a frame at `actualUrl` is the app's own renderer (`expectedUrl`): the same
 * file for a file:// build, the same origin for the dev server. Anything else may not call the API.
 */
export function isTrustedRendererUrl(actualUrl: string, expectedUrl: string): boolean {
  let actual: URL;
  try {
    actual = new URL(actualUrl);
  } catch {
    return false;
  }
  const expected = new URL(expectedUrl);
  return expected.protocol === 'file:'
    ? actual.protocol === 'file:' && actual.pathname === expected.pathname
    : actual.origin === expected.origin;
}
