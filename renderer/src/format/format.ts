/** The renderer's one formatter for numbers with units and for dates. */

const decimal1 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const DASH = '–';

/** Megabytes (as nvidia-smi reports them) to "12.3 GB" (GiB, like nvidia-smi's MiB). */
export function formatGbFromMb(mb: number | null): string {
  return mb === null ? DASH : `${decimal1.format(mb / 1024)} GB`;
}

/** "12.3 / 24.0 GB" from used and total megabytes. */
export function formatMemoryMb(usedMb: number | null, totalMb: number | null): string {
  if (usedMb === null && totalMb === null) return DASH;
  const used = usedMb === null ? DASH : decimal1.format(usedMb / 1024);
  const total = totalMb === null ? DASH : decimal1.format(totalMb / 1024);
  return `${used} / ${total} GB`;
}

/** Gigabytes with one decimal: "412.5 GB". */
export function formatGb(gb: number | null): string {
  return gb === null ? DASH : `${decimal1.format(gb)} GB`;
}

/** A whole percentage: "37 %". */
export function formatPct(pct: number | null): string {
  return pct === null ? DASH : `${integer.format(pct)} %`;
}

/** Degrees Celsius: "61 °C". */
export function formatTempC(celsius: number | null): string {
  return celsius === null ? DASH : `${integer.format(celsius)} °C`;
}

/** Watts: "220 W". */
export function formatWatts(watts: number | null): string {
  return watts === null ? DASH : `${integer.format(watts)} W`;
}

/** An absolute local date and time: "Nov 25, 2025, 7:45 PM". */
export function formatDateTime(ms: number): string {
  return dateTime.format(ms);
}

/** "3 min ago", "yesterday", … relative to `now`. */
export function formatRelative(ms: number, now: number = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(0, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), 'day');
  return formatDateTime(ms);
}
