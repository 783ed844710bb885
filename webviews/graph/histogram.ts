import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import type { WeightStats } from '../../src/protocol/graphPayload';
import type { Palette } from './palette';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

/** Histogram of one initializer's values, drawn with chart.js on a canvas. */
export function drawHistogram(canvas: HTMLCanvasElement, stats: WeightStats, palette: Palette): Chart {
  const { min, max, counts } = stats.histogram;
  const width = counts.length > 0 ? (max - min) / counts.length : 0;
  const labels = counts.map((_, i) => (min + (i + 0.5) * width).toPrecision(3));
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ data: counts, backgroundColor: palette.ramp[0], borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }] },
    options: {
      animation: false,
      responsive: false,
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: {
        x: { ticks: { color: palette.muted, maxTicksLimit: 6, font: { size: 10 } }, grid: { display: false } },
        y: { ticks: { color: palette.muted, maxTicksLimit: 4, font: { size: 10 } }, grid: { color: palette.groupBorder } },
      },
    },
  });
}
