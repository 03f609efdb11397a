const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * 1–12 for a month as listings abbreviate it ("Dec"), else undefined. Only the
 * exact abbreviation: "Octopus 2" is a title, not October 2.
 */
export function monthNumber(abbreviation: string): number | undefined {
  const index = months.indexOf(abbreviation);
  return index === -1 ? undefined : index + 1;
}

/** "YYYY-MM-DD" when the day exists in that month and year (so Feb 29 only in leap years). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls Feb 30 over into March; a real day survives the round trip unchanged.
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The most recent `month`/`day` not after `notAfter` (an ISO date): listings show
 * "Dec 30" without a year when it is recent. Looks back far enough (8 years)
 * that "Feb 29" always finds a leap year; undefined for a day no month has.
 */
export function latestDate(month: number, day: number, notAfter: string): string | undefined {
  const year = Number(notAfter.slice(0, 4));
  for (let candidate = year; candidate >= year - 8; candidate--) {
    const date = isoDate(candidate, month, day);
    if (date !== undefined && date <= notAfter) return date;
  }
  return undefined;
}

/** The calendar date of "2024-06-28" or of a timestamp such as "2024-06-28T17:59:59.000Z", as written. */
export function datePart(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/u.exec(value.trim());
  return match ? isoDate(Number(match[1]), Number(match[2]), Number(match[3])) : undefined;
}

/** UTC+14 (Kiribati's Line Islands): the first place a day begins. */
const furthestAheadMs = 14 * 60 * 60 * 1000;

/**
 * The latest date it is anywhere on Earth at `now`, the reference for dates shown without a
 * year: a page is dated in its reader's time zone. Taken in UTC, a page saved on a morning in
 * Auckland or Tokyo, the day before in UTC, had its own date and its papers' of today read as
 * a year before.
 */
export function latestDayOnEarth(now: Date): string {
  return new Date(now.getTime() + furthestAheadMs).toISOString().slice(0, 10);
}
