/**
 * Geometry of the log-source coverage chart: one horizontal bar per log source, stacked by
 * source format. Numbers only; templates/catalog-logsources.hbs draws the SVG (escaped).
 */
import type { LogSourceRow } from './site.js';

/** One segment of a bar. */
export interface BarSegment {
  source: string;
  n: number;
  x: number;
  width: number;
  color: string;
}

/** One bar of the chart. */
export interface Bar {
  label: string;
  total: number;
  y: number;
  textY: number;
  totalX: number;
  segments: BarSegment[];
}

/** The whole chart. */
export interface Chart {
  width: number;
  height: number;
  labelWidth: number;
  bars: Bar[];
  legend: { source: string; color: string; x: number }[];
}

const COLORS: Record<string, string> = { sigma: '#3b7dd8', splunk: '#e0793a', elastic: '#2fa37a' };
const FALLBACK = ['#8a63d2', '#c94f7c', '#6b8e23'];

/** Color of a source format in charts. */
export function sourceColor(source: string, i = 0): string {
  return COLORS[source] ?? FALLBACK[i % FALLBACK.length]!;
}

/** Lays out bars for the rows (at most `limit`, busiest first). */
export function logSourceChart(rows: readonly LogSourceRow[], limit = 60): Chart {
  const shown = rows.slice(0, limit);
  const labelWidth = 260;
  const barMax = 520;
  const rowH = 18;
  const top = 28;
  const max = Math.max(1, ...shown.map((r) => r.total));
  const sources = [...new Set(rows.flatMap((r) => Object.keys(r.bySource)))].sort();
  const bars = shown.map((r, i) => {
    let x = labelWidth;
    const segments = sources
      .filter((s) => r.bySource[s])
      .map((s) => {
        const width = Math.max(1, Math.round((r.bySource[s]! / max) * barMax));
        const seg = { source: s, n: r.bySource[s]!, x, width, color: sourceColor(s, sources.indexOf(s)) };
        x += width;
        return seg;
      });
    const y = top + i * rowH;
    return { label: r.label, total: r.total, y, textY: y + 12, totalX: x + 6, segments };
  });
  return {
    width: labelWidth + barMax + 60,
    height: top + shown.length * rowH + 10,
    labelWidth,
    bars,
    legend: sources.map((s, i) => ({ source: s, color: sourceColor(s, i), x: labelWidth + i * 110 })),
  };
}
