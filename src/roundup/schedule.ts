import { DateTime, IANAZone } from "luxon";
import { UserError } from "../errors.ts";
import { asTyped } from "../text/format.ts";
import { nearNames } from "../text/near-miss.ts";
import { unaccented } from "../text/normalize.ts";
import { withoutQuoteMarks } from "../text/quotes.ts";
import { placesAbbreviated } from "./zone-abbreviations.ts";

/**
 * When a channel's roundup goes out: at `time` ("HH:MM", local wall clock) in
 * `timeZone` (IANA), every day or Monday to Friday there.
 */
export interface Schedule {
  time: string;
  timeZone: string;
  days: "every" | "weekdays";
}

interface Time {
  hour: number;
  minute: number;
}

/** A moment as the caller's clock gives it; nothing here reads the system clock. */
type Instant = Date | number;

/** A time on a 24-hour clock ("9:00", "17:30"), or on a 12-hour one ("9am", "5:30 p.m."). */
const clockTime = /^(\d{1,2})(?::(\d{2}))?\s*(?:([ap])\.?m\.?)?$/i;

/**
 * "9:00", "09:00", "9am" or "9:30 pm" as hour and minute, or a UserError saying what to type.
 * An hour alone ("9") is refused: a 24-hour clock's has minutes. Quote marks are no part of a
 * time (`"08:30"`): text keeps them, in Discord and the console, for a search's words.
 */
export function parseTime(text: string): Time {
  const [, hours, minutes, half] = clockTime.exec(withoutQuoteMarks(text).trim()) ?? [];
  const hour = Number(hours);
  const minute = Number(minutes ?? (half ? 0 : Number.NaN));
  const valid = half ? hour >= 1 && hour <= 12 : hour <= 23;
  if (hours === undefined || !valid || !(minute <= 59)) {
    throw new UserError(
      "Time must be HH:MM on a 24-hour clock, like 09:00 or 17:30, or with am or pm, like 9am or 5:30pm.",
    );
  }
  if (!half) return { hour, minute };
  return { hour: (hour % 12) + (half.toLowerCase() === "p" ? 12 : 0), minute };
}

/**
 * Names IANA has replaced that ICU, and so Node 20, still lists. People look
 * for the city as it is spelled now, and Intl accepts both spellings.
 */
const renamed = new Map([
  ["Africa/Asmera", "Africa/Asmara"],
  ["America/Godthab", "America/Nuuk"],
  ["Asia/Calcutta", "Asia/Kolkata"],
  ["Asia/Katmandu", "Asia/Kathmandu"],
  ["Asia/Rangoon", "Asia/Yangon"],
  ["Asia/Saigon", "Asia/Ho_Chi_Minh"],
  ["Atlantic/Faeroe", "Atlantic/Faroe"],
  ["Europe/Kiev", "Europe/Kyiv"],
  ["Pacific/Enderbury", "Pacific/Kanton"],
  ["Pacific/Ponape", "Pacific/Pohnpei"],
  ["Pacific/Truk", "Pacific/Chuuk"],
]);

// A set, for a Node whose list has UTC or a current name beside its old one.
const zones = [
  ...new Set([
    "UTC",
    ...Intl.supportedValuesOf("timeZone")
      .map((name) => renamed.get(name) ?? name)
      .sort(),
  ]),
];

/** A zone's names to search by: its own, and the old one people still type ("kiev", "calcutta"). */
const searchNames = new Map(zones.map((zone) => [zone, [zone]]));
for (const [old, current] of renamed) searchNames.get(current)?.push(old);

/**
 * Lower case with underscores as spaces, so "new york" finds America/New_York, and without
 * accents, so the city as it is spelt finds its ASCII name: "São Paulo" America/Sao_Paulo.
 */
const searchable = (text: string) =>
  unaccented(text.trim())
    .text.toLowerCase()
    .replace(/[\s_]+/g, " ");

/** The city of a searchable zone name: "america/new york" → "new york". */
const cityOf = (name: string) => name.slice(name.lastIndexOf("/") + 1);

/** The zones of each city, by every name they are searched by. */
const zonesOfCity = new Map<string, string[]>();
for (const [zone, names] of searchNames) {
  for (const city of new Set(names.map((name) => cityOf(searchable(name))))) {
    zonesOfCity.set(city, [...(zonesOfCity.get(city) ?? []), zone]);
  }
}
const cities = [...zonesOfCity.keys()];

/** "UTC+2", "GMT-05:00", "+5:30": a clock's offset from UTC, which no IANA name spells so. */
const typedOffset = /^(?:utc|gmt)?\s*([+\-\u2212])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/**
 * The IANA zones that keep a typed offset all year: for whole hours, the one named by it
 * ("UTC+2" → Etc/GMT-2, whose sign POSIX reverses); for others, which no such name keeps, the
 * places that do ("UTC+5:30" → Asia/Colombo, Asia/Kolkata). Undefined for no offset.
 */
function zonesKeepingOffset(text: string): string[] | undefined {
  const match = typedOffset.exec(text.trim());
  const hours = Number(match?.[2]);
  const minutes = Number(match?.[3] ?? 0);
  // No clock is that far off, and no hour has that many minutes: a typo.
  if (!match || hours > 14 || minutes > 59) return undefined;
  const east = match[1] === "+";
  if (minutes === 0 && hours <= (east ? 14 : 12))
    return [hours === 0 ? "UTC" : `Etc/GMT${east ? "-" : "+"}${hours}`];
  return placesKeeping()[(east ? 1 : -1) * (hours * 60 + minutes)] ?? [];
}

let placesByOffset: Record<number, string[]> | undefined;

/** The places whose clock is on one offset all year, by the offset in minutes. */
function placesKeeping(): Record<number, string[]> {
  if (!placesByOffset) {
    const year = new Date().getUTCFullYear();
    const [january, july] = [Date.UTC(year, 0, 1), Date.UTC(year, 6, 1)];
    placesByOffset = {};
    for (const zone of zones.filter((name) => name.includes("/") && !name.startsWith("Etc/"))) {
      const clock = IANAZone.create(zone);
      const offset = clock.offset(january);
      if (clock.offset(july) === offset)
        placesByOffset[offset] = [...(placesByOffset[offset] ?? []), zone];
    }
  }
  return placesByOffset;
}

/**
 * Zones whose name or city, or its old name ("kiev" for Europe/Kyiv), contains `query`, best
 * first: the places an abbreviation means ("bst" → Europe/London; "pst", taken as typed, as
 * America/Los_Angeles), cities that start with it ("paris"), then names that do ("america/"),
 * then the rest. Nothing typed yet: every zone a subscription can use, UTC first.
 */
export function suggestZones(query: string, limit = 25): string[] {
  const typed = query.trim();
  // "pst" or "gmt", taken as typed, find no name: what they are taken as comes first. So does
  // an alias Intl takes but does not list ("US/Eastern" for America/New_York).
  const meant =
    placesAbbreviated(typed) ??
    zonesKeepingOffset(typed) ??
    (IANAZone.isValidZone(typed) ? [canonicalName(typed)] : []);
  const wanted = searchable(query);
  const rankOf = (name: string): number => {
    const full = searchable(name);
    if (cityOf(full).startsWith(wanted)) return 0;
    if (full.startsWith(wanted)) return 1;
    return full.includes(wanted) ? 2 : Number.POSITIVE_INFINITY;
  };
  const rank = (zone: string) => Math.min(...(searchNames.get(zone) ?? [zone]).map(rankOf));
  const found = zones
    .map((name) => ({ name, rank: rank(name) }))
    .filter((zone) => Number.isFinite(zone.rank))
    .sort((a, b) => a.rank - b.rank)
    .map((zone) => zone.name);
  // Nothing has what was typed: the zones of its city ("amercia/chicago"), or of the city it
  // is a slip for ("pariss", "tokio"), which the list showed nothing for and /subscribe
  // refused with no name to pick instead.
  const city = cityOf(wanted);
  const near =
    meant.length || found.length
      ? []
      : (zonesOfCity.get(city) ??
        nearNames(city, cities).flatMap((slip) => zonesOfCity.get(slip) ?? []));
  return [...new Set([...meant, ...found, ...near])].slice(0, limit);
}

/** A valid zone's name as the autocomplete lists it: "europe/paris" → "Europe/Paris". */
function canonicalName(zone: string): string {
  // Intl spells it properly, and folds aliases such as Etc/UTC into UTC.
  const canonical = new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  return renamed.get(canonical) ?? canonical;
}

/**
 * The zone's canonical name ("europe/paris" → "Europe/Paris"; a city's alone, "paris", when one
 * zone has it), or a UserError saying what to type. Quote marks are no part of one, as of a time.
 */
export function normalizeZone(text: string): string {
  const name = withoutQuoteMarks(text).trim();
  const places = placesAbbreviated(name);
  if (places) {
    throw new UserError(
      `${asTyped(name)} is an abbreviation, not a place: a roundup keeps a place's clock, summer time included. Did you mean ${places.join(" or ")}? Pick one from the list as you type.`,
    );
  }
  if (IANAZone.isValidZone(name)) return canonicalName(name);
  const keeping = zonesKeepingOffset(name);
  if (keeping?.[0] === "UTC") return "UTC"; // no summer time to miss: "UTC+0" is what it says
  if (keeping !== undefined) {
    const allYear = keeping.length
      ? ` For ${asTyped(name)} all year, with no summer time, use ${keeping.slice(0, 3).join(" or ")}.`
      : "";
    throw new UserError(
      `${asTyped(name)} is an offset from UTC, not a place: a roundup keeps a place's clock, summer time included. Type your city and pick it from the list, like Europe/Paris or America/New_York.${allYear}`,
    );
  }
  // A city's name alone ("paris", "new york") is the one zone of that city: sent as typed
  // rather than picked from the list, it was refused, and the whole command typed again.
  const ofCity = name.includes("/") ? undefined : zonesOfCity.get(searchable(name));
  if (ofCity?.length === 1) return ofCity[0] as string;
  const lookFor = (query: string) => (searchable(query) === "" ? [] : suggestZones(query, 3));
  let close = lookFor(name);
  // "Europ/Paris" matches nothing as a whole, but its city does.
  if (close.length === 0) close = lookFor(name.slice(name.lastIndexOf("/") + 1));
  const guess = close.length > 0 ? ` Did you mean ${close.join(" or ")}?` : "";
  throw new UserError(
    `Unknown time zone ${asTyped(name)}.${guess} Pick one from the list as you type: an IANA name like Europe/Paris, America/New_York or UTC.`,
  );
}

function inZone(now: Instant, zone: string): DateTime {
  const local = DateTime.fromMillis(Number(now), { zone });
  // Zones are checked when a subscription is made, so a bad one here is a bug, not a user mistake.
  if (!local.isValid) throw new Error(`Bad time zone "${zone}": ${local.invalidExplanation}`);
  return local;
}

/** The calendar date ("2026-11-24") at `now` in `zone`. */
export function localDate(now: Instant, zone: string): string {
  return inZone(now, zone).toISODate() as string;
}

const deliversOn = (days: Schedule["days"], day: DateTime) => days === "every" || day.weekday <= 5;

/**
 * The first instant of `day`'s date at which the wall clock reads `time` or
 * later. Usually just that time; when clocks go back and the time happens
 * twice, the first one; when clocks go forward past it (02:30 on a
 * 02:00 → 03:00 night), the end of the gap, 03:00 — unless the gap ends the
 * date (23:30 on Nuuk's 23:00 → 00:00 night): then the date's last minute, 22:59.
 */
function firstInstantAt(day: DateTime, { hour, minute }: Time): DateTime {
  // Guessing from midnight's offset, luxon reads a repeated time as its first
  // occurrence, and moves a skipped one on by the gap's length (02:30 → 03:30).
  const start = day.startOf("day");
  let at = start.set({ hour, minute });
  // A gap that runs to the date's end (Nuuk's 23:00 → 00:00) moves it into the next date,
  // whose roundup is another: its last minute is this date's nearest to `time`.
  if (at.day !== start.day) return start.plus({ days: 1 }).startOf("day").minus({ minutes: 1 });
  // Back from 03:30 to 03:00: the minute before that reads 01:59, too early.
  let before = at.minus({ minutes: 1 });
  while (before.day === start.day && before.hour * 60 + before.minute >= hour * 60 + minute) {
    at = before;
    before = at.minus({ minutes: 1 });
  }
  return at;
}

/**
 * The local date whose roundup is due at `now`, or null. Due once today's time
 * has passed on a delivery day, unless today was delivered already: a bot that
 * was down at 09:00 posts when it comes back, and one down for three days posts
 * once, for today. A date at or before the last delivered one is not delivered twice.
 */
export function dueDate(
  schedule: Schedule,
  now: Instant,
  lastDelivered: string | null,
): string | null {
  const today = inZone(now, schedule.timeZone);
  const date = today.toISODate() as string;
  if (!deliversOn(schedule.days, today) || (lastDelivered !== null && date <= lastDelivered)) {
    return null;
  }
  return firstInstantAt(today, parseTime(schedule.time)).toMillis() <= today.toMillis()
    ? date
    : null;
}

/**
 * The last local date a subscription counts as served: the date on which its latest
 * roundup was planned (`latestAt`), as its zone now reckons it — moved from Auckland to
 * London, Auckland's roundup of Wednesday went out on Tuesday evening in London, and
 * London's Wednesday is still to come. Before it has had one, the day it was set up if
 * that day's time had passed by then, so the first roundup comes at the next time it
 * names rather than the minute it is set up; and the day its channel last had a roundup
 * (`channelServedAt`, of a subscription since removed: papers, "Nothing new", or nothing to
 * post), if later: unsubscribed and subscribed again for a later time, a channel got a second
 * roundup that day. With new topics too: the day is done, as it is for topics changed by
 * /subscribe; the next roundup, a first one, has the papers since a day before it was set up
 * (/roundup now posts them at once).
 */
export function servedUntil(
  subscription: Schedule & { createdAt: string },
  { latestAt, channelServedAt }: ServedBy,
): string | null {
  const { timeZone } = subscription;
  if (latestAt !== null) return localDate(Date.parse(latestAt), timeZone);
  const created = inZone(new Date(subscription.createdAt), timeZone);
  const missed = firstInstantAt(created, parseTime(subscription.time)) < created;
  const setUp = missed ? (created.toISODate() as string) : null;
  const served = channelServedAt === null ? null : localDate(Date.parse(channelServedAt), timeZone);
  return served !== null && (setUp === null || served > setUp) ? served : setUp;
}

/** What a subscription was last served by: see the outbox's `servedBy`. */
export interface ServedBy {
  latestAt: string | null;
  channelServedAt: string | null;
}

/** When the roundup goes out next: `now` when it is due, else its next delivery time. */
export function nextRun(schedule: Schedule, now: Instant, lastDelivered: string | null): Date {
  const time = parseTime(schedule.time);
  // Day by day from midnight: a day on from now's time of day can fall in a DST gap that
  // ends after midnight (Scoresbysund's 23:00 → 00:00), which luxon moves on into the next date.
  const today = inZone(now, schedule.timeZone).startOf("day");
  for (let day = today; ; day = day.plus({ days: 1 })) {
    const date = day.toISODate() as string;
    if (deliversOn(schedule.days, day) && (lastDelivered === null || date > lastDelivered)) {
      return new Date(Math.max(firstInstantAt(day, time).toMillis(), Number(now)));
    }
  }
}

/** "Tue 24 Nov 2026, 09:00 (Europe/Paris)". */
export function formatLocal(date: Instant, zone: string): string {
  return `${inZone(date, zone).toFormat("ccc d LLL yyyy, HH:mm", { locale: "en-GB" })} (${zone})`;
}
