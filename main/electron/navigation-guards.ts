/**
 * SEC-nav: what the desktop window may load, open and be granted. Pure decisions plus one installer
 * over the few webContents methods it needs, so every rule is unit-tested with a recording double
 * (test/unit/electron/navigation-guards.test.ts); main/electron/index.ts only wires them up.
 */
import { isAllowedExternalUrl } from './window-options';

/** What a navigation attempt becomes: stay (a reload of our page), blocked, or blocked and opened in the OS browser. */
export type NavigationDecision = 'allow' | 'deny' | 'open-external';

/** The part of an Electron navigation/attach event the guards use. */
export interface GuardEvent {
  readonly url?: string;
  readonly isMainFrame?: boolean;
  preventDefault(): void;
}

/** The events the guards listen to on a webContents. */
export const GUARDED_EVENTS = [
  'will-navigate',
  'will-frame-navigate',
  'will-redirect',
  'will-attach-webview',
] as const;

export type GuardedEventName = (typeof GUARDED_EVENTS)[number];

/** The part of Electron's webContents the guards use (a test double records these calls). */
export interface GuardedContents {
  on(event: GuardedEventName, listener: (event: GuardEvent, url?: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

export interface NavigationGuardDeps {
  /** The app's own page (file:// in a build, the dev server's URL under `electron-vite dev`). */
  readonly rendererUrl: string;
  /** Opens a URL in the OS browser (`shell.openExternal`); called only for allow-listed https URLs. */
  readonly openExternal: (url: string) => unknown;
}

/** Is `raw` the app's own page (same file, or same origin and path for the dev server), any #route? */
export function isAppPageUrl(raw: string, rendererUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  const own = new URL(rendererUrl);
  if (url.protocol !== own.protocol || url.pathname !== own.pathname || url.search !== own.search)
    return false;
  return own.protocol === 'file:' ? url.host === own.host : url.origin === own.origin;
}

/**
 * A navigation of the window (or of a frame in it): only a reload of the app's own page stays;
 * an allow-listed https link goes to the OS browser; any other origin, file:// page or scheme is denied.
 */
export function navigationDecision(url: string, rendererUrl: string): NavigationDecision {
  if (isAppPageUrl(url, rendererUrl)) return 'allow';
  return isAllowedExternalUrl(url) ? 'open-external' : 'deny';
}

/** A request to open a new window (window.open, target=_blank): never a window; allow-listed https to the OS browser. */
export function windowOpenDecision(url: string): Exclude<NavigationDecision, 'allow'> {
  return isAllowedExternalUrl(url) ? 'open-external' : 'deny';
}

/**
 * The permissions the app's page may have: desktop notifications, and writing to the clipboard
 * (the copy buttons of the job config and the library use navigator.clipboard.writeText).
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set([
  'notifications',
  'clipboard-sanitized-write',
]);

/**
 * A permission request or check: only GRANTED_PERMISSIONS, and only for the app's own page in its
 * main frame (the camera, reading the clipboard, geolocation, and everything else are refused).
 */
export function isPermissionGranted(
  permission: string,
  details: { readonly requestingUrl?: string; readonly isMainFrame?: boolean },
  rendererUrl: string,
): boolean {
  return (
    GRANTED_PERMISSIONS.has(permission) &&
    details.isMainFrame === true &&
    details.requestingUrl !== undefined &&
    isAppPageUrl(details.requestingUrl, rendererUrl)
  );
}

/** Install every navigation rule on a window's webContents. */
export function installNavigationGuards(contents: GuardedContents, deps: NavigationGuardDeps): void {
  // The window's own page (will-navigate is the main frame's): a link leaves for the OS browser.
  contents.on('will-navigate', (event, legacyUrl) => {
    const url = event.url ?? legacyUrl ?? '';
    const decision = navigationDecision(url, deps.rendererUrl);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') void deps.openExternal(url);
  });
  // Subframes are only stopped, never opened: nothing of ours embeds a frame.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame === true) return;
    if (navigationDecision(event.url ?? '', deps.rendererUrl) !== 'allow') event.preventDefault();
  });
  // A redirect is never followed: our page is a file, nothing of ours redirects.
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (windowOpenDecision(url) === 'open-external') void deps.openExternal(url);
    return { action: 'deny' };
  });
}
