import { basename } from "node:path";
import {
  type APIActionRowComponent,
  type APIEmbed,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { SearchHit } from "../search/engine.ts";
import { abstractHighlights, type Segment, snippet } from "../search/snippet.ts";
import { leftLine, type Paper, type PaperSource } from "../store/papers.ts";
import { count, cutTo, grouped, paperDate, truncate } from "../text/format.ts";
import { normalizeWhitespace } from "../text/normalize.ts";
import { bareLinkSpans, limits, plain, wholeItemsWithin } from "./limits.ts";
import { type PaperIdentity, titlesApart } from "./titles-apart.ts";
import type { Reply } from "./types.ts";

export const brandColor = 0x5865f2;

/** The arXiv abstract page when the id is known, otherwise an arXiv search for the title. */
export function paperUrl(paper: Pick<Paper, "arxivId" | "title">): string {
  return paper.arxivId
    ? `https://arxiv.org/abs/${paper.arxivId}`
    : `https://arxiv.org/search/?searchtype=title&query=${urlEncode(searchedTitle(paper.title))}`;
}

/**
 * Enough of a title to find it: Discord refuses an embed whose URL is over 2,048
 * characters, and a long title in another script is up to 9 characters a letter encoded.
 * Cut by code points, as a lone half of a surrogate pair cannot be encoded.
 */
function searchedTitle(title: string): string {
  const letters = Array.from(title);
  return letters.length <= 150 ? title : letters.slice(0, 150).join("");
}

/**
 * encodeURIComponent, plus the characters it leaves alone that mean something in
 * Discord markdown: the URL sits in `[title](url)`, where a title's ")" ended the
 * link early and its "*" or "~" then formatted the text after it.
 */
function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Matched words in bold, everything else escaped so paper text renders as text. A match in a
 * bare link stays as it is: Discord reads a link before any markdown, so `**` there became
 * part of it, and "https://github.com/VITA-Group/**M3ViT**" went to a page that is not there.
 * The text around and in a link is escaped in one piece, for plain() to find the link whole.
 */
function boldMatches(segments: Segment[]): string {
  const links = bareLinkSpans(segments.map((segment) => segment.text).join(""));
  const inLink = (start: number, end: number) => links.some(([a, b]) => start < b && end > a);
  const parts: Segment[] = [];
  let at = 0;
  for (const { text, match } of segments) {
    const bold = match && !inLink(at, at + text.length);
    at += text.length;
    const last = parts.at(-1);
    if (last && !last.match && !bold) last.text += text;
    else parts.push({ text, match: bold });
  }
  return parts.map(({ text, match }) => (match ? `**${plain(text)}**` : plain(text))).join("");
}

/**
 * The paper's own date; failing that, the date of the earliest listing it was on, named as
 * such: a 2020 paper on a 2026 listing was not published in 2026. The earliest, not the first
 * page by name: "Benchmarking Graph Neural Networks" said "Listed: 2026-07-04", its file named
 * before that of its listing of 2026-05-08.
 */
function dateField(paper: Paper, sources: PaperSource[]): { name: string; value: string | null } {
  if (paper.published) return { name: "Date", value: paperDate(paper.published, paper.venue) };
  const listed = sources.flatMap((s) => (s.pageDate ? [s.pageDate] : [])).sort();
  return { name: "Listed", value: listed[0] ?? null };
}

/**
 * The authors, or their number when only that is known. A list too long for a field ends
 * after the last whole name that fits, with how many there are in all: a name cut off
 * ("Paul Kish…") is no one's, and "…" alone hid that 212 wrote the paper.
 */
function authorsValue({ authors, authorsCount }: Paper): string | null {
  if (!authors) return authorsCount ? count(authorsCount, "author") : null;
  const names = plain(authors);
  if (names.length <= limits.fieldValue) return names;
  const more = ` … (${count(authorsCount ?? authors.split(", ").length, "author")})`;
  const fits = limits.fieldValue - more.length;
  const end = names.lastIndexOf(", ", fits);
  // One name longer than the field is cut as truncate cuts, not in 𝒪 or after an escape's "\".
  return `${end > 0 ? names.slice(0, end) : cutTo(names, fits)}${more}`;
}

/**
 * The pages a paper was found on, one a line: as many as fit in a field, then how many
 * more, rather than a page's name cut off with no word of the rest.
 */
function pagesValue(sources: PaperSource[]): string | null {
  // A file's name, which the operator chose, is cleaned of control characters as paper text is.
  const lines = sources.map((s) =>
    plain(
      `${normalizeWhitespace(basename(s.path))}${s.pageDate ? ` (${s.pageDate})` : ""}${s.line === leftLine ? ", no longer in it" : ""}`,
    ),
  );
  if (lines.length === 0) return null;
  return wholeItemsWithin(lines, limits.fieldValue, (rest) => `… and ${count(rest, "more page")}`);
}

export function paperEmbed(paper: Paper, sources: PaperSource[]): APIEmbed {
  const fields = [
    { name: "Authors", value: authorsValue(paper) },
    dateField(paper, sources),
    { name: "Venue", value: paper.venue && truncate(plain(paper.venue), limits.fieldValue) },
    { name: "Upvotes", value: paper.upvotes === null ? null : grouped(paper.upvotes) },
    { name: "arXiv", value: paper.arxivId ? `[${paper.arxivId}](${paperUrl(paper)})` : null },
    { name: "Found on", value: pagesValue(sources) },
  ].flatMap(({ name, value }) =>
    value ? [{ name, value, inline: name !== "Found on" && name !== "Authors" }] : [],
  );
  return {
    title: truncate(plain(paper.title), limits.embedTitle),
    url: paperUrl(paper),
    description: truncate(plain(paper.abstract), 3000), // leaves room for fields within 6,000 in all
    fields,
    color: brandColor,
    footer: { text: `Paperboy id ${paper.id}` },
  };
}

export const resultsPerPage = 5;

export interface ResultsPage {
  sessionId: string;
  query: string;
  hits: SearchHit[];
  page: number;
  pageCount: number;
  total: number;
  corrections: { from: string; to: string[] }[];
  /** Words that played no part (see SearchResult.unmatched). */
  unmatched: string[];
}

/** One page of search results: an embed, Prev/Next buttons and an "open a paper" menu. */
export function resultsReply(view: ResultsPage): Reply {
  const first = view.page * resultsPerPage;
  const lines = view.hits.map((hit, i) => {
    const title = truncate(plain(hit.title), 200);
    const where = hit.matchedIn === "both" ? "title and abstract" : hit.matchedIn;
    const excerpt = boldMatches(
      snippet(
        hit.abstract,
        abstractHighlights(hit, view.corrections),
        180,
        bareLinkSpans(hit.abstract),
      ),
    );
    return `**${first + i + 1}.** [${title}](${paperUrl(hit)})\n${excerpt}\n-# matched in ${where}`;
  });
  const read = view.corrections.map((c) => `“${c.from}” as “${c.to.join("” or “")}”`).join(", ");
  const footer = [
    `Page ${view.page + 1} of ${view.pageCount}`,
    count(view.total, "result"),
    // How to keep a word from being read so, where a reader needs it: a correction may be wrong.
    read && `read ${read} (a word in quotes is kept as typed)`,
    view.unmatched.length && `no paper has ${view.unmatched.map((w) => `“${w}”`).join(", ")}`,
  ]
    .filter(Boolean)
    .join(" · ");
  return {
    embeds: [
      {
        title: truncate(`Search: ${plain(view.query)}`, limits.embedTitle),
        // Whole results: a title's link of up to 1,800 characters (see searchedTitle) cut
        // short showed its markdown, and the results after it were missing from the page.
        description: wholeItemsWithin(
          lines,
          limits.embedDescription,
          (rest) => `… and ${rest} more too long to show here: open them from the menu`,
          "\n\n",
        ),
        color: brandColor,
        footer: { text: truncate(footer, limits.footer) },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          pageButton(view, view.page - 1, "◀ Prev", view.page === 0),
          pageButton(view, view.page + 1, "Next ▶", view.page + 1 >= view.pageCount),
        ],
      },
      paperMenu("search:open", view.hits, (hit) => hit, first + 1),
    ],
  };
}

/**
 * An "Open a paper…" menu: each option a paper's title (numbered from `first`, when given, as
 * the results it opens are), those that read alike told apart (see titlesApart), its value the
 * paper's id.
 */
export function paperMenu<P extends { id: number; title: string }>(
  customId: string,
  papers: readonly P[],
  identity: (paper: P) => PaperIdentity | undefined,
  first?: number,
): APIActionRowComponent<APIStringSelectComponent> {
  const shown = papers.slice(0, limits.selectOptions);
  const numbered = first === undefined ? undefined : (i: number) => `${first + i}. `;
  const labels = titlesApart(shown, limits.selectLabel, identity, numbered);
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: customId,
        placeholder: "Open a paper…",
        options: shown.map((paper, i) => ({ label: labels[i] as string, value: String(paper.id) })),
      },
    ],
  };
}

function pageButton(view: ResultsPage, page: number, label: string, disabled: boolean) {
  return {
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    custom_id: `search:page:${view.sessionId}:${page}`,
    label,
    disabled,
  };
}
