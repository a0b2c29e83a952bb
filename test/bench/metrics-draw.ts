/**
 * Drawing half of the metrics benchmark, in Chromium: a loss series of N points drawn by chart.js
 * configured as the app's MetricChart draws (no parsing, LTTB decimation, no animation), redrawn on
 * a zoom to the middle tenth, and the same data drawn by uPlot (the peer, only here) in the same page.
 */
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';

const MODULES = resolve(import.meta.dirname, '..', '..', 'node_modules');

/** Runs in the page: returns first-draw and zoom-redraw times of chart.js and uPlot's first draw. */
const PAGE_SCRIPT = `async (n) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const points = new Array(n);
  for (let i = 0; i < n; i++) {
    const y = 1 + 2 * Math.exp(-i / (n / 5)) + ((i * 2654435761) % 1000) / 10000;
    xs[i] = i + 1;
    ys[i] = y;
    points[i] = { x: i + 1, y, step: i + 1, ts: i * 100 };
  }
  const box = (id) => {
    const div = document.createElement('div');
    div.id = id;
    div.style.cssText = 'width:900px;height:300px;position:relative';
    document.body.append(div);
    return div;
  };
  const canvas = document.createElement('canvas');
  box('chartjs').append(canvas);
  await frame();
  let t = performance.now();
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [{ label: 'loss', data: points, borderWidth: 1.5, pointRadius: 0, borderColor: '#2f6fde' }] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: { x: { type: 'linear' }, y: { type: 'linear' } },
      plugins: { decimation: { enabled: true, algorithm: 'lttb', samples: 1000 }, legend: { display: false } },
    },
  });
  await frame();
  const drawMs = performance.now() - t;
  t = performance.now();
  chart.options.scales.x.min = n * 0.45;
  chart.options.scales.x.max = n * 0.55;
  chart.update('none');
  await frame();
  const zoomMs = performance.now() - t;

  const el = box('uplot');
  await frame();
  t = performance.now();
  new uPlot({ width: 900, height: 300, series: [{}, { stroke: '#2f6fde', width: 1.5 }], scales: { x: { time: false } } }, [xs, ys], el);
  await frame();
  const uplotDrawMs = performance.now() - t;
  return { drawMs, zoomMs, uplotDrawMs };
}`;

/** Draw N points with both libraries in one fresh page. */
export async function benchDraw(
  browser: Browser,
  n: number,
): Promise<{ drawMs: number; zoomMs: number; uplotDrawMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  try {
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: resolve(MODULES, 'chart.js/dist/chart.umd.min.js') });
    await page.addScriptTag({ path: resolve(MODULES, 'uplot/dist/uPlot.iife.min.js') });
    await page.addStyleTag({ path: resolve(MODULES, 'uplot/dist/uPlot.min.css') });
    const result = (await page.evaluate(`(${PAGE_SCRIPT})(${Math.floor(n)})`)) as {
      drawMs: number;
      zoomMs: number;
      uplotDrawMs: number;
    };
    return {
      drawMs: Math.round(result.drawMs),
      zoomMs: Math.round(result.zoomMs),
      uplotDrawMs: Math.round(result.uplotDrawMs),
    };
  } finally {
    await page.close();
  }
}
