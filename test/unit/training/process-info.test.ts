import { describe, expect, it } from 'vitest';
import {
  isPidAlive,
  isSameProcess,
  parseProcStat,
  processStartTime,
} from '../../../main/training/process-info';

describe('process identity', () => {
  it('parses /proc/<pid>/stat even when the command name holds spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S'; // state (field 3)
    fields[2] = '4242'; // pgrp (field 5)
    fields[19] = '123456'; // starttime (field 22), in 1/100 s
    expect(parseProcStat(`77 (my (odd) name) ${fields.join(' ')}`)).toEqual({
      state: 'S',
      pgrp: 4242,
      startMs: 1_234_560,
    });
    expect(parseProcStat('garbage')).toBeNull();
  });

  it('knows this process by pid and start time, and refuses a wrong start time', async () => {
    expect(await isPidAlive(process.pid)).toBe(true);
    const start = await processStartTime(process.pid);
    if (process.platform === 'win32') return;
    expect(start).not.toBeNull();
    expect(await isSameProcess(process.pid, start)).toBe(true);
    expect(await isSameProcess(process.pid, (start as number) - 5000)).toBe(false);
    expect(await isSameProcess(process.pid, null)).toBe(false);
    expect(await isPidAlive(2 ** 22 + 12345)).toBe(false);
  });
});
