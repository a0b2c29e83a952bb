/**
 * Registers the parts of chart.js the app uses, once: line charts on linear/log axes, tooltips,
 * legend, LTTB decimation and chartjs-plugin-zoom. Everything else about charts lives in MetricChart.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

let registered = false;

/** Call before creating a chart. */
export function registerCharts(): typeof Chart {
  if (!registered) {
    Chart.register(
      LineController,
      LineElement,
      PointElement,
      LinearScale,
      LogarithmicScale,
      Tooltip,
      Legend,
      Decimation,
      zoomPlugin,
    );
    registered = true;
  }
  return Chart;
}

/** One colour per series or run, distinguishable in light and dark themes (Okabe–Ito based). */
export const SERIES_COLORS = [
  '#2f6fde',
  '#e0702b',
  '#1b9e77',
  '#c2417d',
  '#8d6bd8',
  '#b8a21b',
  '#3fa7c9',
  '#7a7f88',
] as const;

/** The colour of the i-th series. */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}
