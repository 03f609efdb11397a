import { authorList } from "./authors.ts";
import { datePart } from "./dates.ts";
import { arxivId, cleanText, count, isJsonObject, missingText, optional } from "./fields.ts";
import { endsEarly, excerpt, lineAt } from "./lines.ts";
import type { PaperRecord, ParsedSource, ParseWarning } from "./types.ts";

/**
 * The Hugging Face daily papers API: an array of `{ paper: { id, title,
 * summary, authors: [{ name }], publishedAt, upvotes }, title, publishedAt, … }`.
 * Every field is read from `paper` first and from the entry itself when
 * `paper` lacks it, since saved responses and hand-made files differ in which
 * level they fill.
 */
export function parseHfDaily(text: string): ParsedSource {
  const records: PaperRecord[] = [];
  const warnings: ParseWarning[] = [];
  for (const { value, line, number } of readEntries(text, warnings)) {
    const warn = (message: string) =>
      warnings.push({ line, message: `entry ${number} ${message}` });
    const record = readEntry(value, line, warn);
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

/** The elements of the file's array; what keeps any from being read goes to `warnings`. */
function readEntries(text: string, warnings: ParseWarning[]): Entry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const problem = notValidJson(text, error as Error);
    if (!text.trimStart().startsWith("[")) {
      warnings.push(problem);
      return [];
    }
    const entries = salvageEntries(text, warnings);
    // Whatever the parse stumbled on was not in an entry (a stray comma, say): still said.
    if (warnings.length === 0) warnings.push(problem);
    return entries;
  }
  if (!Array.isArray(data)) {
    warnings.push({ line: 1, message: "expected a JSON array of daily papers; nothing read" });
    return [];
  }
  const { elements } = arrayElements(text);
  return data.map((value, index) => ({
    value,
    line: elements[index]?.line ?? 1,
    number: index + 1,
  }));
}

function notValidJson(text: string, error: Error): ParseWarning {
  const { line, reason } = jsonError(text, error);
  return { line: line ?? 1, message: `not valid JSON (${reason})` };
}

/**
 * The line of `text` where JSON.parse of the part starting at `start` (on line `line`)
 * stopped, as V8 names a position for most mistakes, and why, without that position: it
 * counts from `start`. Lines are counted from `start` too, so that a file of many broken
 * entries is read once in all, not once for each.
 */
function jsonError(text: string, error: Error, start = 0, line = 1) {
  const position = /at position (\d+)/u.exec(error.message)?.[1];
  return {
    line: position === undefined ? undefined : lineAt(text, start + Number(position), start, line),
    // "… in JSON at position 93", "… after JSON at position 93 (line 3 column 5)".
    reason: excerpt(error.message.replace(/(?: in JSON)? at position \d+.*$/su, ""), 100),
  };
}

/**
 * The entries of an array that is not valid JSON as a whole, each parsed on its own: a
 * broken entry is skipped with a warning at its line, and a file cut short (a download
 * interrupted, a save that did not finish) keeps the entries before the cut. Parsing the
 * whole file at once lost every entry for one bad character.
 */
function salvageEntries(text: string, warnings: ParseWarning[]): Entry[] {
  const { elements, end } = arrayElements(text);
  const entries: Entry[] = [];
  elements.forEach(({ start, end: stop, line, complete }, index) => {
    if (!complete) return; // the file ends inside it: said once, below
    try {
      entries.push({ value: JSON.parse(text.slice(start, stop)), line, number: index + 1 });
    } catch (error) {
      const problem = jsonError(text, error as Error, start, line);
      warnings.push({
        line: problem.line ?? line,
        message: `entry ${index + 1} is not valid JSON (${problem.reason}); skipped`,
      });
    }
  });
  if (end === undefined) warnings.push(endsEarly(text));
  else if (text.slice(end).trim() !== "") {
    warnings.push({ line: lineAt(text, end), message: "text after the end of the array; ignored" });
  }
  return entries;
}

function readEntry(
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
  const title = cleanText(field("title"));
  const abstract = cleanText(field("summary"));
  if (title === undefined || abstract === undefined) {
    warn(`${missingText(title, abstract)}; skipped`);
    return undefined;
  }
  const listed = optional(field("authors"), authorList, "authors", warn);
  const authors = listed?.length ? listed : undefined;
  return {
    line,
    arxivId: arxivId(field("id")),
    title,
    abstract,
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

interface Element {
  start: number;
  /** Just past its last character. */
  end: number;
  /** 1-based line where it starts. */
  line: number;
  /** False for an element the text ends inside of. */
  complete: boolean;
}

/**
 * Where each element of the top-level array lies, found by one pass that tracks only
 * string contents and nesting, and `end`, just past the array's closing bracket
 * (undefined when the text ends first). JSON strings cannot hold a raw line break, so
 * in broken JSON one ends a string that was never closed, and the next line is read afresh.
 */
function arrayElements(text: string): { elements: Element[]; end?: number } {
  const elements: Element[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let current: { start: number; line: number } | undefined;
  const close = (end: number) => {
    if (current) elements.push({ ...current, end, complete: true });
    current = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"' || char === "\n") inString = false;
      continue;
    }
    if (char === "\n" || char === " " || char === "\t" || char === "\r") continue;
    // Just inside the top-level array, anything but a separator starts an element.
    if (depth === 1 && current === undefined && char !== "," && char !== "]") {
      current = { start: i, line };
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") {
      depth--;
      if (depth === 0) {
        close(i);
        return { elements, end: i + 1 };
      }
    } else if (char === "," && depth === 1) close(i);
  }
  if (current) elements.push({ ...current, end: text.length, complete: false });
  return { elements };
}
