/** The renderer's one formatter for numbers with units and for dates. */

const decimal1 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const upTo1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
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

/** A whole count with grouping: "1,204,311". */
export function formatCount(n: number | null): string {
  return n === null ? DASH : integer.format(n);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in binary units with one decimal above 1 KB: "512 B", "3.4 MB". */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return DASH;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${integer.format(value)} B` : `${decimal1.format(value)} ${BYTE_UNITS[unit]}`;
}

/** A number with at most one decimal: "12.5", "3". */
export function formatDecimal(n: number | null): string {
  return n === null ? DASH : upTo1.format(n);
}
