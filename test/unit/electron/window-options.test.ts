import { describe, expect, it } from 'vitest';
import {
  buildWindowOptions,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
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
