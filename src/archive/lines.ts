import type { ParseWarning } from "./types.ts";

/** Lines of a text saved on any system: "\r\n" (Windows), "\n", or a lone "\r" (old Mac). */
export function splitLines(text: string): string[] {
  // Checking for "\r" first keeps the common case a plain, faster split.
  return text.includes("\r") ? text.split(/\r\n?|\n/u) : text.split("\n");
}

/**
 * 1-based line of the character at `offset`, for pointing a warning at a place found by
 * position. A caller that knows the line of an earlier place (`from`, on line `fromLine`)
 * counts from there: counting from the start of a big file for each of many warnings took
 * time quadratic in their number. Only the text between is read (indexOf would look past
 * `offset` for a line break a one-line file does not have).
 */
export function lineAt(text: string, offset: number, from = 0, fromLine = 1): number {
  let line = fromLine;
  for (let i = from; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The start of a possibly huge piece of text, short enough to quote in a warning. */
export function excerpt(text: string, length = 60): string {
  return text.length <= length ? text : `${text.slice(0, length).trimEnd()}…`;
}

export const endsEarlyMessage =
  "the file ends early: its last part is cut off (an interrupted download?); download it again";

/**
 * A file cut off before its end (an interrupted download), said at the line the cut fell
 * in, after the complete part was read.
 */
export function endsEarly(text: string): ParseWarning {
  return { line: lineAt(text, text.length), message: endsEarlyMessage };
}
