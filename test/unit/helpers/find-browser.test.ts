import { describe, expect, it } from 'vitest';
import { findBrowser } from '../../helpers/find-browser';

/** An `exists` that knows only the given paths. */
const only =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe('finding a browser for the e2e tests', () => {
  it('uses CHROME_PATH when it is set and exists, before any usual path', () => {
    expect(
      findBrowser(
        { CHROME_PATH: '/opt/chrome/chrome' },
        'linux',
        only('/opt/chrome/chrome', '/usr/bin/chromium'),
      ),
    ).toBe('/opt/chrome/chrome');
  });

  it('refuses a CHROME_PATH that does not exist instead of falling back silently', () => {
    expect(() => findBrowser({ CHROME_PATH: '/nope/chrome' }, 'linux', only('/usr/bin/chromium'))).toThrow(
      'CHROME_PATH is /nope/chrome, which does not exist',
    );
  });

  it('takes the first usual Linux path that exists: Chromium, then Chrome, then Edge', () => {
    expect(findBrowser({}, 'linux', only('/usr/bin/google-chrome-stable', '/usr/bin/microsoft-edge'))).toBe(
      '/usr/bin/google-chrome-stable',
    );
    expect(findBrowser({}, 'linux', only('/usr/bin/microsoft-edge'))).toBe('/usr/bin/microsoft-edge');
  });

  it('knows the macOS application bundles and the Windows program folders', () => {
    expect(
      findBrowser({}, 'darwin', only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome')),
    ).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const edge = 'C:\\Program Files (x86)/Microsoft/Edge/Application/msedge.exe';
    expect(findBrowser({ 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' }, 'win32', only(edge))).toBe(edge);
  });

  it('says in one line what to install when there is none', () => {
    const attempt = (platform: NodeJS.Platform) => () => findBrowser({}, platform, only());
    expect(attempt('linux')).toThrow(/^No Chromium, Chrome or Edge found .*apt-get install chromium/);
    expect(attempt('darwin')).toThrow(/brew install --cask chromium/);
    expect(attempt('win32')).toThrow(/winget install Google\.Chrome/);
    expect(attempt('linux')).toThrow(/^[^\n]+$/);
  });
});
