import { describe, expect, it } from 'vitest';
import type { JobDetail, MetricSeries, MetricsResult } from '../../../preload/contract';
import { emaSmooth } from '../../../renderer/src/components/chart/ema';
import { configDiff, parseCompareIds } from '../../../renderer/src/pages/training/compare/compare-model';
import {
  chartSeriesOf,
  JOB_CHARTS,
  JobChartModel,
  makeStepAt,
  supersededKey,
  supersededNote,
  toChartPoints,
} from '../../../renderer/src/pages/training/job/job-chart-model';

function series(
  metric: string,
  gpuIndex: number | null,
  rows: Array<[number | null, number, number | null]>,
): MetricSeries {
  return {
    metric,
    gpuIndex,
    unit: null,
    total: rows.length,
    downsampled: false,
    mean: rows.length ? rows.reduce((a, r) => a + (r[2] ?? 0), 0) / rows.length : null,
    step: rows.map((r) => r[0]),
    ts: rows.map((r) => r[1]),
    value: rows.map((r) => r[2]),
  };
}

const result = (s: MetricSeries[]): MetricsResult => ({ xAxis: 'step', startTs: 1000, series: s });

describe('job chart model', () => {
  it('appends only points newer than it holds, keeps the mean of every point and the figures', () => {
    const model = new JobChartModel();
    model.load(
      result([
        series('loss', null, [
          [1, 1000, 2],
          [2, 2000, 1.5],
        ]),
        series('tokens_per_s', null, [
          [1, 1000, 100],
          [2, 2000, 300],
        ]),
        series('gpu.memory', 0, [[null, 1500, 40]]),
      ]),
    );
    expect(model.cursor()).toBe(1501);
    const grown = model.append(
      result([
        series('loss', null, [
          [2, 2000, 1.5],
          [3, 3000, 1.2],
        ]),
        series('tokens_per_s', null, [[3, 3000, 200]]),
        series('eval_loss', null, [[3, 3000, 1.4]]),
        series('gpu.memory', 0, [
          [null, 1500, 40],
          [null, 2500, 61.5],
        ]),
      ]),
    );
    expect([...grown.entries()]).toEqual([
      ['loss', 2],
      ['tokens_per_s', 2],
      ['eval_loss', 0],
      ['gpu.memory#0', 1],
    ]);
    expect(model.series.get('loss')!.step).toEqual([1, 2, 3]);
    expect(model.stats()).toEqual({
      currentTokensPerS: 200,
      meanTokensPerS: 200,
      peakGpuMemoryGib: 61.5,
      bestEval: { value: 1.4, step: 3 },
    });
  });

  it('draws a resumed run’s superseded points as a faded dashed line and says which steps were re-run', () => {
    const loss = {
      ...series('loss', null, [
        [1, 1000, 3],
        [2, 2000, 2.5],
        [3, 9000, 2.4],
      ]),
      superseded: {
        total: 2,
        fromStep: 3,
        toStep: 4,
        attempts: [1],
        step: [3, 4],
        ts: [3000, 4000],
        value: [2, 1.9],
      },
    };
    const spec = JOB_CHARTS.find((c) => c.id === 'loss')!;
    const lines = chartSeriesOf(spec, [loss], 'step', 1000, () => null);
    expect(lines.map((l) => l.key)).toEqual(['loss', supersededKey('loss')]);
    expect(lines[1]!.dash).toEqual([4, 3]);
    expect(lines[1]!.color).toBe(`${lines[0]!.color}66`);
    expect(lines[1]!.points.map((p) => [p.x, p.y])).toEqual([
      [3, 2],
      [4, 1.9],
    ]);
    expect(supersededNote([loss])).toBe(
      'Resumed run: steps 3–4 of attempt 1 were run again after the resume. The current curve shows the latest attempt; the earlier points (2 on the loss) are kept, drawn faded and dashed.',
    );
    expect(supersededNote([series('loss', null, [[1, 1000, 3]])])).toBeNull();
  });

  it('asks for a full reload when a live answer re-runs steps it holds (a resume)', () => {
    const model = new JobChartModel();
    model.load(
      result([
        series('loss', null, [
          [1, 1000, 3],
          [2, 2000, 2.5],
          [3, 3000, 2.4],
        ]),
      ]),
    );
    model.append(result([series('loss', null, [[4, 4000, 2.3]])]));
    expect(model.resumed).toBe(false);
    model.append(result([series('loss', null, [[3, 9000, 2.2]])]));
    expect(model.resumed).toBe(true);
    expect(model.series.get('loss')!.step).toEqual([1, 2, 3, 4]);
    model.load(result([series('loss', null, [[3, 9000, 2.2]])]));
    expect(model.resumed).toBe(false);
  });

  it('puts GPU samples on the step axis by interpolating the loss series’ times', () => {
    const stepAt = makeStepAt([10, 20], [1000, 2000]);
    expect(stepAt(1500)).toBe(15);
    expect(stepAt(999)).toBeNull();
    const gpu = series('gpu.utilization', 0, [
      [null, 1250, 90],
      [null, 5000, 80],
    ]);
    expect(toChartPoints(gpu, 'step', 1000, stepAt)).toEqual([{ x: 12.5, y: 90, step: null, ts: 1250 }]);
    expect(toChartPoints(gpu, 'elapsed', 1000, stepAt).map((p) => p.x)).toEqual([0.25, 4]);
  });

  it('smooths with a debiased EMA and leaves gaps as gaps', () => {
    const points = [3, 1, null, 1].map((y, i) => ({ x: i, y, step: i, ts: i }));
    const smooth = emaSmooth(points, 0.5).map((p) => p.y);
    expect(smooth[0]).toBe(3);
    expect(smooth[1]).toBeCloseTo((0.5 * 1.5 + 0.5) / 0.75, 12);
    expect(smooth[2]).toBeNull();
  });
});

describe('run comparison', () => {
  const job = (id: string, config: Record<string, unknown>, gpuIndices: number[]) =>
    ({ id, config, gpuIndices }) as unknown as JobDetail;

  it('lists only the keys whose values differ', () => {
    const rows = configDiff([
      job('a', { lora_r: 8, learning_rate: 2e-4, lora_target_modules: 'all-linear' }, [0]),
      job('b', { lora_r: 32, learning_rate: 2e-4, lora_target_modules: ['q_proj'] }, [0]),
    ]);
    expect(rows).toEqual([
      { key: 'lora_r', values: ['8', '32'] },
      { key: 'lora_target_modules', values: ['all-linear', '["q_proj"]'] },
    ]);
  });

  it('takes 2 to 8 distinct ids', () => {
    expect(parseCompareIds('a,b,a')).toEqual({ ids: ['a', 'b'] });
    expect(parseCompareIds('a')).toMatchObject({ problem: expect.stringContaining('at least two') });
    expect(parseCompareIds('1,2,3,4,5,6,7,8,9')).toMatchObject({
      problem: expect.stringContaining('At most 8'),
    });
  });
});
