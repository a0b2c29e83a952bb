import { describe, expect, it } from 'vitest';
import {
  buildGpuQueryArgs,
  describeNvidiaSmiFailure,
  noNvidiaSmiMessage,
  parseDriverVersion,
  parseGpuCsv,
  parseGpuLine,
  parseNumericField,
  parseSmiVersions,
  QUERY_FIELDS,
} from '../../../main/telemetry/nvidia-smi-parser';

const H100 =
  '0, NVIDIA H100 80GB HBM3, GPU-5c1f0b5e-83a2-4c7e-9f1d-2b7a6e0c4d10, 97, 61234, 81559, 62, 587.41, 700.00, 1980, 2619, [N/A]';
const LAPTOP =
  '0, NVIDIA GeForce RTX 3050 Laptop GPU, GPU-8d0c6a43-1b7e-2f3a-9c55-6e1d0a2b3c4d, 0, 5, 4096, 45, [N/A], [N/A], 210, 405, 37';

describe('nvidia-smi query arguments', () => {
  it('asks for every field in the order the parser reads them, without header or units', () => {
    expect(buildGpuQueryArgs()).toEqual([
      '--query-gpu=index,name,uuid,utilization.gpu,memory.used,memory.total,temperature.gpu,power.draw,power.limit,clocks.sm,clocks.mem,fan.speed',
      '--format=csv,noheader,nounits',
    ]);
    expect(QUERY_FIELDS).toHaveLength(12);
  });

  it('adds -lms for a looping query', () => {
    expect(buildGpuQueryArgs(500).slice(-2)).toEqual(['-lms', '500']);
  });
});

describe('nvidia-smi GPU line', () => {
  it('reads every field of a real H100 line', () => {
    expect(parseGpuLine(H100)).toEqual({
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      uuid: 'GPU-5c1f0b5e-83a2-4c7e-9f1d-2b7a6e0c4d10',
      utilizationPct: 97,
      memoryUsedMb: 61234,
      memoryTotalMb: 81559,
      temperatureC: 62,
      powerDrawW: 587.41,
      powerLimitW: 700,
      smClockMhz: 1980,
      memClockMhz: 2619,
      fanPct: null,
    });
  });

  it('reads the fan speed of an actively cooled card (a passive data-centre card reports [N/A])', () => {
    expect(parseGpuLine(LAPTOP)?.fanPct).toBe(37);
    expect(parseGpuLine(H100)?.fanPct).toBeNull();
  });

  it('turns [N/A], N/A and [Not Supported] into null', () => {
    expect(parseGpuLine(LAPTOP)).toMatchObject({ powerDrawW: null, powerLimitW: null, smClockMhz: 210 });
    const old =
      '1, GeForce GTX 1050, GPU-aa, [Not Supported], 300, 2000, N/A, [Unknown Error], 75.00, 1354, 3504, 40';
    expect(parseGpuLine(old)).toMatchObject({
      index: 1,
      utilizationPct: null,
      temperatureC: null,
      powerDrawW: null,
      powerLimitW: 75,
    });
  });

  it('keeps a name that contains commas by counting fields from both ends', () => {
    const line =
      '2, ACME Accelerator, Rev. B, 16GB, GPU-1234, 5, 100, 16384, 40, 50.5, 250.00, 1500, 7000, 55';
    expect(parseGpuLine(line)).toMatchObject({
      index: 2,
      name: 'ACME Accelerator, Rev. B, 16GB',
      uuid: 'GPU-1234',
    });
  });

  it('accepts CRLF line endings and surrounding spaces', () => {
    expect(parseGpuLine(`  ${H100}\r`)?.memClockMhz).toBe(2619);
  });

  it('rejects lines that are not GPU lines', () => {
    for (const line of [
      '',
      'No devices were found',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      'index, name, uuid, utilization.gpu [%], memory.used [MiB], memory.total [MiB], temperature.gpu, power.draw [W], power.limit [W], clocks.sm [MHz], clocks.mem [MHz], fan.speed [%]',
      '0, NVIDIA H100 80GB HBM3, GPU-x, 1, 2',
      'x, NVIDIA H100 80GB HBM3, GPU-x, 1, 2, 3, 4, 5, 6, 7, 8, 9',
      '0, , GPU-x, 1, 2, 3, 4, 5, 6, 7, 8, 9',
      '0, NVIDIA H100, [N/A], 1, 2, 3, 4, 5, 6, 7, 8, 9',
    ]) {
      expect(parseGpuLine(line), line).toBeNull();
    }
  });

  it('reads numbers and treats anything else as unavailable', () => {
    expect(parseNumericField(' 69.36 ')).toBe(69.36);
    expect(parseNumericField('[N/A]')).toBeNull();
    expect(parseNumericField('N/A')).toBeNull();
    expect(parseNumericField('[Not Supported]')).toBeNull();
    expect(parseNumericField('lots')).toBeNull();
    expect(parseNumericField('')).toBeNull();
  });
});

describe('nvidia-smi CSV output', () => {
  it('reads every GPU of a multi-GPU query and counts the garbage it ignores', () => {
    const text = [
      H100,
      H100.replace(/^0, /, '1, ').replace('4d10', '4d11'),
      '',
      'WARNING: infoROM is corrupted at gpu 0000:1B:00.0',
      '2, NVIDIA H100 80GB HBM3, GPU-5c1f0b5e-83a2-4c7e-9f1d-2b7a6e0c4d12, [N/A], [N/A], 81559, [N/A], [N/A], [N/A], [N/A], [N/A], [N/A]',
      '',
    ].join('\n');
    const { gpus, ignored, ignoredLines } = parseGpuCsv(text);
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2]);
    expect(gpus[2]).toMatchObject({ memoryTotalMb: 81559, utilizationPct: null, memClockMhz: null });
    expect(ignored).toBe(1);
    expect(ignoredLines).toEqual(['WARNING: infoROM is corrupted at gpu 0000:1B:00.0']);
  });

  it('finds nothing in empty output', () => {
    expect(parseGpuCsv('')).toEqual({ gpus: [], ignored: 0, ignoredLines: [] });
  });
});

describe('driver and CUDA versions', () => {
  it('reads the driver version from --query-gpu=driver_version', () => {
    expect(parseDriverVersion('550.54.15\n550.54.15\n')).toBe('550.54.15');
    expect(parseDriverVersion('No devices were found\n')).toBeNull();
  });

  it('reads both versions from nvidia-smi -q', () => {
    const q = [
      '',
      '==============NVSMI LOG==============',
      '',
      'Timestamp                                 : Tue Nov 25 10:12:01 2025',
      'Driver Version                            : 550.54.15',
      'CUDA Version                              : 12.4',
      '',
      'Attached GPUs                             : 2',
    ].join('\n');
    expect(parseSmiVersions(q)).toEqual({ driverVersion: '550.54.15', cudaVersion: '12.4' });
  });

  it('reads both versions from the plain banner', () => {
    const banner =
      '| NVIDIA-SMI 570.86.15              Driver Version: 570.86.15      CUDA Version: 12.8     |';
    expect(parseSmiVersions(banner)).toEqual({ driverVersion: '570.86.15', cudaVersion: '12.8' });
  });

  it('gives nulls when the versions are missing', () => {
    expect(parseSmiVersions('No devices were found')).toEqual({ driverVersion: null, cudaVersion: null });
  });
});

describe('nvidia-smi failures', () => {
  it('explains a driver that does not answer as no GPU, in nvidia-smi’s own words', () => {
    const out =
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n";
    expect(describeNvidiaSmiFailure(out, 9, null)).toEqual({ state: 'no-gpu', message: out.trim() });
  });

  it('explains "No devices were found" as no GPU', () => {
    expect(describeNvidiaSmiFailure('No devices were found\n', 6, null)).toEqual({
      state: 'no-gpu',
      message: 'No devices were found',
    });
  });

  it('reports anything else as an error with the exit code and the last lines', () => {
    expect(
      describeNvidiaSmiFailure('Unable to determine the device handle for GPU0: Unknown Error\n', 255, null),
    ).toEqual({
      state: 'error',
      message:
        'nvidia-smi exited with code 255: Unable to determine the device handle for GPU0: Unknown Error',
    });
    expect(describeNvidiaSmiFailure('', null, 'SIGSEGV')).toEqual({
      state: 'error',
      message: 'nvidia-smi was killed by SIGSEGV.',
    });
  });

  it('says where nvidia-smi was looked for', () => {
    expect(noNvidiaSmiMessage('nvidia-smi')).toMatch(
      /^nvidia-smi not found on PATH: no NVIDIA driver is installed/,
    );
    expect(noNvidiaSmiMessage('/opt/x/nvidia-smi')).toMatch(/^nvidia-smi not found at \/opt\/x\/nvidia-smi:/);
  });
});
