import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { JobDetail, MetricsResult } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { seriesColor } from '../../../components/chart/chart-colors';
import {
  type ChartSeries,
  MetricChart,
  type MetricChartHandle,
  type XRange,
} from '../../../components/chart/metric-chart';
import { PageHeader } from '../../../components/page-header';
import { formatGib, formatLoss, formatSteps, formatTokensPerSecond } from '../../../format/format';
import { makeStepAt, seriesLabel, toChartPoints } from '../job/job-chart-model';
import { configDiff, parseCompareIds, runFigures } from './compare-model';
import styles from './compare-page.module.css';

interface Run {
  readonly job: JobDetail;
  readonly metrics: MetricsResult;
  /** "alpaca v3", or the version id when its dataset is gone. */
  readonly dataset: string;
}

/** The metric a chart series stands for: a metric name, or a GPU field of one GPU (`gpu.memory#0`). */
function metricOptions(runs: ReadonlyArray<Run>): string[] {
  const keys = new Set<string>();
  for (const run of runs) {
    for (const s of run.metrics.series)
      keys.add(s.gpuIndex === null ? s.metric : `${s.metric}#${s.gpuIndex}`);
  }
  const order = ['loss', 'eval_loss', 'learning_rate', 'grad_norm', 'tokens_per_s'];
  return [...keys].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
  });
}

function optionLabel(key: string): string {
  const [metric, gpu] = key.split('#');
  const label = gpu === undefined ? seriesLabel(metric!, null) : `${metric} (GPU ${gpu})`;
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The overlay: one series per run for the chosen metric. */
function overlay(
  runs: ReadonlyArray<Run>,
  key: string,
  xAxis: 'step' | 'time',
  only?: Map<string, MetricsResult>,
) {
  const [metric, gpu] = key.split('#');
  const gpuIndex = gpu === undefined ? null : Number(gpu);
  return runs.map((run, i): ChartSeries => {
    const metrics = only?.get(run.job.id) ?? run.metrics;
    const s = metrics.series.find((x) => x.metric === metric && x.gpuIndex === gpuIndex);
    const loss = run.metrics.series.find((x) => x.metric === 'loss');
    const stepAt = loss ? makeStepAt(loss.step, loss.ts) : () => null;
    return {
      key: run.job.id,
      label: run.job.name,
      color: seriesColor(i),
      showPoints: metric === 'eval_loss',
      dash: i % 2 === 1 ? [6, 4] : undefined,
      points: s ? toChartPoints(s, xAxis === 'step' ? 'step' : 'elapsed', run.metrics.startTs, stepAt) : [],
    };
  });
}

/** `/training/compare?ids=…`: 2–8 runs overlaid, their figures side by side, and what differs in their configs. */
export function ComparePage() {
  const client = useClient();
  const [params] = useSearchParams();
  const parsed = parseCompareIds(params.get('ids'));
  const idsKey = 'ids' in parsed ? parsed.ids.join(',') : '';
  const [runs, setRuns] = useState<ReadonlyArray<Run> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [metric, setMetric] = useState('loss');
  const [xAxis, setXAxis] = useState<'step' | 'time'>('step');
  const chart = useRef<MetricChartHandle | null>(null);

  useEffect(() => {
    if (idsKey === '') return;
    let cancelled = false;
    const ids = idsKey.split(',');
    (async () => {
      const datasets = await client.call('datasets.list', {}).catch(() => []);
      const versionNames = new Map<string, string>();
      const jobs = await Promise.all(ids.map((id) => client.call('jobs.get', { id })));
      const wanted = new Set(jobs.map((j) => j.datasetVersionId).filter((v): v is string => v !== null));
      for (const dataset of datasets) {
        if ([...wanted].every((v) => versionNames.has(v))) break;
        const detail = await client.call('datasets.get', { id: dataset.id }).catch(() => null);
        for (const v of detail?.versionList ?? []) versionNames.set(v.id, `${dataset.name} v${v.version}`);
      }
      const metrics = await Promise.all(
        ids.map((id) => client.call('jobs.metrics', { id, xAxis, maxPoints: 2000 })),
      );
      if (cancelled) return;
      // Oldest first, so colours follow the order the runs were made in.
      const loaded = jobs.map((job, i) => ({
        job,
        metrics: metrics[i]!,
        dataset:
          job.datasetVersionId === null
            ? '–'
            : (versionNames.get(job.datasetVersionId) ?? job.datasetVersionId),
      }));
      setRuns(loaded.sort((a, b) => a.job.createdAt - b.job.createdAt));
      setError(null);
    })().catch((caught) => !cancelled && setError(toApiError(caught).message));
    return () => {
      cancelled = true;
    };
  }, [client, idsKey, xAxis]);

  const options = useMemo(() => (runs ? metricOptions(runs) : []), [runs]);
  useEffect(() => {
    if (runs !== null) chart.current?.replace(overlay(runs, metric, xAxis));
  }, [runs, metric, xAxis]);

  /** Zoom: every run's points in the visible range, at full detail. */
  const onRange = (range: XRange) => {
    if (runs === null) return;
    if (range === null) {
      chart.current?.replace(overlay(runs, metric, xAxis));
      return;
    }
    const [name, gpu] = metric.split('#');
    Promise.all(
      runs.map((run) => {
        const start = run.metrics.startTs ?? 0;
        const range_ =
          xAxis === 'step'
            ? { fromStep: Math.max(0, Math.floor(range.min)), toStep: Math.max(0, Math.ceil(range.max)) }
            : { fromTs: Math.max(0, start + range.min * 1000), toTs: Math.max(0, start + range.max * 1000) };
        return client.call('jobs.metrics', {
          id: run.job.id,
          xAxis,
          names: gpu === undefined ? [name!] : ['loss'],
          gpu: gpu !== undefined,
          maxPoints: 2000,
          ...range_,
        });
      }),
    ).then(
      (answers) =>
        chart.current?.replace(
          overlay(runs, metric, xAxis, new Map(runs.map((r, i) => [r.job.id, answers[i]!]))),
        ),
      (caught) => setError(toApiError(caught).message),
    );
  };

  if ('problem' in parsed) {
    return (
      <div data-testid="page-compare">
        <PageHeader title="Compare runs" description={<Link to="/training">Training</Link>} />
        <p className={styles.muted} data-testid="compare-problem">
          {parsed.problem}
        </p>
      </div>
    );
  }

  const diff = runs ? configDiff(runs.map((r) => r.job)) : [];
  return (
    <div data-testid="page-compare" data-runs={runs?.length ?? 0}>
      <PageHeader
        title="Compare runs"
        description={
          <span>
            <Link to="/training">Training</Link> · {parsed.ids.length} runs
          </span>
        }
      />
      {error !== null && (
        <p className={styles.error} role="alert">
          The runs could not be loaded: {error}
        </p>
      )}
      <div className={styles.toolbar}>
        <label className={styles.field}>
          Metric
          <select value={metric} onChange={(e) => setMetric(e.target.value)} data-testid="compare-metric">
            {(options.length > 0 ? options : ['loss']).map((key) => (
              <option key={key} value={key}>
                {optionLabel(key)}
              </option>
            ))}
          </select>
        </label>
        <label className={styles.field}>
          X axis
          <select
            value={xAxis}
            onChange={(e) => setXAxis(e.target.value as 'step' | 'time')}
            data-testid="compare-x"
          >
            <option value="step">Step</option>
            <option value="time">Wall time</option>
          </select>
        </label>
      </div>
      <MetricChart
        testId="compare-chart"
        title={optionLabel(metric)}
        xKind={xAxis === 'step' ? 'step' : 'elapsed'}
        allowLog
        height={320}
        onRangeChange={onRange}
        ref={chart}
        emptyText={runs === null ? 'Loading…' : 'None of these runs logged this metric.'}
      />
      <section className={styles.section} aria-labelledby="compare-figures-heading">
        <h2 id="compare-figures-heading" className={styles.heading}>
          Final and best
        </h2>
        <table className={styles.table} data-testid="compare-figures">
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Dataset version</th>
              <th scope="col" className={styles.num}>
                Steps
              </th>
              <th scope="col" className={styles.num}>
                Final loss
              </th>
              <th scope="col" className={styles.num}>
                Best eval loss
              </th>
              <th scope="col" className={styles.num}>
                Final eval loss
              </th>
              <th scope="col" className={styles.num}>
                Mean throughput
              </th>
              <th scope="col" className={styles.num}>
                Peak GPU memory
              </th>
            </tr>
          </thead>
          <tbody>
            {(runs ?? []).map((run, i) => {
              const f = runFigures(run.job, run.metrics);
              return (
                <tr key={run.job.id} data-testid="compare-run" data-job-id={run.job.id}>
                  <td>
                    <span
                      className={styles.swatch}
                      style={{ background: seriesColor(i) }}
                      aria-hidden="true"
                    />
                    <Link to={`/training/jobs/${run.job.id}`}>{run.job.name}</Link>
                  </td>
                  <td data-testid="compare-dataset">{run.dataset}</td>
                  <td className={styles.num}>{formatSteps(f.steps, run.job.maxSteps)}</td>
                  <td className={styles.num} data-testid="compare-final-loss">
                    {formatLoss(f.finalLoss)}
                  </td>
                  <td className={styles.num} data-testid="compare-best-eval">
                    {f.bestEval ? `${formatLoss(f.bestEval.value)} @ ${f.bestEval.step ?? '–'}` : '–'}
                  </td>
                  <td className={styles.num}>{formatLoss(f.finalEval)}</td>
                  <td className={styles.num}>{formatTokensPerSecond(f.meanTokensPerS)}</td>
                  <td className={styles.num}>{formatGib(f.peakGpuMemoryGib)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <section className={styles.section} aria-labelledby="compare-diff-heading">
        <h2 id="compare-diff-heading" className={styles.heading}>
          Config differences
        </h2>
        {runs !== null && diff.length === 0 ? (
          <p className={styles.muted} data-testid="compare-diff-none">
            These runs used the same settings.
          </p>
        ) : (
          <table className={styles.table} data-testid="compare-diff">
            <thead>
              <tr>
                <th scope="col">Setting</th>
                {(runs ?? []).map((run) => (
                  <th key={run.job.id} scope="col">
                    {run.job.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {diff.map((row) => (
                <tr key={row.key} data-testid="compare-diff-row" data-key={row.key}>
                  <th scope="row" className={styles.key}>
                    {row.key}
                  </th>
                  {row.values.map((value, i) => (
                    <td key={runs![i]!.job.id} className={styles.mono}>
                      {value}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
