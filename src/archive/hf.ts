import { readArxivRecord } from "./arxiv.ts";
import { authorList } from "./authors.ts";
import { datePart } from "./dates.ts";
import { arxivId, count, isJsonObject, type JsonObject, optional, paperText } from "./fields.ts";
import { alikeElements, arrayElements, type Element, laidOutElements } from "./json-array.ts";
import { endsEarly, excerpt, lineAt } from "./lines.ts";
import type { PaperRecord, ParsedSource, ParseWarning } from "./types.ts";

/**
 * The Hugging Face daily papers API: an array of `{ paper: { id, title,
 * summary, authors: [{ name }], publishedAt, upvotes }, title, publishedAt, … }`.
 * Every field is read from `paper` first and from the entry itself when
 * `paper` lacks it, since saved responses and hand-made files differ in which
 * level they fill. Or an array of records of the arXiv metadata snapshot, as `jq -s` makes
 * of its JSON Lines.
 */
export function parseHfDaily(text: string): ParsedSource {
  const records: PaperRecord[] = [];
  const { entries, warnings } = readEntries(text);
  for (const entry of entries) {
    const record = readEntry(entry, (message) => warnings.push({ line: entry.line, message }));
    if (record) records.push(record);
  }
  // In the order of the file: a broken entry is found before the others are read.
  warnings.sort((a, b) => a.line - b.line);
  return { format: "hf-json", records, warnings };
}

/** One element of the top-level array: its value, the line it starts on, and its 1-based place. */
interface Entry {
  value: unknown;
  line: number;
  number: number;
}

/** The elements of the file's array, and what keeps any from being read. */
interface Reading {
  entries: Entry[];
  warnings: ParseWarning[];
}

function readEntries(text: string): Reading {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const problem = notValidJson(text, error as Error);
    if (!text.trimStart().startsWith("[")) return { entries: [], warnings: [problem] };
    const salvaged = salvageEntries(text);
    // Whatever the parse stumbled on was not in an entry (a stray comma, say): still said.
    if (salvaged.warnings.length === 0) salvaged.warnings.push(problem);
    return salvaged;
  }
  if (!Array.isArray(data)) {
    const problem = { line: 1, message: "expected a JSON array of daily papers; nothing read" };
    return { entries: [], warnings: [problem] };
  }
  const { elements } = arrayElements(text);
  const entries = data.map((value, index) => ({
    value,
    line: elements[index]?.line ?? 1,
    number: index + 1,
  }));
  return { entries, warnings: [] };
}

function notValidJson(text: string, error: Error): ParseWarning {
  const { line, reason } = jsonError(text, error);
  return { line: line ?? 1, message: `not valid JSON (${reason})` };
}

/**
 * The line of `text` where JSON.parse of the part from `start` (on line `line`) to `end`
 * stopped, and why, without where: V8's position counts from `start`, and the text it quotes
 * around an unexpected token holds the line breaks of a file laid out in lines. Lines are
 * counted from `start` too, so that a file of many broken entries is read once in all, not
 * once for each.
 */
function jsonError(text: string, error: Error, start = 0, line = 1, end = text.length) {
  const position = /at position (\d+)/u.exec(error.message)?.[1];
  const token = unexpectedToken.exec(error.message);
  const offset =
    position !== undefined
      ? Number(position)
      : token
        ? tokenOffset(text.slice(start, end), token)
        : undefined;
  return {
    line: offset === undefined ? undefined : lineAt(text, start + offset, start, line),
    // "… in JSON at position 93", "… after JSON at position 93 (line 3 column 5)".
    reason: excerpt(
      token?.[1] ?? error.message.replace(/(?: in JSON)? at position \d+.*$/su, ""),
      100,
    ),
  };
}

/**
 * V8's message for a token where none may be (NaN, a comma too many before "]"): no position,
 * but the text around it, the ten characters either side (fewer at the start or end of the
 * text, which "..." then does not stand for): `Unexpected token 'N', ..."upvotes": NaN,
 *     "id"... is not valid JSON`.
 */
const unexpectedToken =
  /^(Unexpected token '.+?'), (\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/su;
const tokenContext = 10;

/** Where in `parsed` the token of an `unexpectedToken` message is, or undefined if not found. */
function tokenOffset(parsed: string, [, , cut, context]: RegExpExecArray): number | undefined {
  const at = parsed.indexOf(context as string);
  if (at === -1) return undefined;
  // Quoted from the start of the text (no "..." before), the quote ends ten characters past the
  // token, or is all of a text too short to cut: near the token either way.
  return at + (cut ? tokenContext : Math.max(0, (context as string).length - tokenContext));
}

/**
 * The entries of an array that is not valid JSON as a whole, each parsed on its own: a
 * broken entry is skipped with a warning at the line of its mistake, and a file cut short
 * (a download interrupted, a save that did not finish) keeps the entries before the cut.
 * Parsing the whole file at once lost every entry for one bad character.
 *
 * Where the entries lie is found three ways, each right where the others go wrong. The scan
 * of strings and brackets is exact in any layout while they are whole; but a bracket too
 * many or too few, or a raw line break in a string (taken for the end of a string left open,
 * so that the quotes after it are read the wrong way round), leads it astray for the rest of
 * the file. The other two read nothing inside an entry, so that no mistake there moves its
 * boundaries: the lines that open entries in a file laid out in lines, whatever their fields,
 * and the text each entry opens with in a file of entries written alike, one line or many.
 * The reading that loads the most papers is kept: a boundary in the wrong place loses the
 * entries on both its sides (and what it cuts out of them, an author's `{ name }` say, is no
 * paper). A tie goes to the layout, which no bracket too many misleads into "text after the
 * end of the array".
 */
function salvageEntries(text: string): Reading {
  const trimmed = text.trimEnd();
  const closed = trimmed.endsWith("]");
  const scanned = arrayElements(text);
  // The text ends inside the array: a complete file, however broken, is never said to be cut.
  const cut = !closed && scanned.end === undefined;
  const byBrackets = readElements(text, scanned.elements, cut);
  if (scanned.end !== undefined && text.slice(scanned.end).trim() !== "") {
    const line = lineAt(text, scanned.end);
    byBrackets.warnings.push({ line, message: "text after the end of the array; ignored" });
  }
  // The other two run to the closing bracket at the end of the text, or to the end of a text
  // cut short: they cannot tell where an array followed by other text ends.
  const closing = closed ? trimmed.length - 1 : undefined;
  const found = closed || cut ? [laidOutElements(text, closing), alikeElements(text, closing)] : [];
  const readings = [
    ...found.flatMap((elements) => (elements ? [readElements(text, elements, cut)] : [])),
    byBrackets,
  ];
  const papers = readings.map(papersIn);
  const reading = readings[papers.indexOf(Math.max(...papers))] as Reading;
  if (cut) reading.warnings.push(endsEarly(text));
  return reading;
}

/**
 * Each element parsed on its own; one that is not valid JSON is a warning at the line of its
 * mistake, unless the text is cut short inside it: that is said once, for the whole file.
 */
function readElements(text: string, elements: Element[], cut: boolean): Reading {
  const reading: Reading = { entries: [], warnings: [] };
  elements.forEach(({ start, end, line, complete }, index) => {
    const number = index + 1;
    try {
      reading.entries.push({ value: JSON.parse(text.slice(start, end)), line, number });
    } catch (error) {
      if (cut && !complete) return;
      const problem = jsonError(text, error as Error, start, line, end);
      reading.warnings.push({
        line: problem.line ?? line,
        message: `entry ${number} is not valid JSON (${problem.reason}); skipped`,
      });
    }
  });
  return reading;
}

/** How many of a reading's entries are papers, with a title and an abstract, to compare readings by. */
function papersIn(reading: Reading): number {
  const unsaid = () => {};
  return reading.entries.filter((entry) => readEntry(entry, unsaid)).length;
}

/**
 * One element of the array: a daily papers entry, or a record of the arXiv metadata snapshot,
 * read as a line of JSON Lines is (its warnings name it "entry 3" where a line's say "record").
 */
function readEntry(
  { value, line, number }: Entry,
  warn: (message: string) => void,
): PaperRecord | undefined {
  // Every warning names the entry: those of a file on one line, as the API writes it, share
  // their line, and an arXiv record's unusable field was said with no entry named.
  const named = (message: string) => warn(`entry ${number} ${message}`);
  const record = isArxivRecord(value)
    ? readArxivRecord(value, line, named)
    : readDailyPaperEntry(value, line, named);
  return record && { ...record, entry: number };
}

/**
 * Whether a record is one of the arXiv metadata snapshot rather than of the daily papers list
 * (an entry with `paper`, or its paper object alone: `jq '.[].paper'`). By `abstract`, the
 * snapshot's field: read as a daily papers entry, each such record "has no abstract", the list
 * calling it `summary`; and the other way round, each paper object.
 */
export function isArxivRecord(value: unknown): value is JsonObject {
  return isJsonObject(value) && !isJsonObject(value.paper) && value.abstract !== undefined;
}

/** One entry of the list; what is wrong with it goes to `warn`, which says which entry. */
export function readDailyPaperEntry(
  entry: unknown,
  line: number,
  warn: (message: string) => void,
): PaperRecord | undefined {
  if (!isJsonObject(entry)) {
    warn("is not a JSON object; skipped");
    return undefined;
  }
  const paper = isJsonObject(entry.paper) ? entry.paper : {};
  // A blank `paper.title` (or summary, id…) is as good as none: the entry's own may be there.
  const field = (name: string) => (isBlank(paper[name]) ? entry[name] : paper[name]);
  const text = paperText(field("title"), field("summary"), (why) => warn(`${why}; skipped`));
  if (text === undefined) return undefined;
  const listed = optional(field("authors"), authorList, "authors", warn);
  const authors = listed?.length ? listed : undefined;
  return {
    line,
    arxivId: arxivId(field("id")),
    ...text,
    authors,
    authorsCount: authors?.length,
    published: optional(field("publishedAt"), datePart, "publishedAt", warn),
    upvotes: optional(field("upvotes"), count, "upvotes", warn),
  };
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === "string" && value.trim() === "")
  );
}
