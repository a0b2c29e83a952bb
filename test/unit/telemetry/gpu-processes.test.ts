import { describe, expect, it } from 'vitest';
import { buildProcessQueryArgs, parseGpuProcessCsv } from '../../../main/telemetry/gpu-processes';

describe('nvidia-smi compute processes', () => {
  it('asks for uuid, pid, memory and name (the name last: it may hold commas)', () => {
    expect(buildProcessQueryArgs()).toEqual([
      '--query-compute-apps=gpu_uuid,pid,used_memory,process_name',
      '--format=csv,noheader,nounits',
    ]);
  });

  it('reads each process, keeps a name with commas whole, and [N/A] memory as null', () => {
    const text = [
      'GPU-5c1f0b5e-83a2, 4242, 61000, /usr/bin/python3',
      'GPU-6d2e, 977, [N/A], /opt/app, with comma/bin/serve',
      '',
    ].join('\n');
    expect(parseGpuProcessCsv(text)).toEqual([
      { gpuUuid: 'GPU-5c1f0b5e-83a2', pid: 4242, usedMemoryMb: 61000, name: '/usr/bin/python3' },
      { gpuUuid: 'GPU-6d2e', pid: 977, usedMemoryMb: null, name: '/opt/app, with comma/bin/serve' },
    ]);
  });

  it('lists nothing for "No running processes found", a header, or a line without a pid', () => {
    expect(
      parseGpuProcessCsv(
        [
          'No running processes found',
          'gpu_uuid, pid, used_memory [MiB], process_name',
          'GPU-1, [N/A], 10, x',
          '[N/A], 12, 10, x',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
