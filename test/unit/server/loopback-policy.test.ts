import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin, isLoopbackHost } from '../../../main/server/loopback-policy';
import { contentSecurityPolicy, securityHeaders } from '../../../main/server/security-headers';

describe('loopback policy', () => {
  it('binds only 127.0.0.1 or ::1', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    for (const host of ['0.0.0.0', '::', 'localhost', '127.0.0.2', '10.0.0.1', '']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  it('accepts only its own authority as Host and its own origins as Origin', () => {
    expect(isAllowedHost('[::1]:80', 80)).toBe(true);
    expect(isAllowedHost('[::1]:80.evil', 80)).toBe(false);
    expect(isAllowedOrigin('http://localhost:80', 80)).toBe(true);
    expect(isAllowedOrigin('http://localhost:80/', 80)).toBe(false);
  });

  it('sends no CORS header and forbids framing', () => {
    const headers = securityHeaders(80);
    expect(Object.keys(headers).filter((name) => name.toLowerCase().startsWith('access-control'))).toEqual(
      [],
    );
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(contentSecurityPolicy(80)).toContain("frame-ancestors 'none'");
  });
});
