/**
 * The app's one chart: a chart.js line chart of metric series with LTTB decimation, drag/ctrl-wheel
 * zoom and shift-drag pan (chartjs-plugin-zoom), EMA smoothing, a log-scale toggle, a hover read-out
 * (step, value, time) and PNG export. Data goes in through the imperative handle (`replace`,
 * `append`), never through React state, so live points redraw the canvas and nothing else.
 */
import type { Chart, ChartDataset, Plugin, TooltipItem } from 'chart.js';
import { type Ref, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { formatElapsedClock, formatMetric, formatTimeOfDay } from '../../format/format';
import { registerCharts } from './chart-setup';
import type { ChartPoint, ChartSeries, XKind, XRange } from './chart-types';
import { emaSmooth } from './ema';
import styles from './metric-chart.module.css';

export type { ChartPoint, ChartSeries, XKind, XRange } from './chart-types';

/** Drives a chart from outside React. */
export interface MetricChartHandle {
  /** Replace every series (a new query's answer). */
  replace(series: ReadonlyArray<ChartSeries>): void;
  /** Add points at the end of a series (created when new), then redraw. */
  append(series: Omit<ChartSeries, 'points'>, points: ReadonlyArray<ChartPoint>): void;
  /** The chart as a PNG data URL. */
  toPng(): string | null;
  /** Points drawn per series key (before decimation), for tests and read-outs. */
  counts(): Record<string, number>;
  resetZoom(): void;
}

export interface MetricChartProps {
  readonly testId: string;
  readonly title: string;
  readonly unit?: string | null;
  readonly xKind: XKind;
  /** 0 (raw) … 0.99: EMA weight; the raw line stays faint behind the smoothed one. */
  readonly smoothing?: number;
  /** Offer the log-scale toggle (loss, learning rate). */
  readonly allowLog?: boolean;
  readonly height?: number;
  /** Called after the person zooms or pans (ask the core for detail), or resets. */
  readonly onRangeChange?: (range: XRange) => void;
  readonly ref?: Ref<MetricChartHandle>;
  /** Shown over an empty chart. */
  readonly emptyText?: string;
  /** When the run started (ms), for the read-out's elapsed time. */
  readonly startTs?: number | null;
}

type Dataset = ChartDataset<'line', ChartPoint[]> & { seriesKey: string; raw: boolean };

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Fills the canvas with the card colour first, so an exported PNG is not transparent. */
const background: Plugin<'line'> = {
  id: 'studioBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = cssVar('--surface', '#ffffff');
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

function fade(color: string): string {
  return `${color}55`;
}

/** The read-out for one hovered point: "step 1,234 · 14:03:05 (+1:02:03) · loss 1.234". */
export function readout(
  point: ChartPoint,
  label: string,
  unit: string | null | undefined,
  startTs: number | null,
) {
  const parts = [
    point.step !== null ? `step ${point.step.toLocaleString()}` : null,
    `${formatTimeOfDay(point.ts)}${startTs !== null ? ` (+${formatElapsedClock((point.ts - startTs) / 1000)})` : ''}`,
    `${label} ${formatMetric(point.y)}${unit ? ` ${unit}` : ''}`,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}

/** A titled line chart card; see the module comment. */
export function MetricChart(props: MetricChartProps) {
  const {
    testId,
    title,
    unit,
    xKind,
    smoothing = 0,
    allowLog = false,
    height = 220,
    onRangeChange,
    ref,
  } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const readoutRef = useRef<HTMLSpanElement>(null);
  const chartRef = useRef<Chart<'line', ChartPoint[]> | null>(null);
  const seriesRef = useRef(new Map<string, { meta: Omit<ChartSeries, 'points'>; points: ChartPoint[] }>());
  const startTs = props.startTs ?? null;
  const optionsRef = useRef({ smoothing, xKind, unit, onRangeChange, startTs });
  optionsRef.current = { smoothing, xKind, unit, onRangeChange, startTs };
  const [logScale, setLogScale] = useState(false);
  const [zoomed, setZoomed] = useState(false);
  const [empty, setEmpty] = useState(true);

  /** Rebuild the datasets from the series (raw + smoothed) and redraw. */
  const rebuild = () => {
    const chart = chartRef.current;
    if (chart === null) return;
    const weight = optionsRef.current.smoothing;
    const datasets: Dataset[] = [];
    for (const [key, { meta, points }] of seriesRef.current) {
      const smooth = weight > 0 && !meta.showPoints;
      datasets.push({
        seriesKey: key,
        raw: true,
        label: meta.label,
        data: points,
        borderColor: smooth ? fade(meta.color) : meta.color,
        backgroundColor: meta.color,
        borderWidth: smooth ? 1 : 1.5,
        pointRadius: meta.showPoints ? 2.5 : 0,
        pointHoverRadius: 3,
        borderDash: meta.dash ? [...meta.dash] : [],
        parsing: false,
        normalized: true,
        spanGaps: false,
      } as Dataset);
      if (smooth) {
        datasets.push({
          seriesKey: key,
          raw: false,
          label: `${meta.label} (smoothed)`,
          data: emaSmooth(points, weight),
          borderColor: meta.color,
          backgroundColor: meta.color,
          borderWidth: 2,
          pointRadius: 0,
          borderDash: meta.dash ? [...meta.dash] : [],
          parsing: false,
          normalized: true,
        } as Dataset);
      }
    }
    chart.data.datasets = datasets;
    // One line needs no legend: the card's title names it.
    chart.options.plugins!.legend!.display = seriesRef.current.size > 1;
    chart.update('none');
    const anyPoints = [...seriesRef.current.values()].some((s) => s.points.length > 0);
    setEmpty(!anyPoints);
    // For tests and the read-out: what is drawn, without reading pixels.
    canvasRef.current?.setAttribute('data-points', String(countPoints()));
    canvasRef.current?.setAttribute('data-datasets', String(datasets.length));
    canvasRef.current?.setAttribute('data-x-kind', optionsRef.current.xKind);
  };

  const countPoints = () => {
    let n = 0;
    for (const s of seriesRef.current.values()) n += s.points.length;
    return n;
  };

  // The chart instance lives as long as the component.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once; options are read through refs
  useEffect(() => {
    const ChartJs = registerCharts();
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const text = cssVar('--text-muted', '#5b6472');
    const grid = cssVar('--border', '#dde1e7');
    const rangeChanged = ({ chart }: { chart: Chart }) => {
      const { min, max } = chart.scales.x!;
      setZoomed(true);
      optionsRef.current.onRangeChange?.({ min, max });
    };
    const chart = new ChartJs<'line', ChartPoint[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [background],
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'linear',
            ticks: {
              color: text,
              maxRotation: 0,
              autoSkipPadding: 16,
              callback: (value) =>
                optionsRef.current.xKind === 'step'
                  ? Number(value).toLocaleString()
                  : formatElapsedClock(Number(value)),
            },
            grid: { color: grid },
            title: {
              display: true,
              text: xKind === 'step' ? 'step' : 'wall time since start',
              color: text,
            },
          },
          y: {
            type: 'linear',
            ticks: { color: text, callback: (value) => formatMetric(Number(value)) },
            grid: { color: grid },
            // A flat series (grad norm clipped at 0.5, a steady 5,000 tok/s) would otherwise be
            // scaled to its float noise and drawn as a jagged line.
            afterDataLimits: (scale) => {
              if (scale.type !== 'linear') return;
              const magnitude = Math.max(Math.abs(scale.min), Math.abs(scale.max), 1e-12);
              if (scale.max - scale.min < magnitude * 1e-6) {
                const mid = (scale.max + scale.min) / 2;
                scale.min = mid - magnitude * 0.05;
                scale.max = mid + magnitude * 0.05;
              }
            },
          },
        },
        plugins: {
          legend: {
            labels: {
              color: text,
              boxWidth: 12,
              boxHeight: 2,
              filter: (item, data) => (data.datasets[item.datasetIndex!] as Dataset).raw,
            },
          },
          decimation: { enabled: true, algorithm: 'lttb', samples: 1000 },
          tooltip: {
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => {
                const p = items[0]?.raw as ChartPoint | undefined;
                if (p === undefined) return '';
                const when = formatTimeOfDay(p.ts);
                return p.step !== null ? `step ${p.step.toLocaleString()} · ${when}` : when;
              },
              label: (item: TooltipItem<'line'>) => {
                const p = item.raw as ChartPoint;
                const u = optionsRef.current.unit;
                return `${item.dataset.label}: ${formatMetric(p.y)}${u ? ` ${u}` : ''}`;
              },
            },
          },
          zoom: {
            zoom: {
              wheel: { enabled: true, modifierKey: 'ctrl' },
              drag: { enabled: true, backgroundColor: 'rgba(47, 91, 211, 0.12)' },
              mode: 'x',
              onZoomComplete: rangeChanged,
            },
            pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: rangeChanged },
          },
        },
        onHover: (_event, elements, chart) => {
          const node = readoutRef.current;
          const element = elements[0];
          if (node === null || element === undefined) return;
          const dataset = chart.data.datasets[element.datasetIndex] as Dataset;
          const point = dataset.data[element.index];
          if (point === undefined) return;
          node.textContent = readout(
            point,
            dataset.label ?? '',
            optionsRef.current.unit,
            optionsRef.current.startTs,
          );
        },
      },
    });
    chartRef.current = chart;
    rebuild();
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  // Axis kind, smoothing and log scale change the drawing, not the data.
  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuild reads refs
  useEffect(() => {
    const chart = chartRef.current;
    if (chart === null) return;
    const x = chart.options.scales!.x!;
    if (x.title) x.title.text = xKind === 'step' ? 'step' : 'wall time since start';
    chart.options.scales!.y!.type = logScale ? 'logarithmic' : 'linear';
    rebuild();
  }, [xKind, smoothing, logScale]);

  useImperativeHandle(
    ref,
    (): MetricChartHandle => ({
      replace(series) {
        seriesRef.current = new Map(
          series.map(({ points, ...meta }) => [meta.key, { meta, points: points.slice() }]),
        );
        rebuild();
      },
      append(meta, points) {
        if (points.length === 0) return;
        const existing = seriesRef.current.get(meta.key);
        if (existing === undefined) seriesRef.current.set(meta.key, { meta, points: points.slice() });
        else for (const p of points) existing.points.push(p);
        rebuild();
      },
      toPng: () => chartRef.current?.toBase64Image('image/png', 1) ?? null,
      counts: () => Object.fromEntries([...seriesRef.current].map(([k, s]) => [k, s.points.length])),
      resetZoom() {
        chartRef.current?.resetZoom('none');
        setZoomed(false);
      },
    }),
  );

  const downloadPng = () => {
    const url = chartRef.current?.toBase64Image('image/png', 1);
    if (!url) return;
    const a = document.createElement('a');
    a.href = url;
    a.download = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.png`;
    a.click();
  };

  return (
    <section className={styles.card} data-testid={testId} aria-label={title}>
      <header className={styles.head}>
        <h3 className={styles.title}>
          {title}
          {unit ? <span className={styles.unit}> ({unit})</span> : null}
        </h3>
        <span className={styles.readout} ref={readoutRef} data-testid={`${testId}-readout`} aria-live="off" />
        <span className={styles.tools}>
          {allowLog && (
            <label className={styles.toggle}>
              <input
                type="checkbox"
                checked={logScale}
                onChange={(e) => setLogScale(e.target.checked)}
                data-testid={`${testId}-log`}
              />
              log
            </label>
          )}
          {zoomed && (
            <button
              type="button"
              className={styles.tool}
              data-testid={`${testId}-reset`}
              onClick={() => {
                chartRef.current?.resetZoom('none');
                setZoomed(false);
                optionsRef.current.onRangeChange?.(null);
              }}
            >
              Reset zoom
            </button>
          )}
          <button type="button" className={styles.tool} onClick={downloadPng} data-testid={`${testId}-png`}>
            PNG
          </button>
        </span>
      </header>
      <div className={styles.canvasBox} style={{ height }}>
        <canvas ref={canvasRef} data-testid={`${testId}-canvas`} data-zoomed={zoomed ? 'true' : 'false'} />
        {empty && <p className={styles.empty}>{props.emptyText ?? 'No points yet.'}</p>}
      </div>
    </section>
  );
}
