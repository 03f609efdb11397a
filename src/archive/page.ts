import { invisibleCharacters, tidyText } from "../text/normalize.ts";
import { isoDate, latestDate, latestDayOnEarth, monthNumber } from "./dates.ts";
import { excerpt, splitLines } from "./lines.ts";
import type { PaperRecord, ParsedSource, ParseWarning } from "./types.ts";

/*
 * A saved Hugging Face "Daily Papers" listing is page chrome ("new", "Get
 * trending papers…", "Subscribe", "byAK and the research community") ending
 * with the listing's date, then one title line and one abstract line per
 * paper. Some saves add "  • 9 authors" / "·" / "Dec 10 1" (date, upvotes)
 * after an abstract; some have no blank lines and no date, with the first
 * title glued to "Subscribe". Blank lines carry no meaning in any of them,
 * so they are dropped, and all three layouts read the same way; only in a
 * page saved with its lines wrapped do they end a title or abstract (see
 * `unwrapped`).
 */

interface Line {
  line: number;
  text: string;
}

/**
 * The archive's titles run to 151 characters (202 in the 41k corpus) and its
 * abstracts start at 499, so length alone tells them apart on real pages.
 */
const maxTitleLength = 300;
/** Two sentences, the last closed by a period: prose. No title of the 41k corpus reads like this. */
const prose = /\.\s.*\.$/u;

/** Whether a line could be a title rather than an abstract. */
function looksLikeTitle(text: string): boolean {
  return text.length <= maxTitleLength && !prose.test(text);
}

// "Dec 10", "Jun 29, 2024", and after an abstract an upvote count: "Nov 7, 2024 3". A count
// of thousands has separators ("Dec 10 1,234"): without them read, the line was taken for a
// title, and the paper lost its date and upvotes.
const dateLine = /^([A-Z][a-z]{2})\s+(\d{1,2})(?:,\s*(\d{4}))?(?:\s+(\d{1,3}(?:,\d{3})+|\d+))?$/u;
const authorsLine = /^•\s*(\d+)\s+authors?$/u;
const separatorLine = /^[·•]$/u;
const subscribeButton = /^Subscribe(?:\s|$)/u;
// Dense saves glue the first title to the button: "SubscribeFrameDiffuser: …".
const gluedTitle = /^Subscribe(\S.*)$/u;
/** The page's own lines before its papers, which any save of the whole listing keeps. */
const chromeLine =
  /^(?:new|Get trending papers in your email inbox\b.*|Subscribe|by ?AK and the research community|Daily Papers)$/u;

interface ShownDate {
  month: number;
  day: number;
  year?: number;
  upvotes?: number;
}

type Details = { authorsCount: number } | { date: ShownDate } | "separator";

function shownDate(text: string): ShownDate | undefined {
  const match = dateLine.exec(text);
  const month = match ? monthNumber(match[1] as string) : undefined;
  if (!match || month === undefined) return undefined;
  return {
    month,
    day: Number(match[2]),
    year: match[3] === undefined ? undefined : Number(match[3]),
    upvotes: match[4] === undefined ? undefined : Number(match[4].replaceAll(",", "")),
  };
}

/** A shown date as ISO; without a year, the latest such day not after `reference`. */
function resolveDate(date: ShownDate, reference: string): string | undefined {
  return date.year === undefined
    ? latestDate(date.month, date.day, reference)
    : isoDate(date.year, date.month, date.day);
}

/** The lines a paper's abstract may be followed by: author count, a "·", its date and upvotes. */
function details(text: string): Details | undefined {
  const authors = authorsLine.exec(text);
  if (authors) return { authorsCount: Number(authors[1]) };
  if (separatorLine.test(text)) return "separator";
  const date = shownDate(text);
  return date && { date };
}

/**
 * The author count and date on one line ("• 9 authors · Dec 10 1"), as a save that keeps them
 * inline writes them, as the lines of each. Read whole, it was taken for a title, and every
 * paper on the page was warned of and lost its details.
 */
function detailLines(line: Line): Line[] {
  const parts = line.text
    .split("·")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const inline = parts.length > 0 && parts.every((part) => details(part) !== undefined);
  return inline ? parts.map((text) => ({ line: line.line, text })) : [line];
}

function isDetail(line: Line): boolean {
  return details(line.text) !== undefined;
}

/**
 * A page saved as text by a browser (Firefox's Save Page As, Text Files) or a text browser
 * (lynx or w3m -dump) has its paragraphs wrapped at 80 columns or so: a title or abstract
 * is lines of its own, with no blank line between. Such a paragraph is joined back into one
 * line (`wasWrapped`); the lines of any other stay as they are (the dense layout, a blank line
 * missing after a title).
 */
function unwrapped(body: Line[]): Line[] {
  return paragraphs(body).flatMap((paragraph) =>
    wasWrapped(paragraph) ? [joined(paragraph)] : paragraph,
  );
}

/**
 * Whether a paragraph is one text wrapped: its lines short as a title, each but the last too
 * full for the next one's first word. Short lines alone were not enough: a title and an
 * abstract under 300 characters with no blank line between (the dense layout, or one
 * missing) were joined into a title without an abstract. The width wrapped at is that of the
 * longest line with a space: a word longer than it (a link) is a line of its own, past it.
 */
function wasWrapped(paragraph: Line[]): boolean {
  if (paragraph.some((line) => line.text.length > maxTitleLength)) return false;
  const width = Math.max(
    0,
    ...paragraph.filter((line) => line.text.includes(" ")).map((line) => columns(line.text)),
  );
  return paragraph.every((line, index) => {
    const next = paragraph[index + 1];
    return next === undefined || columns(line.text) + 1 + columns(firstWord(next)) > width;
  });
}

const firstWord = (line: Line) => line.text.split(" ", 1)[0] as string;
/** Characters as a wrapper counts them: "𝛼" is one, two UTF-16 units. */
const columns = (text: string) => [...text].length;

/** Runs of lines with no blank line between; an author count or date line is one of its own. */
function paragraphs(body: Line[]): Line[][] {
  const runs: Line[][] = [];
  body.forEach((current, index) => {
    const previous = body[index - 1];
    const run = runs.at(-1);
    const follows = previous !== undefined && current.line === previous.line + 1;
    if (run && follows && !isDetail(previous) && !isDetail(current)) run.push(current);
    else runs.push([current]);
  });
  return runs;
}

/**
 * Wrapped lines as one, at the first one's line. A line ending in a hyphen after a letter was
 * broken inside a word ("Order-" "Preserving"), as browsers wrap; "task- and" is far rarer.
 */
function joined(paragraph: Line[]): Line {
  const text = paragraph
    .map((line) => line.text)
    .reduce((text, next) => (/\w-$/u.test(text) ? `${text}${next}` : `${text} ${next}`));
  return { line: (paragraph[0] as Line).line, text };
}

/**
 * The number `lynx -dump` puts before a link's text ("[7]Order-Preserving GFlowNets",
 * "[4]Subscribe"), for its address in the list at the end. Kept, it was in every title, and
 * each paper was stored twice beside the same listing saved by a browser.
 */
const lynxLinkNumber = /^\[\d+\](?=\S)/u;

/** A web page's source, as `curl` or a save as "HTML only" writes it: its doctype or tag first. */
const htmlSource = /^\s*<(?:!doctype\s+html|html)[\s>]/iu;

/**
 * What a .txt of a page's HTML gets: its tags were read as papers ("<title>Daily Papers -
 * Hugging Face</title>", its abstract a "<script>"), and roundups would post them.
 */
const htmlPage: ParseWarning = {
  line: 1,
  message:
    "the page's HTML, not its text: open it in a browser and save it as text (Firefox: Save Page As, Text Files), or copy its text into the file; nothing read",
};

export function parsePage(text: string, now: Date): ParsedSource {
  if (htmlSource.test(text)) {
    return { format: "page", pageDate: undefined, records: [], warnings: [htmlPage] };
  }
  // trim() also drops the "\r" of "\r\n" and trailing spaces. Invisible characters go before
  // the lines are read: copied from a web page, a blank line holding a zero-width space read as
  // a title, putting every line after it out of step (titles read as abstracts), and titles of
  // one alone made 49 papers one.
  const lines = splitLines(text)
    .map((content, index) => ({
      line: index + 1,
      text: content.replace(invisibleCharacters, "").trim().replace(lynxLinkNumber, ""),
    }))
    .filter((line) => line.text !== "")
    .flatMap(detailLines);
  const today = latestDayOnEarth(now);
  const warnings: ParseWarning[] = [];
  const pages = readPages(lines, today, warnings);
  const first = pages[0] as SavedPage;
  const records = pages.flatMap((page) => page.records);
  if (!first.listing && !readsLikeListing(records)) {
    return { format: "page", pageDate: undefined, records: [], warnings: [notAPage] };
  }
  return { format: "page", pageDate: first.pageDate, records, warnings };
}

/**
 * The pages of a file that several were pasted into, one after another, each from its header
 * on: the page's own lines after an abstract start the next. Read as papers of the first, a
 * header was a paper ("Get trending papers…", its abstract "Subscribe"), and the dates under
 * the next page's papers were read as of the first page's date.
 */
function savedPages(lines: Line[]): Line[][] {
  const pages: Line[][] = [[]];
  let papers = false;
  lines.forEach((line, at) => {
    if (papers && startsPage(lines, at)) {
      pages.push([]);
      papers = false;
    }
    pages.at(-1)?.push(line);
    papers ||= !looksLikeTitle(line.text);
  });
  return pages;
}

/** The page's own lines that could be a paper's title too: "new", "Subscribe", "Daily Papers". */
const shortChromeLine = /^(?:new|Subscribe|Daily Papers)$/u;

/**
 * Whether the line at `at` begins a page's header: one of its own lines, and when it is one a
 * paper could be titled, with another of them or the listing's date next. A paper titled
 * "Subscribe" or "new" was cut off with the rest of its page as a page of its own.
 */
function startsPage(lines: Line[], at: number): boolean {
  const text = lines[at]?.text ?? "";
  if (!chromeLine.test(text)) return false;
  if (!shortChromeLine.test(text)) return true;
  const next = lines[at + 1]?.text ?? "";
  return chromeLine.test(next) || gluedTitle.test(next) || shownDate(next) !== undefined;
}

/**
 * The file's pages, read: as pages pasted one after another (`savedPages`) only when the first
 * is a listing's. Notes naming the listing's own lines after some prose ("Daily Papers" as a
 * heading) were cut there, and the rest, read as a listing, made papers of their paragraphs:
 * notes are read whole, to be told from a listing saved without its header.
 */
function readPages(lines: Line[], today: string, warnings: ParseWarning[]): SavedPage[] {
  const [head, ...others] = savedPages(lines) as [Line[], ...Line[][]];
  const firstWarnings: ParseWarning[] = [];
  const first = readSavedPage(head, today, firstWarnings);
  if (!first.listing && others.length > 0) return [readSavedPage(lines, today, warnings)];
  warnings.push(...firstWarnings);
  return [first, ...others.map((page) => readSavedPage(page, today, warnings))];
}

interface SavedPage {
  pageDate: string | undefined;
  /** Whether it has the listing's own lines or paper details, which notes have not. */
  listing: boolean;
  records: PaperRecord[];
}

/** One saved page's papers, dated from its own header. */
function readSavedPage(lines: Line[], today: string, warnings: ParseWarning[]): SavedPage {
  const header = readHeader(lines, today, warnings);
  const listing = header.chrome || header.body.some(isDetail);
  // Notes wrap their lines too: joined, their paragraphs would read like abstracts.
  const body = listing ? withoutFooter(unwrapped(header.body), warnings) : header.body;
  // A date without a year was recent when the page was saved: the page's own date is the better reference.
  const records = readPapers(body, header.pageDate ?? today, warnings);
  return { pageDate: header.pageDate, listing, records };
}

/** The most words a link of the site has ("System theme"); a title or abstract has more. */
const linkWords = 3;

/**
 * The page without the links after its last abstract or paper details: a page saved whole
 * (Save Page As, or all of it copied) ends with the site's ("System theme", "Company",
 * "TOS", "Privacy"…), which were read as papers, each the next one's abstract. One line
 * alone is left to be reported as a title cut off.
 */
function withoutFooter(body: Line[], warnings: ParseWarning[]): Line[] {
  const end = body.findLastIndex((line) => !looksLikeTitle(line.text) || isDetail(line)) + 1;
  const footer = body.slice(end);
  const links = footer.every((line) => line.text.split(/\s+/u).length <= linkWords);
  if (end === 0 || footer.length < 2 || !links) return body;
  const [first] = footer as [Line];
  warnings.push({
    line: first.line,
    message: `"${excerpt(first.text)}" and the ${footer.length - 1} lines after it are links, not papers (the page's footer); skipped`,
  });
  return body.slice(0, end);
}

/** Abstracts shorter than this, in the middle of a file's, are lines of notes, not abstracts. */
const shortestListingAbstracts = 200;

/**
 * Whether text that has none of the page's chrome nor author or date lines is still a
 * listing: one saved without its header, or from a redesigned site. Its abstracts are whole
 * on a line: in the middle, 1,000 characters in the 41k corpus, and 363 for the shortest
 * hundredth. Notes and READMEs wrap their lines at under 100.
 */
function readsLikeListing(records: PaperRecord[]): boolean {
  // Nothing read either way: one line of notes ("hello notes") was said to be a title without
  // an abstract, as if it were a listing cut short.
  if (records.length === 0) return false;
  const lengths = records.map((paper) => paper.abstract.length).sort((a, b) => a - b);
  return (lengths[Math.floor(lengths.length / 2)] as number) >= shortestListingAbstracts;
}

/**
 * What a .txt file that is no listing gets: notes or a README in the archive folder made
 * hundreds of papers out of its short and long lines, and roundups posted them.
 */
const notAPage: ParseWarning = {
  line: 1,
  message:
    'not a saved Daily Papers page (none of its lines: "Subscribe", "Get trending papers…", a date like "Jul 4", "• 9 authors"; no abstracts whole on a line); nothing read',
};

/**
 * Finds where the papers begin without matching each piece of chrome: the
 * header ends at the listing's date or, without one, at "Subscribe" or the
 * last of the listing's own lines after it ("Daily Papers", "byAK and the
 * research community": ending at the button made them a paper). A page
 * with none starts with its first title, the line before the first
 * abstract. `chrome`: whether it has any of the listing's own lines, which tell
 * a saved page from any other text.
 */
function readHeader(
  lines: Line[],
  today: string,
  warnings: ParseWarning[],
): { pageDate: string | undefined; body: Line[]; chrome: boolean } {
  let end = 0;
  let chrome = false;
  for (const [index, current] of lines.entries()) {
    if (!looksLikeTitle(current.text)) {
      if (end === 0) end = Math.max(0, index - 1);
      break;
    }
    if (authorsLine.test(current.text)) break;
    const date = shownDate(current.text);
    if (date) {
      const pageDate = resolveDate(date, today);
      if (pageDate === undefined) warnings.push(notADay(current));
      return { pageDate, body: lines.slice(index + 1), chrome: true };
    }
    const glued = gluedTitle.exec(current.text);
    if (glued) {
      const title = { line: current.line, text: glued[1] as string };
      return { pageDate: undefined, body: [title, ...lines.slice(index + 1)], chrome: true };
    }
    const own = chromeLine.test(current.text);
    if (own) chrome = true;
    if (own || subscribeButton.test(current.text)) end = index + 1;
  }
  return { pageDate: undefined, body: lines.slice(end), chrome };
}

/**
 * Pairs each title with the line after it, its abstract. A title whose
 * abstract is missing shows when that next line is short like a title and
 * the one after it reads like an abstract: the first title is reported and
 * the second starts the next paper.
 */
function readPapers(body: Line[], reference: string, warnings: ParseWarning[]): PaperRecord[] {
  const records: PaperRecord[] = [];
  let title: Line | undefined;
  // What author count and date lines describe: the paper just read, or null
  // after a title that was skipped for want of an abstract (its details are
  // dropped with it, not reported again).
  let described: PaperRecord | null | undefined;

  body.forEach((current, index) => {
    const info = details(current.text);
    if (info !== undefined) {
      if (title !== undefined) {
        warnings.push(noAbstract(title));
        title = undefined;
        described = null;
      } else if (described === undefined && info !== "separator") {
        warnings.push({
          line: current.line,
          message: `"${current.text}" follows no paper; ignored`,
        });
      } else if (described && info !== "separator") {
        describe(described, info, current, reference, warnings);
      }
      return;
    }
    described = undefined;
    if (title === undefined) {
      if (looksLikeTitle(current.text)) {
        title = current;
      } else {
        warnings.push({
          line: current.line,
          message: `text that reads like an abstract ("${excerpt(current.text)}") has no title before it; skipped`,
        });
      }
      return;
    }
    const next = body[index + 1];
    if (looksLikeTitle(current.text) && next !== undefined && !looksLikeTitle(next.text)) {
      warnings.push(noAbstract(title));
      title = current;
      return;
    }
    described = {
      line: title.line,
      title: tidyText(title.text),
      abstract: tidyText(current.text),
    };
    records.push(described);
    title = undefined;
  });

  if (title !== undefined) {
    warnings.push({
      line: title.line,
      message: `"${excerpt(title.text)}" has no abstract: the page ends after its title`,
    });
  }
  return records;
}

function describe(
  paper: PaperRecord,
  info: Exclude<Details, "separator">,
  current: Line,
  reference: string,
  warnings: ParseWarning[],
): void {
  if ("authorsCount" in info) {
    paper.authorsCount = info.authorsCount;
    return;
  }
  const published = resolveDate(info.date, reference);
  if (published === undefined) warnings.push(notADay(current));
  else paper.published = published;
  if (info.date.upvotes !== undefined) paper.upvotes = info.date.upvotes;
}

function noAbstract(title: Line): ParseWarning {
  return {
    line: title.line,
    message: `"${excerpt(title.text)}" has no abstract after it; skipped`,
  };
}

function notADay(line: Line): ParseWarning {
  return { line: line.line, message: `"${line.text}" is not a real day; date left out` };
}
