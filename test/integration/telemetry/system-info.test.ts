import { statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDiskSpace, getSystemSnapshot } from '../../../main/telemetry/system-info';
import { SystemSnapshotSchema } from '../../../preload/contract';
import { makeTempDir } from '../../helpers/temp-dir';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('system snapshot', () => {
  it('describes this machine’s CPU, memory and the disk holding the data folder', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const snapshot = await getSystemSnapshot(dir, { now: () => 1234 });
    expect(SystemSnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.sampledAt).toBe(1234);
    expect(snapshot.cpu.cores).toBe(cpus().length);
    expect(snapshot.cpu.loadPct).toBeGreaterThanOrEqual(0);
    expect(snapshot.cpu.loadPct).toBeLessThanOrEqual(100);
    expect(Math.abs(snapshot.memory.totalMb - totalmem() / 2 ** 20)).toBeLessThan(1);
    expect(snapshot.memory.usedMb).toBeGreaterThan(0);
    expect(snapshot.memory.usedMb).toBeLessThan(snapshot.memory.totalMb);
    const fs = statfsSync(dir);
    expect(snapshot.disk).toEqual({
      path: dir,
      totalGb: expect.closeTo((fs.blocks * fs.bsize) / 2 ** 30, 1),
      freeGb: expect.any(Number),
    });
  });

  it('uses a memoised CPU description when given one', async () => {
    const snapshot = await getSystemSnapshot('/', { cpuInfo: async () => ({ model: 'Test CPU', cores: 3 }) });
    expect(snapshot.cpu).toMatchObject({ model: 'Test CPU', cores: 3 });
  });

  it('measures the nearest existing folder of a path that does not exist yet', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    const disk = await getDiskSpace(join(dir, 'a', 'b'));
    expect(disk.path).toBe(join(dir, 'a', 'b'));
    expect(disk.totalGb).toBeCloseTo((statfsSync(dir).blocks * statfsSync(dir).bsize) / 2 ** 30, 1);
  });

  it('gives nulls for a disk it cannot read', async () => {
    const { dir, cleanup } = makeTempDir();
    cleanups.push(cleanup);
    expect(await getDiskSpace(join(dir, 'bad\0name'))).toEqual({
      path: join(dir, 'bad\0name'),
      totalGb: null,
      freeGb: null,
    });
  });
});
