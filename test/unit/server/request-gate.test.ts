import { describe, expect, it } from 'vitest';
import { type GateRequest, gateRequest } from '../../../main/server/request-gate';

const policy = { port: 4321, token: 'QjoKasuJltCVtP5_dw4Sdz-ymBT4yNM7c-zVlvMrz6Q' } as const;
const base: GateRequest = { url: '/', host: '127.0.0.1:4321', origin: undefined, cookie: undefined };
const withCookie: GateRequest = { ...base, cookie: `lora_studio_token_4321=${policy.token}` };

describe('gateRequest', () => {
  it('lets a request with the cookie through', () => {
    expect(gateRequest(withCookie, policy, 'http')).toEqual({ kind: 'allow' });
    expect(gateRequest(withCookie, policy, 'upgrade')).toEqual({ kind: 'allow' });
  });

  it('redirects a page request carrying the token, and lets an upgrade carrying it through', () => {
    const url = `/a/b?x=1&token=${policy.token}`;
    expect(gateRequest({ ...base, url }, policy, 'http')).toEqual({
      kind: 'redirect',
      location: '/a/b?x=1',
      setCookie: `lora_studio_token_4321=${policy.token}; HttpOnly; SameSite=Strict; Path=/`,
    });
    expect(gateRequest({ ...base, url }, policy, 'upgrade')).toEqual({ kind: 'allow' });
  });

  it('answers 401 without a token or with a wrong one (a wrong URL token wins over a good cookie)', () => {
    expect(gateRequest(base, policy, 'http')).toMatchObject({ kind: 'deny', status: 401 });
    expect(gateRequest({ ...withCookie, url: '/?token=nope' }, policy, 'http')).toMatchObject({
      status: 401,
    });
    expect(gateRequest({ ...base, cookie: 'lora_studio_token_4321=nope' }, policy, 'upgrade')).toMatchObject({
      status: 401,
    });
  });

  it('answers 403 to a foreign Host or Origin before looking at the token', () => {
    for (const host of [undefined, 'evil.example:4321', '127.0.0.1:4322', 'localhost']) {
      expect(gateRequest({ ...withCookie, host }, policy, 'http'), String(host)).toMatchObject({
        status: 403,
      });
    }
    for (const origin of ['http://evil.example', 'null', 'https://127.0.0.1:4321', 'http://127.0.0.1:4322']) {
      expect(gateRequest({ ...withCookie, origin }, policy, 'upgrade'), origin).toMatchObject({
        status: 403,
      });
    }
    for (const origin of ['http://127.0.0.1:4321', 'http://localhost:4321', 'http://[::1]:4321']) {
      expect(gateRequest({ ...withCookie, origin }, policy, 'upgrade'), origin).toEqual({ kind: 'allow' });
    }
    expect(gateRequest({ ...withCookie, host: 'LOCALHOST:4321' }, policy, 'http')).toEqual({ kind: 'allow' });
  });

  it('refuses request targets that are not a path', () => {
    expect(gateRequest({ ...withCookie, url: 'http://127.0.0.1:4321/' }, policy, 'http')).toMatchObject({
      status: 400,
    });
  });
});
