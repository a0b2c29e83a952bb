import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import type { CostsReport } from '../../../../preload/contract';
import { formatMoney } from '../../format/format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** Spend per day (electricity + amortisation) as bars. */
export function CostChart({ buckets, currency }: { buckets: CostsReport['byDay']; currency: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const styles = getComputedStyle(document.documentElement);
    const accent = styles.getPropertyValue('--accent').trim() || '#2f5bd3';
    const muted = styles.getPropertyValue('--text-muted').trim() || '#5b6472';
    const grid = styles.getPropertyValue('--border').trim() || '#dde1e7';
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: [],
        datasets: [
          { label: 'Spend', data: [], backgroundColor: accent, borderRadius: 3, maxBarThickness: 48 },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          tooltip: { callbacks: { label: (ctx) => formatMoney(ctx.parsed.y, currency) } },
        },
        scales: {
          x: { ticks: { color: muted }, grid: { display: false } },
          y: {
            beginAtZero: true,
            ticks: { color: muted, callback: (v) => formatMoney(Number(v), currency) },
            grid: { color: grid },
          },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [currency]);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = buckets.map((b) => b.label);
    const dataset = c.data.datasets[0];
    if (dataset) dataset.data = buckets.map((b) => b.cost + b.amortisationCost);
    c.update();
  }, [buckets]);
  return (
    <div style={{ position: 'relative', height: 180 }}>
      <canvas
        ref={canvas}
        role="img"
        aria-label="Spend per day"
        data-testid="costs-chart"
        data-points={buckets.length}
      />
    </div>
  );
}
