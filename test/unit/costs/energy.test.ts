import { describe, expect, it } from 'vitest';
import { cloudRateFor, priceRun, reachedThresholds } from '../../../main/costs/cost-rates';
import { integrateEnergy } from '../../../main/costs/energy';

describe('energy from power samples', () => {
  it('integrates each GPU with the trapezoid rule', () => {
    // 300 W → 500 W over 2 s and 500 W flat for 1 s: (400 × 2 + 500 × 1) W·s = 1300 J.
    const out = integrateEnergy([
      { gpuIndex: 0, ts: 0, powerDrawW: 300 },
      { gpuIndex: 0, ts: 2000, powerDrawW: 500 },
      { gpuIndex: 0, ts: 3000, powerDrawW: 500 },
      { gpuIndex: 1, ts: 0, powerDrawW: 100 },
      { gpuIndex: 1, ts: 3000, powerDrawW: 100 },
    ]);
    expect(out.perGpu[0]?.energyWh).toBeCloseTo(1300 / 3600, 12);
    expect(out.perGpu[1]?.energyWh).toBeCloseTo(300 / 3600, 12);
    expect(out.energyWh).toBeCloseTo(1600 / 3600, 12);
    expect(out.gpuHours).toBeCloseTo(6 / 3600, 12);
  });

  it('does not bridge a gap longer than the limit, nor a missing reading', () => {
    const out = integrateEnergy(
      [
        { gpuIndex: 0, ts: 0, powerDrawW: 400 },
        { gpuIndex: 0, ts: 1000, powerDrawW: 400 },
        { gpuIndex: 0, ts: 61_000, powerDrawW: 400 }, // app was down for a minute
        { gpuIndex: 0, ts: 62_000, powerDrawW: null },
        { gpuIndex: 0, ts: 63_000, powerDrawW: 400 },
      ],
      5000,
    );
    expect(out.energyWh).toBeCloseTo(400 / 3600, 12);
    expect(out.gpuHours).toBeCloseTo(1 / 3600, 12);
  });

  it('accepts samples in any order and is zero for fewer than two', () => {
    expect(integrateEnergy([]).energyWh).toBe(0);
    expect(integrateEnergy([{ gpuIndex: 0, ts: 5, powerDrawW: 300 }]).energyWh).toBe(0);
    const shuffled = integrateEnergy([
      { gpuIndex: 0, ts: 1000, powerDrawW: 200 },
      { gpuIndex: 0, ts: 0, powerDrawW: 200 },
    ]);
    expect(shuffled.energyWh).toBeCloseTo(200 / 3600, 12);
  });
});

describe('pricing', () => {
  it('prices energy, amortisation and the cloud equivalent of the matching GPU model', () => {
    const priced = priceRun(
      { energyWh: 2500, gpuHours: 4, gpuName: 'NVIDIA H100 80GB HBM3' },
      {
        pricePerKwh: 0.3,
        amortisationPerGpuHour: 0.5,
        cloudRates: { H100: 2.5, 'H100 80GB': 2.9, A100: 1.3 },
      },
    );
    expect(priced.cost).toBeCloseTo(0.75, 12);
    expect(priced.amortisationCost).toBeCloseTo(2, 12);
    expect(priced.cloudCost).toBeCloseTo(11.6, 12); // the longest matching name wins
  });

  it('has no cloud figure for an unknown GPU model', () => {
    expect(cloudRateFor('NVIDIA GeForce GTX 1080', { H100: 2.5 })).toBeNull();
    expect(cloudRateFor(null, { H100: 2.5 })).toBeNull();
  });

  it('reports the budget thresholds reached', () => {
    expect(reachedThresholds(79, 100)).toEqual([]);
    expect(reachedThresholds(80, 100)).toEqual([0.8]);
    expect(reachedThresholds(120, 100)).toEqual([0.8, 1]);
    expect(reachedThresholds(120, null)).toEqual([]);
  });
});
