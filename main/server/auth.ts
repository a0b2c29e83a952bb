import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Name of the cookie that carries the access token after the first visit. Browsers scope cookies
 * by host, not port, so the port is part of the name: two serve instances on one machine (two data
 * folders) keep their own tokens.
 */
export function tokenCookieName(port: number): string {
  return `lora_studio_token_${port}`;
}

/** Query parameter that carries the access token in the URL printed by `lora-studio serve`. */
export const TOKEN_QUERY = 'token';

/** A token must be URL- and cookie-safe and long enough to be unguessable (≥ 192 bits of base64url). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,512}$/;

/** A fresh 256-bit access token, base64url-encoded (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a caller-supplied token is strong enough and safe to put in a URL and a cookie. */
export function isValidToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * Whether `candidate` equals `expected`, in time independent of where they differ: both are hashed
 * to equal-length sha256 digests first, so neither the content nor the length leaks through timing.
 */
export function checkToken(expected: string, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string' || expected.length === 0) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(candidate, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The value of one cookie in a `Cookie` header, or null (the first occurrence wins). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return null;
}

/** The `Set-Cookie` value that stores the token for this origin only, out of reach of scripts. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}
