import type { Segment } from "../search/snippet.ts";

/** Matched words in bold on a terminal, between asterisks when piped. */
export function renderSegments(segments: Segment[], tty: boolean): string {
  return segments
    .map(({ text, match }) => (match ? (tty ? `\x1b[1m${text}\x1b[22m` : `*${text}*`) : text))
    .join("");
}

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
