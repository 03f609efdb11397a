/**
 * "1 result", "41,710 papers": a number with its noun in the right number, grouped
 * in thousands as /stats shows it, so the console and the bot give one figure one way.
 */
export function count(n: number, noun: string): string {
  return `${grouped(n)} ${n === 1 ? noun : `${noun}s`}`;
}

/** "41,393": a number grouped in thousands, as count() gives it, where the noun stands apart. */
export function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

/** "644.0 KiB": a size in bytes, in the largest unit under 1,024 of it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * What someone typed, quoted in a reply as a code span: Discord shows the markdown, links
 * and mentions in it as the characters they are. (A span cannot hold a backtick: "ˋ" stands in.)
 */
export function asTyped(text: string): string {
  return `\`${text.replaceAll("`", "ˋ")}\``;
}

/**
 * `text` cut to `max` characters, the cut marked with "…": between two characters as they
 * read (see charBoundary), and never after the backslash of an escape (see withoutLoneEscape).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cutTo(text, max - 1)}…`;
}

/** The start of `text` that `truncate` keeps, at most `max` characters, for a cut marked otherwise. */
export function cutTo(text: string, max: number): string {
  return withoutLoneEscape(text.slice(0, charBoundary(text, max)).trimEnd());
}

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/**
 * A place to cut `text` at: `at`, or the start of the character `at` falls inside of, as a
 * reader sees characters. Half of one beyond the BMP (an emoji, a math letter such as 𝒪) is
 * no text Discord can store: an autocomplete list or roundup message with one failed. And
 * cut between its parts, a flag showed a letter in a box ("🇫"), a family one person, and a
 * "é" written as "e" and an accent lost the accent.
 */
export function charBoundary(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return at;
  // Two ASCII characters but CR LF are two characters as they read: most cuts, found at once.
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  if (before < 0x80 && after < 0x80 && !(before === 0x0d && after === 0x0a)) return at;
  // The segmenter copies what it is given: a window around the cut, not a 10 MB abstract
  // (each of a snippet's two cuts in one took 7 ms). Hardly a character as it reads is longer.
  const from = lowHalf(text, Math.max(0, at - graphemeWindow));
  const within = graphemes.segment(text.slice(from, at + graphemeWindow)).containing(at - from);
  return from + (within?.index ?? at - from);
}

/** Code units either side of a cut that the segmenter reads (see charBoundary). */
const graphemeWindow = 256;

/** `at`, or one after it when it falls between the halves of a character beyond the BMP. */
export function lowHalf(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at + 1 : at;
}

/**
 * `text` without the backslash of an escape it was cut inside of (an odd run of them at its
 * end): markdown escaped for Discord (`\*`) cut after its backslash showed "\…", as a
 * backslash before "…" escapes nothing.
 */
function withoutLoneEscape(text: string): string {
  let start = text.length;
  while (start > 0 && text[start - 1] === "\\") start--;
  return (text.length - start) % 2 ? text.slice(0, -1).trimEnd() : text;
}

/** A scheme's `//`, then anything up to an `@` before the host ends; not into a JSON escape. */
const urlCredentials = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@"\\]+@/gi;

/**
 * A URL's user:password (`https://user:pass@proxy/api`) taken out of `text` wherever it holds
 * one, for what is printed or logged: the URL itself stays recognisable.
 */
export function withoutUrlCredentials(text: string): string {
  return text.replace(urlCredentials, "$1[redacted]@");
}

/**
 * A paper's date as it can be said: the year alone when the date is January 1st and its venue
 * names that year ("NIPS 2017", "ICML'17"), for dumps of conference papers date each one to the
 * first day of its venue's year, and "2017-01-01" was a day no one published it on.
 */
export function paperDate(published: string | null, venue: string | null): string | null {
  const year = published?.endsWith("-01-01") ? published.slice(0, 4) : undefined;
  if (year === undefined || venue === null) return published;
  // A 4-digit year standing alone ("2017", "Phys.Rev.D76:013009,2007"), or two digits after an
  // apostrophe at the venue's end ("NIPS'17"): other numbers (volumes, pages) are no year.
  const years = [...venue.matchAll(/(?<!\d)(\d{4})(?!\d)/gu)].map((match) => match[1]);
  const short = /['’](\d{2})$/u.exec(venue)?.[1];
  return years.includes(year) || short === year.slice(2) ? year : published;
}
