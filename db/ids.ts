import { randomBytes } from 'node:crypto';

/** A text id that sorts by creation time: `<prefix>_<ms base36><8 random hex>`. */
export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}

/** The clock every repository and service takes, so tests can pass their own. */
export type Clock = () => number;
