import { createInterface } from "node:readline";
import { UserError } from "../errors.ts";
import type { Paperboy } from "../paperboy.ts";
import {
  maxSearchLimit,
  type SearchField,
  type SearchHit,
  type SearchResult,
} from "../search/engine.ts";
import { abstractHighlights, snippet } from "../search/snippet.ts";
import type { NamedPaper } from "../store/papers.ts";
import { grouped, paperDate, truncate } from "../text/format.ts";
import { commandArgs, type Io, type Options } from "./args.ts";
import { noPapersIn, renderSegments } from "./output.ts";
import { formatPaper } from "./show.ts";

const fields: readonly SearchField[] = ["all", "title", "abstract"];

export const searchOptions = {
  limit: { type: "string" },
  field: { type: "string" },
  json: { type: "boolean" },
  stdin: { type: "boolean" },
} as const satisfies Options;

export async function runSearch(app: Paperboy, args: string[], io: Io): Promise<number> {
  const { values, positionals } = commandArgs(args, searchOptions);
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxSearchLimit)
    throw new UserError(`--limit: expected a whole number from 1 to ${maxSearchLimit}`);
  const field = (values.field ?? "all") as SearchField;
  if (!fields.includes(field)) throw new UserError(`--field: expected one of ${fields.join(", ")}`);
  const options = { limit, field };

  if (values.stdin) {
    // Words given too would be dropped without a word; text answers would run together.
    if (positionals.length > 0) {
      throw new UserError(
        `search: the query comes from stdin with --stdin, one per line; "${truncate(positionals.join(" "), 40)}" is not read then`,
      );
    }
    if (!values.json) {
      throw new UserError("search --stdin: add --json, for one JSON line per input line");
    }
    // One JSON line per query line, in order, so a script can zip input and output.
    let first = true;
    for await (const line of createInterface({
      input: io.stdin,
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      if (!io.stdout.writable) break; // the reader has gone (`| head`): nobody reads the rest
      // Notepad and PowerShell start a file or a pipe with a byte order mark: it was echoed as
      // part of the first query. Only there: elsewhere it is the text's own.
      const query = first ? line.replace(/^\uFEFF/u, "") : line;
      first = false;
      io.stdout.write(`${JSON.stringify(searchToJson(app, query, options))}\n`);
    }
    return 0;
  }
  const query = positionals.join(" ");
  if (values.json) {
    const answer = searchToJson(app, query, options);
    io.stdout.write(`${JSON.stringify(answer)}\n`);
    // The same mistake fails the run as it does without --json (one bad line of --stdin does not).
    return answer.error === undefined ? 0 : 2;
  }
  const named = app.papers.namedIn(query);
  if (named) {
    io.stdout.write(namedPaper(app, named));
    return 0;
  }
  const result = app.search(query, options);
  const shown = { tty: io.stdout.isTTY === true, venueOf: (id: number) => venueOf(app, id) };
  io.stdout.write(formatResult(result, shown, () => noPapersIn(app)));
  return 0;
}

/**
 * A pasted arXiv id or link, alone or among other words, names one paper, shown as `paperboy
 * show` shows it (as /search opens it): searched as words, "2401.00001" matched nothing, and
 * "https://arxiv.org/abs/…" abstracts with "https" and "org" in them (see papers.namedIn).
 * `--json` keeps its one format, hits of words.
 */
function namedPaper(app: Paperboy, { ref, paper }: NamedPaper): string {
  if (paper) return formatPaper(app, paper);
  const why =
    noPapersIn(app) ?? "search looks for words of titles and abstracts, like graph neural networks";
  return `No paper in the archive has the id or link "${truncate(ref, 100)}"; ${why}.\n`;
}

/** One line of `search --json`: always these keys, and `error` when the query was a mistake. */
interface JsonAnswer {
  query: string;
  corrections: SearchResult["corrections"];
  unmatched: SearchResult["unmatched"];
  results: JsonHit[];
  error?: string;
}

type JsonHit = Pick<
  SearchHit,
  "id" | "arxivId" | "title" | "score" | "matchedIn" | "matchedWords" | "published" | "upvotes"
> & { venue: string | null };

function searchToJson(
  app: Paperboy,
  query: string,
  options: { limit: number; field: SearchField },
): JsonAnswer {
  try {
    const result = app.search(query, options);
    return {
      query,
      corrections: result.corrections,
      unmatched: result.unmatched,
      results: result.hits.map((hit) => ({
        id: hit.id,
        arxivId: hit.arxivId,
        title: hit.title,
        score: hit.score,
        matchedIn: hit.matchedIn,
        matchedWords: hit.matchedWords,
        published: hit.published,
        upvotes: hit.upvotes,
        // Added last, so that the keys before it stay where scripts found them.
        venue: venueOf(app, hit.id),
      })),
    };
  } catch (error) {
    if (error instanceof UserError)
      return { query, corrections: [], unmatched: [], results: [], error: error.message };
    throw error;
  }
}

/**
 * Where a hit was published, from its paper: the search index knows nothing of venues, and
 * they are asked for only of the few hits shown.
 */
const venueOf = (app: Paperboy, id: number): string | null => app.papers.get(id)?.venue ?? null;

/**
 * `emptyArchive`, asked only when nothing matched: why, when the archive has no papers. Each
 * hit's date as /paper shows it (`venueOf`: a conference paper's January 1st is its year).
 */
function formatResult(
  result: SearchResult,
  { tty, venueOf }: { tty: boolean; venueOf: (id: number) => string | null },
  emptyArchive: () => string | undefined,
): string {
  const lines: string[] = [];
  for (const { from, to } of result.corrections)
    lines.push(`(read "${from}" as ${to.map((t) => `"${t}"`).join(" or ")})`);
  // With no hits, "No papers match" says it all.
  if (result.unmatched.length && result.hits.length)
    lines.push(`(no paper has ${result.unmatched.map((w) => `"${w}"`).join(", ")})`);
  // Any length is searched; a 5,000-character paste is not echoed whole.
  if (result.hits.length === 0) {
    const empty = emptyArchive();
    lines.push(`No papers match "${truncate(result.query, 100)}"${empty ? `: ${empty}` : ""}.`);
  }
  result.hits.forEach((hit, i) => {
    const meta = [
      paperDate(hit.published, venueOf(hit.id)),
      hit.upvotes ? `▲ ${grouped(hit.upvotes)}` : null,
      hit.arxivId ? `arXiv:${hit.arxivId}` : null,
      `id ${hit.id}`,
    ]
      .filter(Boolean)
      .join(" · ");
    lines.push(
      `${String(i + 1).padStart(2)}. ${renderSegments(snippet(hit.title, hit.titleRanges, 300), tty)}`,
    );
    lines.push(`    ${meta} · matched in ${hit.matchedIn} · score ${hit.score.toFixed(3)}`);
    const highlights = abstractHighlights(hit, result.corrections);
    lines.push(`    ${renderSegments(snippet(hit.abstract, highlights, 150), tty)}`);
  });
  return `${lines.join("\n")}\n`;
}
