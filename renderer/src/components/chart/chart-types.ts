/** The data types of the chart wrapper (no chart.js import: pure code and tests use them). */

/** A point as the chart wrapper draws it: x on the chart's axis, the value, and where it came from. */
export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
  /** The training step, or null (a GPU sample with no step to pin it to). */
  readonly step: number | null;
  /** Wall-clock ms. */
  readonly ts: number;
}

/** One line of a chart. */
export interface ChartSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly points: ReadonlyArray<ChartPoint>;
  /** Draw each point (sparse series such as eval loss). */
  readonly showPoints?: boolean;
  /** A dash pattern, so lines that coincide (compared runs) stay distinguishable. */
  readonly dash?: ReadonlyArray<number>;
}

/** What the x values mean: training steps, or seconds since the run started. */
export type XKind = 'step' | 'elapsed';

/** The visible x range after a zoom or pan, or null after a reset. */
export type XRange = { readonly min: number; readonly max: number } | null;
