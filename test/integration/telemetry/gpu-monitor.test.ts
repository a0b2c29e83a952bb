import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { GpuMonitor, type GpuMonitorOptions } from '../../../main/telemetry/gpu-monitor';
import { JOB_ENV, jobIdOfProcess } from '../../../main/training/job-processes';
import type { GpuStatus } from '../../../preload/contract';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';
import { envWithFakeSmi, isAlive } from './telemetry-env';

const monitors: GpuMonitor[] = [];
const cleanups: Array<() => void> = [];

afterEach(async () => {
  await Promise.all(monitors.splice(0).map((m) => m.stop()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A started monitor (stopped after the test) and the statuses it emitted. */
function startMonitor(options: GpuMonitorOptions): { monitor: GpuMonitor; statuses: GpuStatus[] } {
  const statuses: GpuStatus[] = [];
  const monitor = new GpuMonitor({ intervalMs: 100, ...options, onStatus: (s) => statuses.push(s) });
  monitors.push(monitor);
  monitor.start();
  return { monitor, statuses };
}

describe('GpuMonitor with the fake nvidia-smi', () => {
  it('lists the processes on each GPU and tags a trainer with its job (from its environment)', async () => {
    // A real process tagged the way the supervisor tags trainers, and one that is not ours.
    const trainer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      env: { ...process.env, [JOB_ENV]: 'job-7' },
      stdio: 'ignore',
    });
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    cleanups.push(() => {
      trainer.kill('SIGKILL');
      stranger.kill('SIGKILL');
    });
    const listed = [
      { gpu: 1, pid: trainer.pid, name: '/usr/bin/python3', mem: 20480 },
      { gpu: 0, pid: stranger.pid, name: 'other, tool', mem: 512 },
    ];
    const { statuses } = startMonitor({
      env: envWithFakeSmi('ok', { FAKE_NVIDIA_SMI_PROCESSES: JSON.stringify(listed) }),
      processesEveryMs: 200,
      jobOfPid: jobIdOfProcess,
    });
    await waitFor(() => statuses.some((s) => s.processes.length === 2), { what: 'the process list' });
    const withProcesses = statuses.find((s) => s.processes.length === 2)!;
    const uuidOf = (index: number) => withProcesses.gpus.find((g) => g.index === index)?.uuid;
    expect(withProcesses.processes).toEqual([
      { gpuUuid: uuidOf(1), pid: trainer.pid, name: '/usr/bin/python3', usedMemoryMb: 20480, jobId: 'job-7' },
      { gpuUuid: uuidOf(0), pid: stranger.pid, name: 'other, tool', usedMemoryMb: 512, jobId: null },
    ]);
    expect(withProcesses.gpus[0]?.fanPct).toBeNull(); // the fake H100s are passively cooled: [N/A]
  });

  it('streams whole samples of both GPUs, again and again', async () => {
    const { monitor, statuses } = startMonitor({ env: envWithFakeSmi('ok') });
    expect(monitor.current().state).toBe('starting');
    await waitFor(() => statuses.filter((s) => s.state === 'ok').length >= 4, { what: '4 samples' });
    const samples = statuses.filter((s) => s.state === 'ok');
    for (const s of samples) {
      expect(s.message).toBeNull();
      expect(s.gpus.map((g) => g.index)).toEqual([0, 1]);
      expect(s.gpus[0]).toMatchObject({
        name: 'NVIDIA H100 80GB HBM3',
        memoryTotalMb: 81559,
        powerLimitW: 700,
      });
      expect(s.sampledAt).toEqual(expect.any(Number));
    }
    const times = samples.map((s) => s.sampledAt ?? 0);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(new Set(samples.map((s) => s.gpus[0]?.powerDrawW)).size).toBeGreaterThan(1);
    expect(statuses.every((s) => s.state === 'ok')).toBe(true);
    expect(monitor.current()).toBe(statuses.at(-1));
  });

  it('reports no GPU when nvidia-smi finds no devices, and does not retry', async () => {
    const { monitor, statuses } = startMonitor({ env: envWithFakeSmi('no-devices'), restartDelayMs: 10 });
    const status = await waitFor(() => statuses.find((s) => s.state !== 'starting'), { what: 'a verdict' });
    expect(status).toEqual({
      state: 'no-gpu',
      message: 'No devices were found',
      gpus: [],
      sampledAt: null,
      processes: [],
    });
    expect(monitor.pid).toBeNull();
    expect(statuses).toHaveLength(1);
  });

  it('reports no GPU, in nvidia-smi’s words, when the driver does not answer', async () => {
    const { statuses } = startMonitor({ env: envWithFakeSmi('driver-fail') });
    const status = await waitFor(() => statuses.find((s) => s.state !== 'starting'), { what: 'a verdict' });
    expect(status.state).toBe('no-gpu');
    expect(status.message).toMatch(
      /^NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/,
    );
  });

  it('reports a missing nvidia-smi when PATH does not have one', async () => {
    const empty = makeTempDir();
    cleanups.push(empty.cleanup);
    const { statuses } = startMonitor({ env: { ...process.env, PATH: empty.dir } });
    const status = await waitFor(() => statuses.find((s) => s.state !== 'starting'), { what: 'a verdict' });
    expect(status.state).toBe('no-nvidia-smi');
    expect(status.message).toMatch(
      /^nvidia-smi not found on PATH: no NVIDIA driver is installed on this machine/,
    );
  });

  it('reports a missing nvidia-smi at a configured path that does not exist', async () => {
    const { monitor, statuses } = startMonitor({
      nvidiaSmiPath: '/nonexistent/bin/nvidia-smi',
      env: envWithFakeSmi(),
    });
    await waitFor(() => statuses.length > 0, { what: 'a verdict' });
    expect(monitor.current().state).toBe('no-nvidia-smi');
    expect(monitor.current().message).toContain('/nonexistent/bin/nvidia-smi');
  });

  it('leaves no nvidia-smi running after stop(), and a second stop() is harmless', async () => {
    const { monitor, statuses } = startMonitor({ env: envWithFakeSmi('ok') });
    await waitFor(() => statuses.length > 0, { what: 'a sample' });
    const pid = monitor.pid;
    expect(pid).toEqual(expect.any(Number));
    expect(isAlive(pid!)).toBe(true);
    await monitor.stop();
    expect(isAlive(pid!)).toBe(false);
    expect(monitor.pid).toBeNull();
    const seen = statuses.length;
    await monitor.stop();
    expect(statuses).toHaveLength(seen);
  });

  it('kills an nvidia-smi that ignores SIGTERM after the grace period', async () => {
    const { monitor, statuses } = startMonitor({ env: envWithFakeSmi('ignore-sigterm'), killGraceMs: 200 });
    await waitFor(() => statuses.length > 0, { what: 'a sample' });
    const pid = monitor.pid!;
    await monitor.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('stops cleanly before the first sample and can start again', async () => {
    const monitor = new GpuMonitor({ intervalMs: 100, env: envWithFakeSmi('ok') });
    monitors.push(monitor);
    monitor.start();
    const pid = monitor.pid!;
    await monitor.stop();
    expect(isAlive(pid)).toBe(false);
    monitor.start();
    await waitFor(() => monitor.current().state === 'ok', { what: 'a sample after restart' });
    expect(monitor.pid).not.toBe(pid);
  });

  it('restarts nvidia-smi with backoff when it dies after having worked', async () => {
    const { monitor, statuses } = startMonitor({
      env: envWithFakeSmi('crash-after:2'),
      restartDelayMs: 50,
      maxRestartDelayMs: 200,
    });
    const pids = new Set<number>();
    await waitFor(
      () => {
        if (monitor.current().state === 'ok' && monitor.pid) pids.add(monitor.pid);
        return pids.size >= 4;
      },
      { intervalMs: 5, what: 'four nvidia-smi processes in turn' },
    );
    const crash = statuses.find((s) => s.state === 'error');
    expect(crash?.message).toMatch(
      /^nvidia-smi exited with code 255: Unable to determine the device handle for GPU .*: Unknown Error Restarting nvidia-smi in 0\.05 s\.$/,
    );
    const delays = statuses
      .filter((s) => s.state === 'error')
      .map((s) => Number(/in ([\d.]+) s\.$/.exec(s.message ?? '')?.[1]));
    expect(delays.slice(0, 3)).toEqual([0.05, 0.1, 0.2]);
    expect(statuses.at(-1)?.state).toBe('ok');
  });

  it('keeps going when a status listener throws', async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const monitor = new GpuMonitor({
        intervalMs: 100,
        env: envWithFakeSmi('ok'),
        onStatus: () => {
          throw new Error('listener bug');
        },
      });
      monitors.push(monitor);
      monitor.start();
      await waitFor(() => errors.length >= 2, { what: 'two samples' });
      expect(monitor.current().state).toBe('ok');
    } finally {
      console.error = original;
    }
  });
});
