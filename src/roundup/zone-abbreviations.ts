/**
 * Time-zone abbreviations people type for `timezone:`, and the places they mean, likeliest
 * first. A roundup follows a place's clock, summer time included, which an abbreviation does
 * not say: Intl takes "EST" as a fixed UTC−5 (America/Panama), so a New York roundup set to
 * it would come an hour late all summer, and "BST" as Bangladesh, not British Summer Time.
 * Others ("EDT", "AEST") are no zone at all. Each is refused with the places it may mean.
 *
 * Not here: those Intl reads as the place nearly everyone typing them means, summer time
 * and all ("PST" → America/Los_Angeles, "CET", "JST"), and UTC and GMT, which are UTC.
 */
export const placesByAbbreviation: Readonly<Record<string, readonly string[]>> = {
  // North America: Intl's EST and MST are fixed offsets, its CST is Chicago (not China).
  EST: ["America/New_York", "America/Toronto"],
  EDT: ["America/New_York", "America/Toronto"],
  ET: ["America/New_York", "America/Toronto"],
  CST: ["America/Chicago", "Asia/Shanghai", "America/Mexico_City"],
  CDT: ["America/Chicago"],
  CT: ["America/Chicago"],
  MST: ["America/Denver", "America/Phoenix", "America/Edmonton"],
  MDT: ["America/Denver", "America/Edmonton"],
  MT: ["America/Denver"],
  PDT: ["America/Los_Angeles", "America/Vancouver"],
  PT: ["America/Los_Angeles", "America/Vancouver"],
  AKST: ["America/Anchorage"],
  AKDT: ["America/Anchorage"],
  // Europe: Intl's BST is Bangladesh; the summer names are no zone.
  BST: ["Europe/London", "Asia/Dhaka"],
  IST: ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"],
  CEST: ["Europe/Paris", "Europe/Berlin"],
  EEST: ["Europe/Athens", "Europe/Helsinki"],
  WEST: ["Europe/Lisbon"],
  MSK: ["Europe/Moscow"],
  // Asia and Oceania.
  KST: ["Asia/Seoul"],
  SGT: ["Asia/Singapore"],
  HKT: ["Asia/Hong_Kong"],
  AEST: ["Australia/Sydney", "Australia/Brisbane"],
  AEDT: ["Australia/Sydney", "Australia/Melbourne"],
  ACST: ["Australia/Adelaide", "Australia/Darwin"],
  AWST: ["Australia/Perth"],
  NZST: ["Pacific/Auckland"],
  NZDT: ["Pacific/Auckland"],
  // South America and Africa.
  BRT: ["America/Sao_Paulo"],
  ART: ["America/Buenos_Aires"],
  SAST: ["Africa/Johannesburg"],
  WAT: ["Africa/Lagos"],
  EAT: ["Africa/Nairobi"],
};

/** The places an abbreviation typed as a time zone may mean, or undefined for anything else. */
export function placesAbbreviated(text: string): readonly string[] | undefined {
  return Object.hasOwn(placesByAbbreviation, text.toUpperCase())
    ? placesByAbbreviation[text.toUpperCase()]
    : undefined;
}
