import { datePart } from "./dates.ts";
import { arxivId, cleanText, count, isJsonObject, missingText, optional } from "./fields.ts";
import { excerpt, lineAt } from "./lines.ts";
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
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/u.exec(message)?.[1];
    warnings.push({
      line: position === undefined ? 1 : lineAt(text, Number(position)),
      message: `not valid JSON (${excerpt(message, 100)})`,
    });
    return { format: "hf-json", records, warnings };
  }
  if (!Array.isArray(data)) {
    warnings.push({ line: 1, message: "expected a JSON array of daily papers; nothing read" });
    return { format: "hf-json", records, warnings };
  }
  const lines = elementLines(text);
  data.forEach((entry: unknown, index) => {
    const line = lines[index] ?? 1;
    const warn = (message: string) =>
      warnings.push({ line, message: `entry ${index + 1} ${message}` });
    const record = readEntry(entry, line, warn);
    if (record) records.push(record);
  });
  return { format: "hf-json", records, warnings };
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
  const authors = authorNames(field("authors"));
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

/** Names from `[{ name: "…" }, …]`; entries without a usable name are left out. */
function authorNames(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const names = value
    .map((author: unknown) => cleanText(isJsonObject(author) ? author.name : author))
    .filter((name): name is string => name !== undefined);
  return names.length > 0 ? names : undefined;
}

/**
 * The 1-based line where each element of the top-level array starts, found
 * by one pass over text already known to be valid JSON: only string contents
 * and nesting need tracking. (JSON strings cannot hold a raw line break, so
 * skipping over them never skips a line.)
 */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let awaitingElement = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === "\n") line++;
    if (char === "\n" || char === " " || char === "\t" || char === "\r") continue;
    if (awaitingElement && depth === 1) {
      lines.push(line);
      awaitingElement = false;
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") {
      depth++;
      // Just inside the top-level array: its first element comes next.
      awaitingElement = depth === 1;
    } else if (char === "]" || char === "}") depth--;
    else if (char === "," && depth === 1) awaitingElement = true;
  }
  return lines;
}
