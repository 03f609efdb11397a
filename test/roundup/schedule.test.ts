import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import {
  dueDate,
  formatLocal,
  localDate,
  nextRun,
  normalizeZone,
  parseTime,
  type Schedule,
  servedUntil,
  suggestZones,
} from "../../src/roundup/schedule.ts";
import { placesAbbreviated, placesByAbbreviation } from "../../src/roundup/zone-abbreviations.ts";
import { thrownBy } from "../helpers.ts";

/** What the time zone autocomplete offers before anything is typed: every zone. */
const allZones = () => suggestZones("", Number.POSITIVE_INFINITY);

/** An instant written in UTC, so each test says exactly when "now" is. */
const utc = (iso: string) => new Date(`${iso}Z`);

const daily = (time: string, timeZone: string): Schedule => ({ time, timeZone, days: "every" });
const weekdays = (time: string, timeZone: string): Schedule => ({
  time,
  timeZone,
  days: "weekdays",
});

describe("parseTime", () => {
  it("reads a 24-hour clock time, with or without a leading zero", () => {
    expect(parseTime("9:00")).toEqual({ hour: 9, minute: 0 });
    expect(parseTime("09:00")).toEqual({ hour: 9, minute: 0 });
    expect(parseTime("21:05")).toEqual({ hour: 21, minute: 5 });
    expect(parseTime("00:00")).toEqual({ hour: 0, minute: 0 });
    expect(parseTime(" 23:59 ")).toEqual({ hour: 23, minute: 59 });
  });

  it("reads a 12-hour clock time with am or pm, as many type it", () => {
    // "9am" was refused: the whole /subscribe typed again.
    expect(parseTime("9am")).toEqual({ hour: 9, minute: 0 });
    expect(parseTime("9:30 PM")).toEqual({ hour: 21, minute: 30 });
    expect(parseTime("12am")).toEqual({ hour: 0, minute: 0 });
    expect(parseTime("12:15pm")).toEqual({ hour: 12, minute: 15 });
    expect(parseTime("5 p.m.")).toEqual({ hour: 17, minute: 0 });
  });

  it("reads a time in quotes as the time inside them", () => {
    // The console keeps a text value's quotes, as Discord does: `time: "08:30"` was refused.
    expect(parseTime('"08:30"')).toEqual({ hour: 8, minute: 30 });
    expect(parseTime("“9am”")).toEqual({ hour: 9, minute: 0 });
  });

  it.each([
    "25:00",
    "24:00",
    "9",
    "abc",
    "12:60",
    "9:5",
    "09:00:00",
    "",
    "-1:00",
    "13pm",
    "0am",
    "17:30pm",
    "9 xm",
  ])("rejects %j, saying what to type", (text) => {
    const error = thrownBy(() => parseTime(text));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      "Time must be HH:MM on a 24-hour clock, like 09:00 or 17:30, or with am or pm, like 9am or 5:30pm.",
    );
  });
});

describe("normalizeZone", () => {
  it("spells a zone the way IANA does, whatever the case typed", () => {
    expect(normalizeZone("europe/paris")).toBe("Europe/Paris");
    expect(normalizeZone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(normalizeZone(" America/Port-au-Prince ")).toBe("America/Port-au-Prince");
    expect(normalizeZone("UTC")).toBe("UTC");
    expect(normalizeZone("utc")).toBe("UTC");
    expect(normalizeZone("Etc/UTC")).toBe("UTC");
  });

  it("reads a zone in quotes as the zone inside them", () => {
    expect(normalizeZone('"Europe/Paris"')).toBe("Europe/Paris");
    expect(normalizeZone("“paris”")).toBe("Europe/Paris");
  });

  it("uses the current name of a renamed city", () => {
    expect(normalizeZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(normalizeZone("asia/calcutta")).toBe("Asia/Kolkata");
    expect(normalizeZone("Europe/Kiev")).toBe("Europe/Kyiv");
  });

  it("keeps every zone the autocomplete offers as it is", () => {
    for (const name of allZones()) expect(normalizeZone(name)).toBe(name);
  });

  it("takes a city's name alone as its zone, when one zone has that city", () => {
    // Sent as typed, not picked from the list: refused, the whole command was typed again.
    expect(normalizeZone("paris")).toBe("Europe/Paris");
    expect(normalizeZone(" New York ")).toBe("America/New_York");
    expect(normalizeZone("kiev")).toBe("Europe/Kyiv");
    // As the city is spelt, with its accents: IANA names are ASCII.
    expect(normalizeZone("São Paulo")).toBe("America/Sao_Paulo");
    expect(normalizeZone("Zürich")).toBe("Europe/Zurich");
    expect(normalizeZone("Bogotá")).toBe("America/Bogota");
  });

  it("rejects an unknown zone, suggesting close names", () => {
    const city = thrownBy(() => normalizeZone("pariss"));
    expect(city).toBeInstanceOf(UserError);
    expect(city.message).toContain("Unknown time zone `pariss`. Did you mean Europe/Paris?");

    const typo = thrownBy(() => normalizeZone("Europ/Paris"));
    expect(typo).toBeInstanceOf(UserError);
    expect(typo.message).toContain("Did you mean Europe/Paris?");
  });

  it.each([
    ["EST", "America/New_York or America/Toronto"],
    ["bst", "Europe/London or Asia/Dhaka"],
    ["IST", "Asia/Kolkata or Europe/Dublin or Asia/Jerusalem"],
    [" PDT ", "America/Los_Angeles or America/Vancouver"],
  ])("refuses the abbreviation %j, naming the places it may mean", (text, places) => {
    // Intl takes EST as a fixed UTC−5 (America/Panama) and BST as Bangladesh: a New York or
    // London roundup would come an hour off all summer. PDT is no zone at all.
    const error = thrownBy(() => normalizeZone(text));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `\`${text.trim()}\` is an abbreviation, not a place: a roundup keeps a place's clock, summer time included. Did you mean ${places}? Pick one from the list as you type.`,
    );
  });

  it("takes the abbreviations Intl reads as the place their users mean", () => {
    expect(normalizeZone("PST")).toBe("America/Los_Angeles");
    expect(normalizeZone("JST")).toBe("Asia/Tokyo");
    expect(normalizeZone("GMT")).toBe("UTC");
  });

  it("refuses each three-letter zone name Intl reads as a place few mean by it", () => {
    // The old three-letter ids Intl still takes, each a place: "AST" is Alaska (Atlantic or
    // Arabia time is meant), "NST" New Zealand (Newfoundland), "SST" the Solomon Islands.
    const legacy =
      "ACT AET AGT ART AST BET BST CAT CNT CST CTT EAT ECT EST HST IET IST JST MIT MST NET NST PLT PNT PRT PST SST VST";
    const takenAsTyped = legacy.split(" ").filter((id) => {
      expect(IANAZone.isValidZone(id)).toBe(true);
      return placesAbbreviated(id) === undefined;
    });
    expect(takenAsTyped).toEqual(
      "AET AGT BET CAT CNT CTT EAT HST IET JST NET PLT PNT PRT PST VST".split(" "),
    );
    expect(thrownBy(() => normalizeZone("ast")).message).toContain(
      "Did you mean America/Halifax or America/Puerto_Rico or Asia/Riyadh?",
    );
  });

  it.each([
    ["UTC+2", "Etc/GMT-2"],
    ["gmt-05:00", "Etc/GMT+5"],
    ["+14", "Etc/GMT-14"],
  ])("refuses the offset %j, naming the zone that keeps it all year", (text, zone) => {
    // No IANA name is spelt so; Etc/GMT-2 is UTC+2, POSIX reversing the sign.
    const error = thrownBy(() => normalizeZone(text));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `\`${text}\` is an offset from UTC, not a place: a roundup keeps a place's clock, summer time included. Type your city and pick it from the list, like Europe/Paris or America/New_York. For \`${text}\` all year, with no summer time, use ${zone}.`,
    );
    expect(normalizeZone(zone)).toBe(zone);
    expect(suggestZones(text)).toEqual([zone]);
  });

  it("refuses an offset of part of an hour, naming the places on it all year", () => {
    expect(thrownBy(() => normalizeZone("UTC+5:30")).message).toMatch(
      /^`UTC\+5:30` is an offset from UTC, not a place: .* For `UTC\+5:30` all year, with no summer time, use Asia\/Colombo or Asia\/Kolkata\.$/,
    );
    expect(suggestZones("UTC+5:30").slice(0, 2)).toEqual(["Asia/Colombo", "Asia/Kolkata"]);
  });

  it("refuses an offset no zone keeps all year, and takes UTC+0 as UTC", () => {
    expect(thrownBy(() => normalizeZone("UTC+5:15")).message).toMatch(
      /^`UTC\+5:15` is an offset from UTC, not a place: .* like Europe\/Paris or America\/New_York\.$/,
    );
    expect(normalizeZone("UTC+0")).toBe("UTC");
  });

  it.each(["Mars/Olympus", "", "local", "+99:00", "UTC+1:60"])(
    "rejects %j with guidance",
    (text) => {
      const error = thrownBy(() => normalizeZone(text));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).not.toContain("Did you mean");
      expect(error.message).toContain("an IANA name like Europe/Paris, America/New_York or UTC");
    },
  );
});

describe("zone autocomplete", () => {
  it("lists UTC first, then the IANA zones under their current names", () => {
    const names = allZones();
    expect(names[0]).toBe("UTC");
    expect(names).toContain("Europe/Paris");
    expect(names).toContain("Asia/Kolkata");
    expect(names).toContain("Pacific/Kiritimati");
    expect(names).not.toContain("Asia/Calcutta");
    expect(new Set(names).size).toBe(names.length);
  });

  it("offers the places an abbreviation means first, each a zone it lists", () => {
    expect(suggestZones("bst").slice(0, 2)).toEqual(["Europe/London", "Asia/Dhaka"]);
    expect(suggestZones("EST")[0]).toBe("America/New_York");
    // Taken as typed, they offer what they are taken as.
    expect(suggestZones("pst")[0]).toBe("America/Los_Angeles");
    expect(suggestZones("gmt")[0]).toBe("UTC");
    const zones = new Set(allZones());
    const abbreviations = Object.entries(placesByAbbreviation);
    expect(abbreviations.length).toBeGreaterThan(30);
    for (const [abbreviation, places] of abbreviations) {
      expect(suggestZones(abbreviation).slice(0, places.length)).toEqual(places);
      for (const place of places) expect(zones).toContain(place);
    }
  });

  it("finds a zone by its city, whatever the case, with spaces for underscores", () => {
    expect(suggestZones("paris")[0]).toBe("Europe/Paris");
    expect(suggestZones("PARIS")[0]).toBe("Europe/Paris");
    expect(suggestZones("new york")[0]).toBe("America/New_York");
    expect(suggestZones("new_york")[0]).toBe("America/New_York");
    expect(suggestZones("kolkata")).toEqual(["Asia/Kolkata"]);
    expect(suggestZones("york")).toContain("America/New_York");
    expect(suggestZones("são paulo")).toEqual(["America/Sao_Paulo"]);
    expect(suggestZones("Reykjavík")).toEqual(["Atlantic/Reykjavik"]);
  });

  it("finds a renamed city by its old name too, offering its current one", () => {
    expect(suggestZones("kiev")).toEqual(["Europe/Kyiv"]);
    expect(suggestZones("calcutta")).toEqual(["Asia/Kolkata"]);
    expect(suggestZones("Asia/Saigon")).toEqual(["Asia/Ho_Chi_Minh"]);
    // An alias Intl takes but does not list: /subscribe took it, the list offered nothing.
    expect(suggestZones("US/Eastern")).toEqual(["America/New_York"]);
    expect(suggestZones("us/pacific")[0]).toBe("America/Los_Angeles");
  });

  it("ranks cities starting with the query first, then names, then the rest", () => {
    expect(suggestZones("oral")[0]).toBe("Asia/Oral"); // before America/Coral_Harbour
    const am = suggestZones("am");
    expect(am.slice(0, 2)).toEqual(["Asia/Amman", "Europe/Amsterdam"]);
    expect(am.slice(2).every((name) => name.startsWith("America/"))).toBe(true);
  });

  it("lists a region's zones from its prefix, up to the limit", () => {
    const america = suggestZones("america/");
    expect(america).toHaveLength(25);
    expect(america.every((name) => name.startsWith("America/"))).toBe(true);
    expect(suggestZones("america/", 5)).toHaveLength(5);
  });

  it("offers the zones of a city typed with a slip when no name holds what was typed", () => {
    expect(suggestZones("tokio")).toEqual(["Asia/Tokyo"]);
    expect(suggestZones("Europe/Pairs")).toEqual(["Europe/Paris"]);
    expect(suggestZones("sao paolo")).toEqual(["America/Sao_Paulo"]);
    expect(suggestZones("asia/calcuta")).toEqual(["Asia/Kolkata"]); // its old name, misspelt
    expect(suggestZones("Amercia/Chicago")).toEqual(["America/Chicago"]);
    // Only when no name holds what was typed: a city typed right is offered alone.
    expect(suggestZones("lima")).toEqual(["America/Lima"]);
  });

  it("offers the start of the list for an empty query, and nothing for nonsense", () => {
    expect(suggestZones("")).toEqual(allZones().slice(0, 25));
    expect(suggestZones("")).toHaveLength(25);
    expect(suggestZones("zzzz")).toEqual([]);
  });
});

describe("localDate", () => {
  it("is the date on the zone's calendar, not UTC's", () => {
    expect(localDate(utc("2026-11-23T23:30"), "UTC")).toBe("2026-11-23");
    expect(localDate(utc("2026-11-23T23:30"), "Asia/Tokyo")).toBe("2026-11-24");
    expect(localDate(utc("2026-11-24T03:00"), "America/Los_Angeles")).toBe("2026-11-23");
    expect(localDate(utc("2026-11-23T23:30").getTime(), "Asia/Tokyo")).toBe("2026-11-24");
  });
});

describe("dueDate", () => {
  // 09:00 local on Wednesday 2026-07-15 (summer time where there is any), and the minute before.
  it.each([
    ["UTC", "2026-07-15T08:59", "2026-07-15T09:00", "2026-07-15"],
    ["Europe/Paris", "2026-07-15T06:59", "2026-07-15T07:00", "2026-07-15"],
    ["America/New_York", "2026-07-15T12:59", "2026-07-15T13:00", "2026-07-15"],
    ["Asia/Kolkata", "2026-07-15T03:29", "2026-07-15T03:30", "2026-07-15"],
    ["Pacific/Chatham", "2026-07-14T20:14", "2026-07-14T20:15", "2026-07-15"],
    ["Pacific/Kiritimati", "2026-07-14T18:59", "2026-07-14T19:00", "2026-07-15"],
  ])("in %s is due from 09:00 local time", (zone, before, at, date) => {
    const schedule = daily("09:00", zone);
    expect(dueDate(schedule, utc(before), "2026-07-14")).toBeNull();
    expect(dueDate(schedule, utc(at), "2026-07-14")).toBe(date);
    expect(dueDate(schedule, utc(at).getTime() + 5 * 3600_000, "2026-07-14")).toBe(date);
  });

  it("is due for a subscription never delivered", () => {
    expect(dueDate(daily("09:00", "Europe/Paris"), utc("2026-11-24T08:00"), null)).toBe(
      "2026-11-24",
    );
  });

  it("is not due again once today was delivered", () => {
    const schedule = daily("09:00", "Europe/Paris");
    expect(dueDate(schedule, utc("2026-11-24T08:01"), "2026-11-24")).toBeNull();
    expect(dueDate(schedule, utc("2026-11-24T22:59"), "2026-11-24")).toBeNull();
    expect(dueDate(schedule, utc("2026-11-25T08:00"), "2026-11-24")).toBe("2026-11-25");
  });

  it("catches up once, for today, after days of downtime", () => {
    const schedule = daily("09:00", "Europe/Paris");
    // Last delivered on Friday, back on Monday afternoon.
    expect(dueDate(schedule, utc("2026-11-23T15:00"), "2026-11-20")).toBe("2026-11-23");
    expect(dueDate(schedule, utc("2026-11-23T15:01"), "2026-11-23")).toBeNull();
    // Back on Monday before 09:00: waits for today's time.
    expect(dueDate(schedule, utc("2026-11-23T07:30"), "2026-11-20")).toBeNull();
  });

  it("does not deliver a date before the last delivered one (a zone moved west)", () => {
    // Delivered 2026-07-15 in Kiritimati; now the subscription is in Honolulu, where it is still the 14th.
    const schedule = daily("09:00", "Pacific/Honolulu");
    expect(dueDate(schedule, utc("2026-07-14T20:00"), "2026-07-15")).toBeNull();
  });

  it("on weekdays skips Saturday and Sunday in the subscription's zone", () => {
    const schedule = weekdays("09:00", "Europe/Paris");
    expect(dueDate(schedule, utc("2026-11-27T08:00"), "2026-11-26")).toBe("2026-11-27"); // Friday
    expect(dueDate(schedule, utc("2026-11-28T10:00"), "2026-11-27")).toBeNull(); // Saturday
    expect(dueDate(schedule, utc("2026-11-29T10:00"), "2026-11-27")).toBeNull(); // Sunday
    expect(dueDate(schedule, utc("2026-11-30T07:59"), "2026-11-27")).toBeNull(); // Monday, 08:59
    expect(dueDate(schedule, utc("2026-11-30T08:00"), "2026-11-27")).toBe("2026-11-30");
    // Friday 23:30 in UTC is already Saturday in Tokyo.
    expect(dueDate(weekdays("08:00", "Asia/Tokyo"), utc("2026-11-27T23:30"), null)).toBeNull();
    expect(dueDate(weekdays("08:00", "UTC"), utc("2026-11-27T23:30"), null)).toBe("2026-11-27");
  });

  it("uses the zone's date when it differs from UTC's", () => {
    // 23:30 UTC on the 23rd is 08:30 on the 24th in Tokyo.
    const schedule = daily("08:00", "Asia/Tokyo");
    expect(dueDate(schedule, utc("2026-11-23T23:30"), "2026-11-23")).toBe("2026-11-24");
    expect(dueDate(schedule, utc("2026-11-23T22:59"), "2026-11-23")).toBeNull();
  });

  // Europe/Paris springs forward on 2026-03-29 at 01:00 UTC: 02:00 CET becomes 03:00 CEST.
  it("posts a time skipped by spring forward once, when the gap ends (Europe/Paris)", () => {
    const schedule = daily("02:30", "Europe/Paris");
    expect(dueDate(schedule, utc("2026-03-29T00:59"), "2026-03-28")).toBeNull(); // 01:59 CET
    expect(dueDate(schedule, utc("2026-03-29T01:00"), "2026-03-28")).toBe("2026-03-29"); // 03:00 CEST
    expect(dueDate(schedule, utc("2026-03-29T01:30"), "2026-03-29")).toBeNull();
    expect(dueDate(schedule, utc("2026-03-29T21:59"), "2026-03-29")).toBeNull();
  });

  // America/New_York springs forward on 2026-03-08 at 07:00 UTC: 02:00 EST becomes 03:00 EDT.
  it("posts a time skipped by spring forward once, when the gap ends (America/New_York)", () => {
    const schedule = daily("02:30", "America/New_York");
    expect(dueDate(schedule, utc("2026-03-08T06:59"), "2026-03-07")).toBeNull(); // 01:59 EST
    expect(dueDate(schedule, utc("2026-03-08T07:00"), "2026-03-07")).toBe("2026-03-08"); // 03:00 EDT
    expect(dueDate(schedule, utc("2026-03-08T07:30"), "2026-03-08")).toBeNull();
  });

  // America/New_York falls back on 2026-11-01 at 06:00 UTC: 02:00 EDT becomes 01:00 EST,
  // so 01:30 happens at 05:30 UTC and again at 06:30 UTC.
  it("posts a time repeated by fall back once, at its first occurrence", () => {
    const schedule = daily("01:30", "America/New_York");
    expect(dueDate(schedule, utc("2026-11-01T05:29"), "2026-10-31")).toBeNull(); // 01:29 EDT
    expect(dueDate(schedule, utc("2026-11-01T05:30"), "2026-10-31")).toBe("2026-11-01"); // 01:30 EDT
    expect(dueDate(schedule, utc("2026-11-01T06:30"), "2026-11-01")).toBeNull(); // 01:30 EST
    expect(dueDate(schedule, utc("2026-11-01T06:45"), "2026-11-01")).toBeNull(); // 01:45 EST
  });

  it("still posts when back during the repeated hour, after the first 01:30 passed unseen", () => {
    // 01:10 EST: the wall clock reads before 01:30, but 01:30 EDT has passed.
    const schedule = daily("01:30", "America/New_York");
    expect(dueDate(schedule, utc("2026-11-01T06:10"), "2026-10-31")).toBe("2026-11-01");
  });

  it("throws on a stored zone that is not one", () => {
    expect(() => dueDate(daily("09:00", "Mars/Olympus"), utc("2026-11-24T08:00"), null)).toThrow(
      /Mars\/Olympus/,
    );
  });
});

describe("servedUntil", () => {
  const subscription = {
    time: "09:00",
    timeZone: "Europe/Paris",
    days: "every" as const,
    createdAt: "2026-11-24T10:00:00Z", // 11:00 in Paris: today's time had passed
  };
  const served = (channelServedAt: string | null, latestAt: string | null = null) =>
    servedUntil(subscription, { latestAt, channelServedAt });

  it("counts the day a new subscription was set up once its time had passed", () => {
    expect(served(null)).toBe("2026-11-24");
  });

  it("counts the day its channel last had a roundup when that is later, never earlier", () => {
    expect(served("2026-11-23T08:00:00Z")).toBe("2026-11-24"); // posted yesterday
    expect(served("2026-11-25T08:00:00Z")).toBe("2026-11-25");
  });

  it("goes by its latest roundup once it has one", () => {
    expect(served("2026-11-25T08:00:00Z", "2026-11-22T08:00:00Z")).toBe("2026-11-22");
  });
});

describe("nextRun", () => {
  it("is now when the roundup is due", () => {
    const now = utc("2026-11-24T10:00");
    expect(nextRun(daily("09:00", "Europe/Paris"), now, "2026-11-23")).toEqual(now);
    expect(nextRun(daily("09:00", "Europe/Paris"), now.getTime(), null)).toEqual(now);
  });

  it("is later today before the time, tomorrow once delivered", () => {
    const schedule = daily("09:00", "Europe/Paris");
    expect(nextRun(schedule, utc("2026-11-24T07:00"), "2026-11-23")).toEqual(
      utc("2026-11-24T08:00"),
    );
    expect(nextRun(schedule, utc("2026-11-24T09:00"), "2026-11-24")).toEqual(
      utc("2026-11-25T08:00"),
    );
  });

  it("skips the weekend on weekdays", () => {
    const schedule = weekdays("09:00", "Europe/Paris");
    const monday = utc("2026-11-30T08:00");
    expect(nextRun(schedule, utc("2026-11-27T09:00"), "2026-11-27")).toEqual(monday); // Friday
    expect(nextRun(schedule, utc("2026-11-28T12:00"), "2026-11-27")).toEqual(monday); // Saturday
    expect(nextRun(schedule, utc("2026-11-29T23:30"), "2026-11-27")).toEqual(monday); // Sunday night
  });

  it("keeps the local time across a DST change", () => {
    // 09:00 CET on Saturday is 08:00 UTC; 09:00 CEST on Sunday is 07:00 UTC.
    expect(nextRun(daily("09:00", "Europe/Paris"), utc("2026-03-28T09:00"), "2026-03-28")).toEqual(
      utc("2026-03-29T07:00"),
    );
    // A time the spring-forward night skips comes when the gap ends, 03:00 EDT.
    expect(
      nextRun(daily("02:30", "America/New_York"), utc("2026-03-07T12:00"), "2026-03-07"),
    ).toEqual(utc("2026-03-08T07:00"));
    // A time the fall-back night repeats comes at its first occurrence, 01:30 EDT.
    expect(
      nextRun(daily("01:30", "America/New_York"), utc("2026-10-31T12:00"), "2026-10-31"),
    ).toEqual(utc("2026-11-01T05:30"));
  });

  it("counts days from midnight, not from now's time of day, which a DST gap may skip", () => {
    // Scoresbysund's clocks go from 23:00 on Saturday 28 March 2026 to 00:00 on Sunday: on
    // Friday at 23:30 "tomorrow at 23:30" does not exist, and Saturday was skipped for Sunday.
    const friday2330 = utc("2026-03-28T01:30");
    expect(localDate(friday2330, "America/Scoresbysund")).toBe("2026-03-27");
    expect(nextRun(daily("09:00", "America/Scoresbysund"), friday2330, "2026-03-27")).toEqual(
      utc("2026-03-28T11:00"),
    );
  });

  it("takes the date's last minute for a time in a DST gap that runs to its end", () => {
    // Nuuk's clocks go from 23:00 on Saturday 28 March 2026 to 00:00 on Sunday: 23:30 was
    // read as Sunday 00:30, on Sunday's date, so Saturday's roundup never came due.
    const saturdayNoon = utc("2026-03-28T14:00");
    const schedule = daily("23:30", "America/Nuuk");
    const next = nextRun(schedule, saturdayNoon, "2026-03-27");
    expect(formatLocal(next, "America/Nuuk")).toBe("Sat 28 Mar 2026, 22:59 (America/Nuuk)");
    expect(dueDate(schedule, next, "2026-03-27")).toBe("2026-03-28");
  });

  it("agrees with dueDate: not due a minute before the next run, due at it", () => {
    const cases: [Schedule, string][] = [
      [weekdays("09:00", "Europe/Paris"), "2026-11-27T09:00"],
      [daily("02:30", "Europe/Paris"), "2026-03-28T03:00"],
      [daily("01:30", "America/New_York"), "2026-10-31T12:00"],
      [daily("09:00", "Pacific/Chatham"), "2026-07-14T21:00"],
      [daily("23:30", "America/Nuuk"), "2026-03-27T14:00"],
    ];
    for (const [schedule, now] of cases) {
      const last = localDate(utc(now), schedule.timeZone);
      const next = nextRun(schedule, utc(now), last);
      expect(dueDate(schedule, next.getTime() - 60_000, last)).toBeNull();
      expect(dueDate(schedule, next, last)).not.toBeNull();
    }
  });
});

describe("formatLocal", () => {
  it("shows the instant on the zone's clock, naming the zone", () => {
    expect(formatLocal(utc("2026-11-24T08:00"), "Europe/Paris")).toBe(
      "Tue 24 Nov 2026, 09:00 (Europe/Paris)",
    );
    expect(formatLocal(utc("2026-11-23T23:30"), "Asia/Tokyo")).toBe(
      "Tue 24 Nov 2026, 08:30 (Asia/Tokyo)",
    );
    expect(formatLocal(utc("2026-07-14T20:15").getTime(), "Pacific/Chatham")).toBe(
      "Wed 15 Jul 2026, 09:00 (Pacific/Chatham)",
    );
  });
});
