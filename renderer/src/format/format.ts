/** The renderer's one formatter for numbers with units and for dates. */

const decimal1 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const upTo1 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const loss4 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const DASH = '–';

/** MiB (as nvidia-smi reports memory) to "12.3 GiB" (2^30 bytes, nvidia-smi's own unit). */
export function formatGbFromMb(mb: number | null): string {
  return mb === null ? DASH : `${decimal1.format(mb / 1024)} GiB`;
}

/** "12.3 / 24.0 GiB" from used and total MiB. */
export function formatMemoryMb(usedMb: number | null, totalMb: number | null): string {
  if (usedMb === null && totalMb === null) return DASH;
  const used = usedMb === null ? DASH : decimal1.format(usedMb / 1024);
  const total = totalMb === null ? DASH : decimal1.format(totalMb / 1024);
  return `${used} / ${total} GiB`;
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
  return n === null || !Number.isFinite(n) ? DASH : integer.format(n);
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

/** A duration in seconds: "42 s", "3 min 05 s", "2 h 14 min", "3 d 4 h". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return DASH;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${String(s % 60).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A count as model sizes are written: "7.24 B", "41.9 M", "12.3 k", "512". */
export function formatCompactCount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return DASH;
  const abs = Math.abs(n);
  if (abs >= 1e12) return `${compact.format(n / 1e12)} T`;
  if (abs >= 1e9) return `${compact.format(n / 1e9)} B`;
  if (abs >= 1e6) return `${compact.format(n / 1e6)} M`;
  if (abs >= 1e4) return `${compact.format(n / 1e3)} k`;
  return integer.format(n);
}

/** A training loss with four decimals: "1.8412". */
export function formatLoss(loss: number | null): string {
  return loss === null || !Number.isFinite(loss) ? DASH : loss4.format(loss);
}

/** Tokens per second: "3,120 tok/s". */
export function formatTokensPerSecond(rate: number | null): string {
  return rate === null || !Number.isFinite(rate) ? DASH : `${integer.format(rate)} tok/s`;
}

/** A fraction 0…1 as "37.5 %". */
export function formatFraction(fraction: number | null): string {
  return fraction === null || !Number.isFinite(fraction) ? DASH : `${decimal1.format(fraction * 100)} %`;
}

/** "120 / 500" steps, or "120" when the total is not known yet. */
export function formatSteps(step: number, maxSteps: number | null): string {
  if (maxSteps === null) return step === 0 ? DASH : integer.format(step);
  return `${integer.format(step)} / ${integer.format(maxSteps)}`;
}

/** Money with two decimals and its ISO currency: "€0.24", "US$12.50" (locale decides the symbol). */
export function formatMoney(amount: number | null, currency: string): string {
  if (amount === null || !Number.isFinite(amount)) return DASH;
  try {
    return new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: Math.abs(amount) < 0.01 && amount !== 0 ? 4 : 2,
    }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** Energy from Wh: "812 Wh", "3.4 kWh". */
export function formatEnergyWh(wh: number | null): string {
  if (wh === null || !Number.isFinite(wh)) return DASH;
  return Math.abs(wh) >= 1000 ? `${decimal1.format(wh / 1000)} kWh` : `${upTo1.format(wh)} Wh`;
}

/** GPU-hours with up to two decimals: "0.05 GPU-h". */
export function formatGpuHours(hours: number | null): string {
  if (hours === null || !Number.isFinite(hours)) return DASH;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: hours < 1 ? 3 : 2 }).format(hours)} GPU-h`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const sig4 = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 4 });

/** Elapsed time as a clock for chart axes: "0:42", "12:05", "3:07:00". */
export function formatElapsedClock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return DASH;
  const sign = seconds < 0 ? '-' : '';
  const s = Math.round(Math.abs(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${String(m).padStart(2, '0')}:${sec}` : `${sign}${m}:${sec}`;
}

/** A local time of day with seconds: "14:03:05". */
export function formatTimeOfDay(ms: number): string {
  return timeOfDay.format(ms);
}

/** A metric value with 4 significant digits; tiny and huge ones (learning rates) in e-notation. */
export function formatMetric(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return DASH;
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3).replace(/\.?0+e/, 'e');
  return sig4.format(value);
}

/** Gibibytes (2^30 bytes) with one decimal: "39.5 GiB". */
export function formatGib(gib: number | null): string {
  return gib === null || !Number.isFinite(gib) ? DASH : `${decimal1.format(gib)} GiB`;
}
