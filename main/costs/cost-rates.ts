/** Turning energy and GPU-hours into money: electricity, amortisation, the cloud reference (pure). */

export interface CostRates {
  readonly pricePerKwh: number;
  readonly amortisationPerGpuHour: number;
  /** $/GPU-hour by GPU model, matched as a case-insensitive substring of the GPU's name. */
  readonly cloudRates: Readonly<Record<string, number>>;
}

export interface Costed {
  readonly cost: number;
  readonly amortisationCost: number;
  readonly cloudCost: number | null;
}

/** The cloud rate for a GPU name: the longest configured model name it contains; null if none. */
export function cloudRateFor(gpuName: string | null, rates: Readonly<Record<string, number>>): number | null {
  if (gpuName === null) return null;
  const name = gpuName.toLowerCase();
  const match = Object.keys(rates)
    .filter((model) => name.includes(model.toLowerCase()))
    .sort((a, b) => b.length - a.length)[0];
  return match === undefined ? null : (rates[match] ?? null);
}

/** Electricity cost (kWh × price), amortisation (rate × GPU-hours) and the rented equivalent. */
export function priceRun(
  usage: { readonly energyWh: number; readonly gpuHours: number; readonly gpuName: string | null },
  rates: CostRates,
): Costed {
  const cloudRate = cloudRateFor(usage.gpuName, rates.cloudRates);
  return {
    cost: (usage.energyWh / 1000) * rates.pricePerKwh,
    amortisationCost: usage.gpuHours * rates.amortisationPerGpuHour,
    cloudCost: cloudRate === null ? null : usage.gpuHours * cloudRate,
  };
}

/** "2026-12" of a local time. */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** "2026-12-01" of a local time. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${monthKey(ms)}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Local midnight of the first day of the month holding `ms`. */
export function startOfMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** Budget thresholds that raise a notification, as fractions of the budget. */
export const BUDGET_THRESHOLDS = [0.8, 1] as const;

/** The thresholds `spent` has reached against `budget` (none without a budget). */
export function reachedThresholds(spent: number, budget: number | null): ReadonlyArray<number> {
  if (budget === null || budget <= 0) return [];
  return BUDGET_THRESHOLDS.filter((t) => spent >= budget * t);
}

/** An amount for a sentence: two decimals, more for amounts under 0.01 ("0.0012"). */
export function moneyText(amount: number, currency: string): string {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  return `${amount.toFixed(digits)} ${currency}`;
}
