import { describe, expect, it } from 'vitest';
import {
  buildWindowOptions,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isTrustedRendererUrl,
} from '../../../main/electron/window-options';

describe('SEC-window: every BrowserWindow is built with secure webPreferences', () => {
  const options = buildWindowOptions('/app/preload/index.cjs', { width: 1200, height: 800 });

  it('isolates and sandboxes the renderer', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      allowRunningInsecureContent: false,
      preload: '/app/preload/index.cjs',
    });
  });

  it('sets a CSP that allows no remote code', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('opens only https links to allow-listed hosts in the OS browser', () => {
    expect(isAllowedExternalUrl('https://huggingface.co/docs')).toBe(true);
    expect(isAllowedExternalUrl('http://huggingface.co/docs')).toBe(false);
    expect(isAllowedExternalUrl('https://evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('https://huggingface.co.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
});

describe("IPC-sender: only the app's own renderer may call the API", () => {
  it('accepts the packaged renderer file and the dev server origin, nothing else', () => {
    const file = 'file:///opt/lora/resources/app/out/renderer/index.html';
    expect(isTrustedRendererUrl(`${file}#/training`, file)).toBe(true);
    expect(isTrustedRendererUrl('file:///tmp/evil.html', file)).toBe(false);
    expect(isTrustedRendererUrl('https://example.com/', file)).toBe(false);
    expect(isTrustedRendererUrl('about:blank', file)).toBe(false);
    expect(isTrustedRendererUrl('not a url', file)).toBe(false);
    const dev = 'http://localhost:5173/';
    expect(isTrustedRendererUrl('http://localhost:5173/#/settings', dev)).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
