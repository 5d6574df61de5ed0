// Inline SVG charts for the report: horizontal bars, no scripts, no external assets.
export interface Bar {
  label: string;
  value: number;
  /** Optional second value drawn behind the first (e.g. records in vs kept). */
  total?: number;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function barChart(bars: Bar[], options: { width?: number; color?: string; unit?: string } = {}): string {
  if (bars.length === 0) return '<p class="empty">no data</p>';
  const width = options.width ?? 640;
  const labelWidth = Math.min(240, 12 + 7 * Math.max(...bars.map((b) => b.label.length)));
  const row = 22;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.total ?? 0)));
  const plot = width - labelWidth - 90;
  const items = bars.map((bar, i) => {
    const y = i * row;
    const scale = (v: number) => Math.max(v > 0 ? 1 : 0, Math.round((v / max) * plot));
    const back = bar.total !== undefined ? `<rect x="${labelWidth}" y="${y + 3}" width="${scale(bar.total)}" height="${row - 6}" fill="#d8dee9"/>` : '';
    const text = bar.total !== undefined ? `${bar.value} / ${bar.total}` : `${bar.value}${options.unit ?? ''}`;
    return (
      `<text x="${labelWidth - 6}" y="${y + row / 2 + 4}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      back +
      `<rect x="${labelWidth}" y="${y + 3}" width="${scale(bar.value)}" height="${row - 6}" fill="${options.color ?? '#4c78a8'}"/>` +
      `<text x="${labelWidth + scale(Math.max(bar.value, bar.total ?? 0)) + 6}" y="${y + row / 2 + 4}">${text}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${bars.length * row + 4}" font-family="sans-serif" font-size="12">${items.join('')}</svg>`;
}

/** Bars from a histogram, ordered by numeric key when the keys are numbers. */
export function histogramBars(counts: Record<string, number> | undefined): Bar[] {
  const entries = Object.entries(counts ?? {});
  const numeric = entries.every(([k]) => k !== '' && !Number.isNaN(Number(k)));
  entries.sort(numeric ? (a, b) => Number(a[0]) - Number(b[0]) : (a, b) => b[1] - a[1]);
  return entries.map(([label, value]) => ({ label, value }));
}
