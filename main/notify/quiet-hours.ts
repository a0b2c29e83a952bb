/** Quiet hours: a local time window, possibly across midnight, in which nothing pops up (pure). */

export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Is local time `ms` inside the window [start, end)? A window with start = end is empty. */
export function inQuietHours(ms: number, quiet: QuietHours | null): boolean {
  if (quiet === null) return false;
  const d = new Date(ms);
  const now = d.getHours() * 60 + d.getMinutes();
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
