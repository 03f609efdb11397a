import type { Paperboy } from "../paperboy.ts";
import type { Segment } from "../search/snippet.ts";

/** Matched words in bold on a terminal, between asterisks when piped. */
export function renderSegments(segments: Segment[], tty: boolean): string {
  return segments
    .map(({ text, match }) => (match ? (tty ? `\x1b[1m${text}\x1b[22m` : `*${text}*`) : text))
    .join("");
}

/**
 * Why a search or show found nothing when the database has no papers at all: --db or
 * PAPERBOY_DB naming another database than the one loaded, or none loaded yet. "No papers
 * match" sent the operator to try other words, as it did members on Discord.
 */
export function noPapersIn(app: Paperboy): string | undefined {
  if (app.papers.recent(1).length > 0) return undefined;
  return `the archive in ${app.db.name} has no papers yet; load some with \`paperboy ingest <files or folders>\`, or check --db/PAPERBOY_DB`;
}
