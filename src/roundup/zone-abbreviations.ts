/**
 * Time-zone abbreviations people type for `timezone:`, and the places they mean, likeliest
 * first. A roundup follows a place's clock, summer time included, which an abbreviation does
 * not say: Intl takes "EST" as a fixed UTC−5 (America/Panama), so a New York roundup set to
 * it would come an hour late all summer, "BST" as Bangladesh, not British Summer Time, and
 * "AST" as Alaska, not Atlantic or Arabia time. Others ("EDT", "AEST") are no zone at all.
 * Each is refused with the places it may mean.
 *
 * Not here: the three-letter names Intl reads as the place nearly everyone typing them means,
 * summer time and all (PST → America/Los_Angeles, JST, HST, AET, AGT, BET, CAT, CNT, CTT, EAT,
 * IET, NET, PLT, PNT, PRT, VST), the zones named for a region's rules (CET, EET, WET, MET),
 * and UTC and GMT, which are UTC.
 */
export const placesByAbbreviation: Readonly<Record<string, readonly string[]>> = {
  // North America: Intl's EST and MST are fixed offsets, its CST Chicago (not China), its AST
  // Alaska and its NST New Zealand.
  EST: ["America/New_York", "America/Toronto"],
  AST: ["America/Halifax", "America/Puerto_Rico", "Asia/Riyadh"],
  ADT: ["America/Halifax"],
  NST: ["America/St_Johns", "Pacific/Auckland"],
  NDT: ["America/St_Johns"],
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
  // Europe: Intl's BST is Bangladesh, its ECT Paris (not Ecuador); the summer names are no zone.
  BST: ["Europe/London", "Asia/Dhaka"],
  IST: ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"],
  CEST: ["Europe/Paris", "Europe/Berlin"],
  EEST: ["Europe/Athens", "Europe/Helsinki"],
  WEST: ["Europe/Lisbon"],
  MSK: ["Europe/Moscow"],
  ECT: ["America/Guayaquil", "Europe/Paris"],
  // Asia and Oceania: Intl's SST is the Solomon Islands, its ACT Darwin alone.
  GST: ["Asia/Dubai"],
  PKT: ["Asia/Karachi"],
  ICT: ["Asia/Bangkok", "Asia/Ho_Chi_Minh"],
  WIB: ["Asia/Jakarta"],
  PHT: ["Asia/Manila"],
  KST: ["Asia/Seoul"],
  SGT: ["Asia/Singapore"],
  HKT: ["Asia/Hong_Kong"],
  AEST: ["Australia/Sydney", "Australia/Brisbane"],
  AEDT: ["Australia/Sydney", "Australia/Melbourne"],
  ACT: ["Australia/Darwin", "Australia/Adelaide", "Australia/Sydney"],
  ACST: ["Australia/Adelaide", "Australia/Darwin"],
  ACDT: ["Australia/Adelaide"],
  AWST: ["Australia/Perth"],
  NZST: ["Pacific/Auckland"],
  NZDT: ["Pacific/Auckland"],
  SST: ["Asia/Singapore", "Pacific/Pago_Pago", "Pacific/Guadalcanal"],
  MIT: ["Pacific/Apia"],
  // South America and Africa: Intl's ART is Egypt.
  BRT: ["America/Sao_Paulo"],
  ART: ["America/Buenos_Aires", "Africa/Cairo"],
  SAST: ["Africa/Johannesburg"],
  WAT: ["Africa/Lagos"],
};

/** The places an abbreviation typed as a time zone may mean, or undefined for anything else. */
export function placesAbbreviated(text: string): readonly string[] | undefined {
  const abbreviation = text.toUpperCase();
  return Object.hasOwn(placesByAbbreviation, abbreviation)
    ? placesByAbbreviation[abbreviation]
    : undefined;
}
