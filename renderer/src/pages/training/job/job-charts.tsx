import { Download } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobDetail, MetricsQuery } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { Button } from '../../../components/button';
import {
  MetricChart,
  type MetricChartHandle,
  type XKind,
  type XRange,
} from '../../../components/chart/metric-chart';
import { isActive } from '../../../state/training-store';
import { downloadText } from './download';
import {
  type ChartSpec,
  chartSeriesOf,
  JOB_CHARTS,
  JobChartModel,
  supersededNote,
  toChartPoints,
} from './job-chart-model';
import { useJobChartStats } from './job-chart-stats';
import styles from './job-charts.module.css';

/** Points per series for a full view or a zoomed range (the core downsamples to this). */
const BUDGET = 2000;
/**
 * At most one live query per this interval. Pulls are triggered by `job.progress` (≤ 4 Hz per job)
 * and `telemetry.gpu` (1 Hz), so this only spaces the two apart; longer would add to the latency.
 */
const LIVE_EVERY_MS = 100;

/** The spec of a chart id. */
function specFor(chartId: string): ChartSpec {
  return JOB_CHARTS.find((c) => c.id === chartId)!;
}

/**
 * The job's charts: loss (train + eval), learning rate, grad norm, throughput and the GPU series.
 * Loaded downsampled from the core, grown live from `job.progress` / `telemetry.gpu` events by
 * appending to the chart instances (React does not re-render for a new point), re-queried at full
 * detail when a chart is zoomed.
 */
export function JobCharts({ job }: { job: Readonly<JobDetail> }) {
  const client = useClient();
  const { id } = job;
  const active = isActive(job.status);
  const [xAxis, setXAxis] = useState<'step' | 'time'>('step');
  const [smoothing, setSmoothing] = useState(0);
  const [visible, setVisible] = useState<ReadonlyArray<string>>(['loss']);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [resumeNote, setResumeNote] = useState<string | null>(null);
  /** Bumped to load the full range again (a live answer showed a resume). */
  const [loads, setLoads] = useState(0);
  const model = useRef(new JobChartModel());
  const handles = useRef(new Map<string, MetricChartHandle>());
  const xKind: XKind = xAxis === 'step' ? 'step' : 'elapsed';
  const view = useRef({ xKind, xAxis });
  view.current = { xKind, xAxis };
  const zoomed = useRef(new Map<string, XRange>());

  /** Fill one chart from the model (full range). */
  const fill = useCallback((spec: ChartSpec, handle: MetricChartHandle) => {
    const m = model.current;
    handle.replace(chartSeriesOf(spec, m.series.values(), view.current.xKind, m.startTs, m.stepAt()));
  }, []);

  const showCharts = useCallback(() => {
    const next = JOB_CHARTS.filter((spec) => spec.id === 'loss' || model.current.has(spec)).map((s) => s.id);
    setVisible((current) => (current.join() === next.join() ? current : next));
    setResumeNote(supersededNote(model.current.series.values()));
    useJobChartStats.setState({ jobId: id, stats: model.current.stats() });
  }, [id]);

  /**
   * Live pulls start after the first full load: before it the model is empty, and "everything
   * newer than nothing" would read a finished long run whole, along time, only to be replaced.
   */
  const loaded = useRef(false);
  const pullRef = useRef(() => {});

  // Full load, again when the axis changes (buckets are cut along it) or a resume re-runs steps.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `loads` only asks for a reload
  useEffect(() => {
    let cancelled = false;
    zoomed.current.clear();
    client.call('jobs.metrics', { id, xAxis, maxPoints: BUDGET }).then(
      (result) => {
        if (cancelled) return;
        model.current.load(result);
        loaded.current = true;
        for (const [chartId, handle] of handles.current) {
          handle.resetZoom();
          fill(specFor(chartId), handle);
        }
        showCharts();
        setError(null);
        // What was logged while the full range was read.
        pullRef.current();
      },
      (caught) => !cancelled && setError(toApiError(caught).message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, id, xAxis, fill, showCharts, loads]);

  // Live: ask for what is newer than the model holds, at most every LIVE_EVERY_MS, one at a time.
  const live = useRef({
    inFlight: false,
    pending: false,
    last: 0,
    timer: 0 as ReturnType<typeof setTimeout> | 0,
  });
  const pull = useCallback(() => {
    const state = live.current;
    if (!loaded.current) return;
    if (state.inFlight) {
      state.pending = true;
      return;
    }
    const wait = state.last + LIVE_EVERY_MS - performance.now();
    if (wait > 0) {
      if (!state.timer) {
        state.timer = setTimeout(() => {
          state.timer = 0;
          pull();
        }, wait);
      }
      return;
    }
    state.inFlight = true;
    state.last = performance.now();
    const m = model.current;
    const query: MetricsQuery = { id, xAxis: view.current.xAxis, fromTs: m.cursor(), maxPoints: 20_000 };
    client
      .call('jobs.metrics', query)
      .then((result) => {
        const grown = m.append(result);
        if (m.resumed) {
          m.resumed = false;
          setLoads((n) => n + 1);
          return;
        }
        if (grown.size === 0) return;
        const stepAt = m.stepAt();
        for (const [chartId, handle] of handles.current) {
          const spec = specFor(chartId);
          for (const [key, from] of grown) {
            const s = m.series.get(key)!;
            if (!spec.metrics.includes(s.metric)) continue;
            const [meta] = chartSeriesOf(
              spec,
              [{ ...s, step: [], ts: [], value: [] }],
              view.current.xKind,
              m.startTs,
              stepAt,
            );
            handle.append(meta!, toChartPoints(s, view.current.xKind, m.startTs, stepAt, from));
          }
        }
        showCharts();
      })
      .catch(() => {})
      .finally(() => {
        state.inFlight = false;
        if (state.pending) {
          state.pending = false;
          pull();
        }
      });
  }, [client, id, showCharts]);

  pullRef.current = pull;

  useEffect(() => {
    const offs = [
      client.on('job.progress', (event) => event.id === id && pull()),
      client.on('telemetry.gpu', () => active && pull()),
    ];
    return () => {
      for (const off of offs) off();
    };
  }, [client, id, active, pull]);

  // A scheduled pull is dropped only when the page goes (not when the subscriptions change).
  useEffect(
    () => () => {
      const state = live.current;
      if (state.timer) clearTimeout(state.timer);
      state.timer = 0;
    },
    [],
  );

  // The last points of a run that just ended.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on status change only
  useEffect(() => {
    if (!active) pull();
  }, [job.status]);

  /** A zoom or pan: full detail for the visible range; a reset: the model's full range. */
  const onRange = (spec: ChartSpec) => (range: XRange) => {
    const handle = handles.current.get(spec.id);
    if (handle === undefined) return;
    zoomed.current.set(spec.id, range);
    const m = model.current;
    if (range === null) {
      fill(spec, handle);
      return;
    }
    const query: MetricsQuery =
      view.current.xAxis === 'step'
        ? {
            id,
            xAxis: 'step',
            fromStep: Math.max(0, Math.floor(range.min)),
            toStep: Math.max(0, Math.ceil(range.max)),
          }
        : {
            id,
            xAxis: 'time',
            fromTs: Math.max(0, (m.startTs ?? 0) + Math.floor(range.min * 1000)),
            toTs: Math.max(0, (m.startTs ?? 0) + Math.ceil(range.max * 1000)),
          };
    // GPU series in a step range are limited to the time those steps took, found from the loss.
    const names = spec.gpu ? ['loss'] : [...spec.metrics];
    client.call('jobs.metrics', { ...query, names, gpu: spec.gpu, maxPoints: BUDGET }).then(
      (result) => {
        if (zoomed.current.get(spec.id) !== range) return;
        handle.replace(chartSeriesOf(spec, result.series, view.current.xKind, m.startTs, m.stepAt()));
      },
      (caught) => setError(toApiError(caught).message),
    );
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { csv } = await client.call('jobs.metricsCsv', { id });
      downloadText(`${job.name.replace(/[^\w.-]+/g, '_')}-metrics.csv`, csv, 'text/csv');
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setExporting(false);
    }
  };

  /** One stable ref callback per chart: a new one each render would refill the chart each render. */
  const refCallbacks = useRef(new Map<string, (handle: MetricChartHandle | null) => void>());
  const refFor = (spec: ChartSpec) => {
    let callback = refCallbacks.current.get(spec.id);
    if (callback === undefined) {
      callback = (handle) => {
        if (handle === null) {
          handles.current.delete(spec.id);
          return;
        }
        fill(spec, handle);
        handles.current.set(spec.id, handle);
      };
      refCallbacks.current.set(spec.id, callback);
    }
    return callback;
  };

  const renderChart = (spec: ChartSpec) => (
    <MetricChart
      key={spec.id}
      testId={`chart-${spec.id.replace('.', '-')}`}
      title={spec.title}
      unit={spec.unit}
      xKind={xKind}
      smoothing={spec.gpu ? 0 : smoothing}
      allowLog={spec.allowLog}
      startTs={model.current.startTs}
      onRangeChange={onRange(spec)}
      emptyText={active ? 'Waiting for the first logged step…' : 'No points were logged.'}
      ref={refFor(spec)}
    />
  );

  const gpuCharts = visible.filter((chartId) => specFor(chartId).gpu);
  return (
    <section className={styles.charts} aria-labelledby="job-charts-heading" data-testid="job-charts">
      <div className={styles.toolbar}>
        <h2 id="job-charts-heading" className={styles.heading}>
          Charts
        </h2>
        <fieldset className={styles.segmented} data-testid="chart-x-axis">
          <legend className="visually-hidden">X axis</legend>
          {(['step', 'time'] as const).map((axis) => (
            <label
              key={axis}
              className={xAxis === axis ? styles.segmentOn : styles.segment}
              data-testid={`chart-x-${axis}`}
            >
              <input
                type="radio"
                name="chart-x-axis"
                value={axis}
                checked={xAxis === axis}
                onChange={() => setXAxis(axis)}
              />
              {axis === 'step' ? 'Step' : 'Wall time'}
            </label>
          ))}
        </fieldset>
        <label className={styles.smoothing}>
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            onChange={(e) => setSmoothing(Number(e.target.value))}
            data-testid="chart-smoothing"
          />
          <output className={styles.smoothingValue}>{smoothing.toFixed(2)}</output>
        </label>
        <span className={styles.hint}>Drag to zoom · Shift+drag to pan · Ctrl+wheel to zoom</span>
        <Button onClick={() => void exportCsv()} disabled={exporting} data-testid="job-export-csv">
          <Download size={14} aria-hidden="true" /> CSV
        </Button>
      </div>
      {error !== null && (
        <p className={styles.error} role="alert">
          Charts could not be loaded: {error}
        </p>
      )}
      {resumeNote !== null && (
        <p className={styles.note} data-testid="job-charts-superseded">
          {resumeNote}
        </p>
      )}
      <div className={styles.grid}>
        {visible.filter((chartId) => !specFor(chartId).gpu).map((chartId) => renderChart(specFor(chartId)))}
      </div>
      {gpuCharts.length > 0 ? (
        <div className={styles.grid}>{gpuCharts.map((chartId) => renderChart(specFor(chartId)))}</div>
      ) : (
        <p className={styles.note} data-testid="job-charts-no-gpu">
          No GPU samples for this run: it ran on the CPU, or nvidia-smi was not available while it ran.
        </p>
      )}
    </section>
  );
}
