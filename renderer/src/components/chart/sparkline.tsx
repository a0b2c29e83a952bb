/**
 * A tiny trend line (SVG, no axes) for dashboard cards: recent readings at a glance. Charts with
 * axes, zoom and read-outs are MetricChart's job; this draws a polyline and nothing else.
 */
export function Sparkline({
  values,
  min,
  max,
  color = 'var(--accent)',
  label,
  testId,
}: {
  readonly values: ReadonlyArray<number | null>;
  /** Fixed bounds (0–100 % for utilisation); otherwise the readings' own range. */
  readonly min?: number;
  readonly max?: number;
  readonly color?: string;
  readonly label: string;
  readonly testId?: string;
}) {
  const width = 160;
  const height = 32;
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = min ?? (finite.length > 0 ? Math.min(...finite) : 0);
  const hiRaw = max ?? (finite.length > 0 ? Math.max(...finite) : 1);
  const hi = hiRaw - lo < 1e-9 ? lo + 1 : hiRaw;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const segments: string[][] = [[]];
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (segments.at(-1)!.length > 0) segments.push([]);
      return;
    }
    const y = height - 2 - ((v - lo) / (hi - lo)) * (height - 4);
    segments.at(-1)!.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      height={height}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid={testId}
      data-points={finite.length}
    >
      {segments
        .filter((s) => s.length > 0)
        .map((s) => (
          <polyline
            key={s[0]}
            points={s.join(' ')}
            fill="none"
            stroke={color}
            strokeWidth={1.5}
            vectorEffect="non-scaling-stroke"
          />
        ))}
    </svg>
  );
}
