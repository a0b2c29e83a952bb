import { allowedAuthorities } from './loopback-policy';

/**
 * The Content-Security-Policy for the renderer: own scripts only, WebSocket back to this server only.
 * `'self'` already matches ws:// on the page's own host and port (CSP Level 3); the explicit sources
 * leave out `[::1]`, because CSP has no syntax for IPv6 literals and Chromium logs such a source as
 * invalid on every page load.
 */
export function contentSecurityPolicy(port: number): string {
  const ws = allowedAuthorities(port)
    .filter((authority) => !authority.startsWith('['))
    .map((authority) => `ws://${authority}`);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws.join(' ')}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Headers sent on every HTTP response; deliberately no CORS header of any kind. */
export function securityHeaders(port: number): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
