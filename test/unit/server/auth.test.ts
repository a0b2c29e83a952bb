import { timingSafeEqual } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkToken, generateToken, isValidToken, readCookie, tokenCookie } from '../../../main/server/auth';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: vi.fn((a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) =>
      actual.timingSafeEqual(a, b),
    ),
  };
});

const TOKEN = 'QjoKasuJltCVtP5_dw4Sdz-ymBT4yNM7c-zVlvMrz6Q';

describe('checkToken', () => {
  beforeEach(() => {
    vi.mocked(timingSafeEqual).mockClear();
  });

  it('accepts only the exact token', () => {
    expect(checkToken(TOKEN, TOKEN)).toBe(true);
    for (const wrong of [
      '',
      'x',
      TOKEN.slice(1),
      `${TOKEN}x`,
      TOKEN.toLowerCase(),
      ` ${TOKEN}`,
      null,
      undefined,
    ]) {
      expect(checkToken(TOKEN, wrong)).toBe(false);
    }
  });

  it('compares with crypto.timingSafeEqual on equal-length sha256 digests, whatever the candidate length', () => {
    for (const candidate of ['a', TOKEN, `${TOKEN}${'x'.repeat(1000)}`, '']) {
      vi.mocked(timingSafeEqual).mockClear();
      checkToken(TOKEN, candidate);
      expect(timingSafeEqual).toHaveBeenCalledTimes(1);
      const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0]! as [Buffer, Buffer];
      expect(a.length).toBe(32);
      expect(b.length).toBe(32);
    }
  });

  it('never matches when no token is configured', () => {
    expect(checkToken('', '')).toBe(false);
  });
});

describe('generateToken', () => {
  it('makes 256-bit base64url tokens that differ every time and pass validation', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => generateToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(isValidToken(token)).toBe(true);
    }
  });

  it('refuses short tokens and characters unsafe in a URL or cookie', () => {
    for (const token of [
      '',
      'short',
      'a'.repeat(31),
      `${'a'.repeat(40)};`,
      `${'a'.repeat(40)} `,
      `${'a'.repeat(40)}=`,
    ]) {
      expect(isValidToken(token)).toBe(false);
    }
  });
});

describe('cookies', () => {
  it('reads one cookie among others', () => {
    expect(readCookie(`a=1; lora_studio_token=${TOKEN}; b=2`, 'lora_studio_token')).toBe(TOKEN);
    expect(readCookie('lora_studio_token_x=1', 'lora_studio_token')).toBeNull();
    expect(readCookie('garbage', 'lora_studio_token')).toBeNull();
    expect(readCookie(undefined, 'lora_studio_token')).toBeNull();
  });

  it('stores the token HttpOnly, SameSite=Strict, for the whole site', () => {
    expect(tokenCookie(TOKEN, 5183)).toBe(
      `lora_studio_token_5183=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`,
    );
  });
});
