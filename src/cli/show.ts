import { UserError } from "../errors.ts";
import type { Paperboy } from "../paperboy.ts";
import {
  leftLine,
  namesArxivPaper,
  type Paper,
  type PaperSource,
  paperRefId,
} from "../store/papers.ts";
import { count, formatBytes, grouped, paperDate, truncate } from "../text/format.ts";
import { commandArgs, type Io, type Options } from "./args.ts";
import { noPapersIn } from "./output.ts";

export function runShow(app: Paperboy, args: string[], io: Io): number {
  const { positionals } = commandArgs(args, {}, { positionals: 1 });
  const ref = positionals[0];
  if (!ref) throw new UserError("show: give a paper id (from `paperboy search`) or an arXiv id");
  const paper = app.papers.lookup(ref);
  if (!paper) throw new UserError(`show: ${notFound(app, ref.trim())}`);
  io.stdout.write(formatPaper(app, paper));
  return 0;
}

/** Why `show` found no paper for `ref`, as what it was read as. */
function notFound(app: Paperboy, ref: string): string {
  const empty = noPapersIn(app);
  const why = empty ?? "find one with `paperboy search <words>`";
  if (namesArxivPaper(ref))
    return `no paper in the archive has the arXiv id or link "${ref}"; ${why}`;
  if (/^\d+$/.test(ref) || paperRefId(ref) !== undefined) return `no paper with id ${ref}; ${why}`;
  // Words, most likely meant for search: "no paper with id graph" said nothing of where to look.
  return (
    empty ??
    `"${truncate(ref, 100)}" is no paper id (a number, as \`paperboy search\` shows) nor an arXiv id or link; to find papers by their words: paperboy search ${truncate(ref, 100)}`
  );
}

/** Where a file has the paper, or that it no longer does (a line past the file's end misled). */
const sourceLine = (source: PaperSource) =>
  source.line === leftLine ? `${source.path} (no longer in it)` : `${source.path}:${source.line}`;

/** One paper as `paperboy show` prints it: title, its fields, the files it came from, abstract. */
export function formatPaper(app: Paperboy, paper: Paper): string {
  const sources = app.papers.sources(paper.id);
  const indent = " ".repeat("first seen: ".length); // the longest label, then a space
  const fields = [
    ["id", String(paper.id)],
    ["arXiv", paper.arxivId],
    ["authors", paper.authors ?? (paper.authorsCount ? count(paper.authorsCount, "author") : null)],
    ["date", paperDate(paper.published, paper.venue)],
    ["venue", paper.venue],
    ["upvotes", paper.upvotes === null ? null : grouped(paper.upvotes)],
    ["first seen", paper.firstSeen],
    ["sources", sources.map(sourceLine).join(`\n${indent}`) || null],
  ];
  const lines = [
    paper.title,
    "",
    ...fields
      .filter(([, value]) => value)
      .map(([label, value]) => `${`${label}:`.padEnd(indent.length)}${value}`),
    "",
    paper.abstract,
  ];
  return `${lines.join("\n")}\n`;
}

export const statsOptions = { json: { type: "boolean" } } as const satisfies Options;

export function runStats(app: Paperboy, args: string[], io: Io): number {
  const { values } = commandArgs(args, statsOptions, { positionals: 0 });
  const stats = app.stats();
  if (values.json) {
    io.stdout.write(`${JSON.stringify(stats)}\n`);
    return 0;
  }
  io.stdout.write(
    `${[
      `papers:       ${stats.papers}`,
      `sources:      ${stats.sources} (${count(stats.pages, "Daily Papers page")})`,
      `last ingest:  ${stats.lastIngest ?? "never"}`,
      `vocabulary:   ${stats.vocabulary} words`,
      `search index: ${formatBytes(stats.indexBytes)}`,
      `database:     ${formatBytes(stats.databaseBytes)}`,
    ].join("\n")}\n`,
  );
  return 0;
}
