/** Final and best values of a run's loss and eval loss, from its stored metric points. */
import type { MetricPoint } from '../../db/repositories/metrics-repository';
import type { ArtifactMetrics } from '../../preload/contract';

function lastValue(points: ReadonlyArray<MetricPoint>, upToStep: number): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (p && p.step <= upToStep && p.value !== null) return p.value;
  }
  return null;
}

function best(points: ReadonlyArray<MetricPoint>, upToStep: number): MetricPoint | null {
  let found: MetricPoint | null = null;
  for (const p of points) {
    if (p.step > upToStep || p.value === null || !Number.isFinite(p.value)) continue;
    if (found === null || (found.value !== null && p.value < found.value)) found = p;
  }
  return found;
}

/** Metrics of a run up to `upToStep` (a promoted checkpoint only knows what came before it). */
export function summariseRunMetrics(
  loss: ReadonlyArray<MetricPoint>,
  evalLoss: ReadonlyArray<MetricPoint>,
  upToStep = Number.POSITIVE_INFINITY,
): ArtifactMetrics {
  const bestEval = best(evalLoss, upToStep);
  return {
    finalLoss: lastValue(loss, upToStep),
    bestLoss: best(loss, upToStep)?.value ?? null,
    finalEvalLoss: lastValue(evalLoss, upToStep),
    bestEvalLoss: bestEval?.value ?? null,
    bestEvalStep: bestEval?.step ?? null,
  };
}
