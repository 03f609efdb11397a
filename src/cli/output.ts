import type { Segment } from "../search/snippet.ts";

/** Matched words in bold on a terminal, between asterisks when piped. */
export function renderSegments(segments: Segment[], tty: boolean): string {
  return segments
    .map(({ text, match }) => (match ? (tty ? `\x1b[1m${text}\x1b[22m` : `*${text}*`) : text))
    .join("");
}
