import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS, contract, EVENT_NAMES, events } from '../../preload/contract';

describe('the preload allow-list', () => {
  it('is derived from the contract, not written by hand', () => {
    const preload = readFileSync(resolve(import.meta.dirname, '..', '..', 'preload', 'index.ts'), 'utf8');
    expect(preload).toMatch(/new Set\(CHANNELS\)/);
    expect(preload).toMatch(/new Set\(EVENT_NAMES\)/);
    // No channel name may be spelled out in the preload: the contract is the only list.
    for (const channel of CHANNELS) expect(preload).not.toContain(`'${channel}'`);
  });

  it('lists exactly the contract’s channels and events', () => {
    expect([...CHANNELS].sort()).toEqual(Object.keys(contract).sort());
    expect([...EVENT_NAMES].sort()).toEqual(Object.keys(events).sort());
  });
});
