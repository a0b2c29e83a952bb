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
