import { checkToken, readCookie, TOKEN_QUERY, tokenCookie, tokenCookieName } from './auth';
import { isAllowedHost, isAllowedOrigin } from './loopback-policy';

/** The parts of an HTTP request (or WebSocket upgrade) the gate looks at. */
export interface GateRequest {
  readonly url: string;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly cookie: string | undefined;
}

/** What the gate checks against: this server's port and its secret. */
export interface GatePolicy {
  readonly port: number;
  readonly token: string;
}

/** The gate's verdict: let through, redirect to drop the token from the URL, or refuse. */
export type GateDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookie: string }
  | { readonly kind: 'deny'; readonly status: 400 | 401 | 403; readonly message: string };

export const UNAUTHORIZED_MESSAGE =
  'Unauthorized: open the URL printed by `lora-studio serve` (it contains the access token), ' +
  'or restart it to get a new one.\n';
const FOREIGN_HOST_MESSAGE =
  'Forbidden: this LoRA Studio server only answers requests addressed to 127.0.0.1, localhost or [::1] ' +
  'on its own port.\n';
const FOREIGN_ORIGIN_MESSAGE = 'Forbidden: requests from other web sites are not allowed.\n';
const BAD_URL_MESSAGE = 'Bad request: malformed URL.\n';

/**
 * Decide whether a request may reach the app: Host must name this server (DNS rebinding), an Origin
 * if present must be this server (cross-site requests, WebSocket hijacking), and the token must come
 * from `?token=` or the cookie. A valid token in the URL of a page request answers with a redirect
 * that drops it from the address bar and stores it in an HttpOnly, SameSite=Strict cookie instead.
 */
export function gateRequest(
  request: GateRequest,
  policy: GatePolicy,
  mode: 'http' | 'upgrade',
): GateDecision {
  if (!isAllowedHost(request.host, policy.port)) {
    return { kind: 'deny', status: 403, message: FOREIGN_HOST_MESSAGE };
  }
  if (request.origin !== undefined && !isAllowedOrigin(request.origin, policy.port)) {
    return { kind: 'deny', status: 403, message: FOREIGN_ORIGIN_MESSAGE };
  }
  if (!request.url.startsWith('/')) return { kind: 'deny', status: 400, message: BAD_URL_MESSAGE };

  const queryAt = request.url.indexOf('?');
  const pathname = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const params = new URLSearchParams(queryAt === -1 ? '' : request.url.slice(queryAt + 1));
  const queryToken = params.get(TOKEN_QUERY);

  if (queryToken !== null) {
    // A wrong token in the URL is refused even when the cookie is right: the URL is what the user meant.
    if (!checkToken(policy.token, queryToken)) return unauthorized();
    if (mode === 'upgrade') return { kind: 'allow' };
    params.delete(TOKEN_QUERY);
    const query = params.toString();
    return {
      kind: 'redirect',
      location: `${safeRedirectPath(pathname)}${query === '' ? '' : `?${query}`}`,
      setCookie: tokenCookie(policy.token, policy.port),
    };
  }
  return checkToken(policy.token, readCookie(request.cookie, tokenCookieName(policy.port)))
    ? { kind: 'allow' }
    : unauthorized();
}

function unauthorized(): GateDecision {
  return { kind: 'deny', status: 401, message: UNAUTHORIZED_MESSAGE };
}

/** A same-origin path for `Location`: never `//host` or `/\host` (open redirect), never odd bytes. */
function safeRedirectPath(pathname: string): string {
  if (pathname.startsWith('//') || /[^\x21-\x7e]|\\/.test(pathname)) return '/';
  return pathname;
}
