// Bar charts whose words are HTML, not SVG text: the bars scale with the card, the labels stay at the page's
// font size (readable on a phone and when zoomed), and a table gives screen readers the numbers.
import type { ComponentChildren } from 'preact';

export interface Bar { key: string; label: string; segments: { value: number; cls: string; name: string }[] }

export function BarChart(p: { bars: Bar[]; name: string; axis: { at: number; text: string }[]; testid?: string; legend?: ComponentChildren }) {
  const max = Math.max(1, ...p.bars.map((b) => b.segments.reduce((a, s) => a + s.value, 0)));
  const w = 10, gap = 3, height = 80;
  const width = Math.max(1, p.bars.length * (w + gap) - gap);
  return (
    <figure class="chart" data-testid={p.testid}>
      <svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {p.bars.map((b, i) => {
          let y = height;
          const total = b.segments.reduce((a, s) => a + s.value, 0);
          if (!total) return <rect key={b.key} x={i * (w + gap)} y={height - 1} width={w} height={1} class="bar empty"><title>{`${b.label}: none`}</title></rect>;
          return (
            <g key={b.key}>{b.segments.map((s) => {
              const bh = Math.max(1, Math.round((s.value / max) * height));
              y -= bh;
              return s.value ? <rect key={s.name} x={i * (w + gap)} y={y} width={w} height={bh} class={s.cls}><title>{`${b.label} — ${s.name}: ${s.value}`}</title></rect> : null;
            })}</g>
          );
        })}
      </svg>
      <div class="chart-axis" aria-hidden="true">{p.axis.map((a) => {
        const pct = (100 * (a.at * (w + gap))) / width;
        // A label near the right edge ends at its bar instead of running past the card.
        return <span key={a.at} style={pct > 80 ? { right: `${100 - pct - (100 * w) / width}%` } : { left: `${pct}%` }}>{a.text}</span>;
      })}</div>
      {p.legend}
      <div class="sr-only"><table><caption>{p.name}</caption><tbody>{p.bars.map((b) => (
        <tr key={b.key}><th scope="row">{b.label}</th><td>{b.segments.map((s) => `${s.name}: ${s.value}`).join(', ')}</td></tr>))}</tbody></table></div>
    </figure>
  );
}
