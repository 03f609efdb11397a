/**
 * "1 result", "41,710 papers": a number with its noun in the right number, grouped
 * in thousands as /stats shows it, so the console and the bot give one figure one way.
 */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? noun : plural}`;
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
 * `text` cut to `max` characters, the cut marked with "…": between two characters, never
 * between the halves of one beyond the BMP (an emoji, a math letter such as 𝒪). A lone half
 * is no text Discord can store: an autocomplete list or roundup message with one fails.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, charBoundary(text, max - 1)).trimEnd()}…`;
}

/**
 * A place to cut `text` at: `at`, or one before it when `at` falls between the halves of a
 * character beyond the BMP (see truncate), so that the cut keeps that character whole.
 */
export function charBoundary(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
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
