/**
 * SEC-nav: the desktop window's navigation, new-window, webview and permission rules. The Electron
 * binary cannot run here, so the rules are exercised through a double of webContents that records
 * the listeners installed, and events that record whether they were prevented.
 */
import { describe, expect, it } from 'vitest';
import {
  GUARDED_EVENTS,
  type GuardEvent,
  type GuardedContents,
  type GuardedEventName,
  installNavigationGuards,
  isAppPageUrl,
  isPermissionGranted,
  navigationDecision,
  windowOpenDecision,
} from '../../../main/electron/navigation-guards';

const FILE_PAGE = 'file:///opt/lora/resources/app.asar/out/renderer/index.html';
const DEV_PAGE = 'http://localhost:5173/';

/** A webContents double: keeps every listener and the window-open handler it is given. */
function recordingContents() {
  const listeners = new Map<GuardedEventName, Array<(event: GuardEvent, url?: string) => void>>();
  let openHandler: ((details: { readonly url: string }) => { action: 'deny' }) | null = null;
  const contents: GuardedContents = {
    on(event, listener) {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  };
  const opened: string[] = [];
  installNavigationGuards(contents, { rendererUrl: FILE_PAGE, openExternal: (url) => opened.push(url) });
  /** Fire an event at every listener; true when one of them prevented it. */
  const fire = (name: GuardedEventName, fields: { url?: string; isMainFrame?: boolean } = {}) => {
    let prevented = false;
    const event: GuardEvent = { ...fields, preventDefault: () => (prevented = true) };
    for (const listener of listeners.get(name) ?? []) listener(event, fields.url);
    return prevented;
  };
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window-open handler installed');
    return openHandler({ url });
  };
  return { listeners, fire, open, opened };
}

const OTHER_ORIGINS = [
  'https://evil.example/',
  'http://huggingface.co/docs', // an allow-listed host, but not https
  'https://huggingface.co.evil.example/',
  'http://127.0.0.1:8080/',
  'http://localhost:5173/', // the dev server's origin, not this build's page
  'data:text/html,<script>alert(1)</script>',
  'javascript:alert(1)',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'not a url',
  '',
];
const FILE_URLS = [
  'file:///etc/passwd',
  'file:///tmp/evil.html',
  'file:///opt/lora/resources/app.asar/out/renderer/other.html',
  `${FILE_PAGE}?inject=1`,
  'file://remote-host/opt/lora/resources/app.asar/out/renderer/index.html',
];

describe('SEC-nav: navigation rules of the desktop window', () => {
  it('installs a listener for every guarded event and a window-open handler', () => {
    const c = recordingContents();
    for (const name of GUARDED_EVENTS) expect(c.listeners.get(name)?.length, name).toBeGreaterThan(0);
    expect(() => c.open('https://evil.example/')).not.toThrow();
  });

  it('lets the app page reload itself (any #route), and nothing else', () => {
    const c = recordingContents();
    expect(c.fire('will-navigate', { url: FILE_PAGE })).toBe(false);
    expect(c.fire('will-navigate', { url: `${FILE_PAGE}#/training` })).toBe(false);
    expect(c.opened).toEqual([]);
  });

  it.each(OTHER_ORIGINS)('denies navigating the window to another origin or scheme: %j', (url) => {
    const c = recordingContents();
    expect(c.fire('will-navigate', { url, isMainFrame: true })).toBe(true);
    expect(c.fire('will-frame-navigate', { url, isMainFrame: false })).toBe(true);
    expect(c.opened).toEqual([]);
  });

  it.each(FILE_URLS)('denies file:// pages other than the app page itself: %s', (url) => {
    const c = recordingContents();
    expect(c.fire('will-navigate', { url, isMainFrame: true })).toBe(true);
    expect(c.fire('will-frame-navigate', { url, isMainFrame: false })).toBe(true);
    expect(c.opened).toEqual([]);
  });

  it('sends an allow-listed https link to the OS browser instead of navigating the window', () => {
    const c = recordingContents();
    expect(c.fire('will-navigate', { url: 'https://huggingface.co/docs/peft', isMainFrame: true })).toBe(
      true,
    );
    expect(c.opened).toEqual(['https://huggingface.co/docs/peft']);
    // A subframe navigating there is stopped, not opened.
    expect(c.fire('will-frame-navigate', { url: 'https://github.com/x', isMainFrame: false })).toBe(true);
    expect(c.opened).toEqual(['https://huggingface.co/docs/peft']);
  });

  it('leaves the main frame to will-navigate in will-frame-navigate (no double open)', () => {
    const c = recordingContents();
    expect(c.fire('will-frame-navigate', { url: 'https://github.com/x', isMainFrame: true })).toBe(false);
    expect(c.opened).toEqual([]);
  });

  it('follows no redirect and attaches no webview', () => {
    const c = recordingContents();
    expect(c.fire('will-redirect', { url: FILE_PAGE })).toBe(true);
    expect(c.fire('will-redirect', { url: 'https://huggingface.co/' })).toBe(true);
    expect(c.fire('will-attach-webview')).toBe(true);
    expect(c.opened).toEqual([]);
  });

  it('denies every new window; only allow-listed https URLs reach openExternal', () => {
    const c = recordingContents();
    for (const url of [...OTHER_ORIGINS, ...FILE_URLS, FILE_PAGE]) {
      expect(c.open(url), url).toEqual({ action: 'deny' });
    }
    expect(c.opened).toEqual([]);
    expect(c.open('https://huggingface.co/models')).toEqual({ action: 'deny' });
    expect(c.open('https://pytorch.org/docs')).toEqual({ action: 'deny' });
    expect(c.opened).toEqual(['https://huggingface.co/models', 'https://pytorch.org/docs']);
  });
});

describe('SEC-nav: the decisions behind the rules', () => {
  it('recognises the app page for a file:// build and for the dev server', () => {
    expect(isAppPageUrl(`${FILE_PAGE}#/settings`, FILE_PAGE)).toBe(true);
    expect(isAppPageUrl('file:///tmp/index.html', FILE_PAGE)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/#/datasets', DEV_PAGE)).toBe(true);
    expect(isAppPageUrl('http://localhost:5174/', DEV_PAGE)).toBe(false);
    expect(isAppPageUrl('http://localhost:5173/other', DEV_PAGE)).toBe(false);
    expect(isAppPageUrl('https://localhost:5173/', DEV_PAGE)).toBe(false);
  });

  it('maps URLs to allow / deny / open-external', () => {
    expect(navigationDecision(FILE_PAGE, FILE_PAGE)).toBe('allow');
    expect(navigationDecision('https://github.com/', FILE_PAGE)).toBe('open-external');
    expect(navigationDecision('https://evil.example/', FILE_PAGE)).toBe('deny');
    expect(navigationDecision('file:///etc/passwd', FILE_PAGE)).toBe('deny');
    expect(windowOpenDecision(FILE_PAGE)).toBe('deny');
    expect(windowOpenDecision('https://docs.nvidia.com/cuda')).toBe('open-external');
  });

  it('grants only notifications and clipboard writes, only to the app page in its main frame', () => {
    const own = { requestingUrl: `${FILE_PAGE}#/training`, isMainFrame: true };
    expect(isPermissionGranted('notifications', own, FILE_PAGE)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', own, FILE_PAGE)).toBe(true);
    for (const permission of [
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
    ]) {
      expect(isPermissionGranted(permission, own, FILE_PAGE), permission).toBe(false);
    }
    expect(isPermissionGranted('notifications', { ...own, isMainFrame: false }, FILE_PAGE)).toBe(false);
    expect(
      isPermissionGranted(
        'notifications',
        { requestingUrl: 'https://evil.example/', isMainFrame: true },
        FILE_PAGE,
      ),
    ).toBe(false);
    expect(isPermissionGranted('notifications', { isMainFrame: true }, FILE_PAGE)).toBe(false);
  });
});
