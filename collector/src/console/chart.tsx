// Daily active endpoints and add-on usage through the month, drawn on the
// server as inline SVG (no chart library, nothing fetched). Colours are
// presentation attributes, not style attributes, so the CSP needs no
// 'unsafe-inline'. Every series also has its own dash pattern and marker,
// and the figures are repeated in a table for screen readers.
import type { FC } from 'hono/jsx';
import type { DailyChart } from './data.ts';

/** Dark enough for 4.5:1 on white; told apart by dash pattern too. */
const COLOURS = ['#1a4f9c', '#b3261e', '#1e6b3c', '#6b3fa0', '#8a5300', '#00626b', '#4a4a4a', '#a0185a'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4', '3 6'];

const W = 760;
const H = 280;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };

/** A whole-number step for about four gridlines up to `v`: the chart counts endpoints, never fractions of one. */
export function tickStep(v: number): number {
  if (v <= 4) return 1;
  const raw = v / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
}

export const UsageChart: FC<{ chart: DailyChart; id: string }> = ({ chart, id }) => {
  const n = chart.days.length;
  const peakValue = Math.max(0, ...chart.series.flatMap((s) => s.values));
  const step = tickStep(peakValue);
  const max = Math.max(step, Math.ceil(peakValue / step) * step, 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n <= 1 ? 0 : (i * plotW) / (n - 1));
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const ticks = Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
  const labelDays = chart.days.map((d, i) => ({ d, i })).filter(({ i }) => i === 0 || (i + 1) % 5 === 0 || i === n - 1);
  const peak = chart.series[0] ? Math.max(0, ...chart.series[0].values) : 0;
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <div class="chart-scroll" role="region" aria-label="Chart, scrolls sideways on narrow screens" tabindex={0}>
      <svg class="chart-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} focusable="false">
        <title id={`${id}-title`}>{`Daily usage, ${chart.month}`}</title>
        <desc id={`${id}-desc`}>{`Line chart of ${chart.series.map((s) => s.label).join(', ')} per UTC day. Peak active endpoints: ${peak}.${chart.daysSoFar < n ? ` Figures through ${chart.days[chart.daysSoFar - 1] ?? 'the start of the month'}.` : ''} The same figures are in the table below the chart.`}</desc>
        {ticks.map((t) => (
          <g>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#d0d4da" stroke-width="1" />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" font-size="12" fill="#333">{String(t)}</text>
          </g>
        ))}
        <line x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} stroke="#555" stroke-width="1" />
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} stroke="#555" stroke-width="1" />
        {labelDays.map(({ d, i }) => (
          <text x={x(i)} y={H - PAD.bottom + 18} text-anchor="middle" font-size="12" fill="#333">{d.slice(8)}</text>
        ))}
        <text x={PAD.left + plotW / 2} y={H - 4} text-anchor="middle" font-size="12" fill="#333">{`Day of ${chart.month} (UTC)`}</text>
        {chart.series.map((s, k) => (
          <g class="chart-series" data-series={s.key}>
            <polyline
              fill="none"
              stroke={COLOURS[k % COLOURS.length]}
              stroke-width={k === 0 ? '2.5' : '2'}
              stroke-dasharray={DASHES[k % DASHES.length] || undefined}
              points={s.values.slice(0, chart.daysSoFar).map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
            />
            {s.values.slice(0, chart.daysSoFar).map((v, i) => (v > 0 ? <circle cx={x(i).toFixed(1)} cy={y(v).toFixed(1)} r={k === 0 ? '3' : '2.2'} fill={COLOURS[k % COLOURS.length]} /> : null))}
          </g>
        ))}
      </svg>
      </div>
      <figcaption id={`${id}-caption`}>
        <ul class="legend">
          {chart.series.map((s, k) => (
            <li>
              <svg width="28" height="10" aria-hidden="true" focusable="false"><line x1="0" x2="28" y1="5" y2="5" stroke={COLOURS[k % COLOURS.length]} stroke-width="3" stroke-dasharray={DASHES[k % DASHES.length] || undefined} /></svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <details class="chart-data">
        <summary>Chart figures as a table</summary>
        <div class="table-scroll" role="region" aria-label="Daily figures" tabindex={0}>
          <table class="data-table compact">
            <caption class="visually-hidden">{`Daily usage, ${chart.month}`}</caption>
            <thead>
              <tr><th scope="col">Day</th>{chart.series.map((s) => <th scope="col">{s.label}</th>)}</tr>
            </thead>
            <tbody>
              {chart.days.slice(0, chart.daysSoFar).map((d, i) => (
                <tr><th scope="row">{d}</th>{chart.series.map((s) => <td class="num">{s.values[i]}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
};
