/**
 * Training-specific formatting (durations, counts, losses, rates), built on the app's formatter.
 * TODO(lead): fold these into format/format.ts, the one formatter, when the branches merge.
 */

const DASH = '–';
const decimal1 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const loss4 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat(undefined, { maximumSignificantDigits: 3 });

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

/** A count in words people use for model sizes: "7.24 B", "41.9 M", "12.3 k", "512". */
export function formatCount(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return DASH;
  const abs = Math.abs(n);
  if (abs >= 1e12) return `${compact.format(n / 1e12)} T`;
  if (abs >= 1e9) return `${compact.format(n / 1e9)} B`;
  if (abs >= 1e6) return `${compact.format(n / 1e6)} M`;
  if (abs >= 1e4) return `${compact.format(n / 1e3)} k`;
  return integer.format(n);
}

/** An integer with grouping: "32,768". */
export function formatInteger(n: number | null): string {
  return n === null || !Number.isFinite(n) ? DASH : integer.format(n);
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
