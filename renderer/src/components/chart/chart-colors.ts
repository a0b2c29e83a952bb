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
