import { readArxivRecord } from "./arxiv.ts";
import { isJsonObject } from "./fields.ts";
import { isArxivRecord, readDailyPaperEntry } from "./hf.ts";
import { excerpt, splitLines } from "./lines.ts";
import type { PaperRecord, ParsedSource, ParseWarning } from "./types.ts";

/**
 * JSON Lines in the shape of the arXiv metadata snapshot: `id`, `title`,
 * `abstract`, `authors` ("A, B and C", or `authors_parsed`), `update_date`, and optionally
 * `upvotes`; or the daily papers API's entries, one a line. Other fields are ignored. A
 * line that cannot be used is a warning and the next line is read regardless.
 */
export function parseJsonLines(text: string): ParsedSource {
  const warnings: ParseWarning[] = [];
  const { records } = readJsonLines(text, 1, warnings);
  return { format: "jsonl", records, warnings };
}

/**
 * The records of JSON Lines text that starts at line `firstLine` of its file (a part of a
 * large file, cut after a line break), with what is wrong added to `warnings`; and how many
 * line breaks the text has, for the part after it.
 */
export function readJsonLines(
  text: string,
  firstLine: number,
  warnings: ParseWarning[],
): { records: PaperRecord[]; lineBreaks: number } {
  const records: PaperRecord[] = [];
  const lines = splitLines(text);
  lines.forEach((content, index) => {
    if (content.trim() === "") return;
    const line = firstLine + index;
    const warn = (message: string) => warnings.push({ line, message });
    let value: unknown;
    try {
      // A byte order mark starts each file that Windows tools wrote; files joined together
      // (`cat a.jsonl b.jsonl > all.jsonl`) keep the later ones' on their first lines.
      value = JSON.parse(content.startsWith("\uFEFF") ? content.slice(1) : content);
    } catch (error) {
      warn(`not valid JSON (${excerpt((error as Error).message, 100)})`);
      return;
    }
    const record = readRecord(value, line, warn);
    if (record) records.push(record);
  });
  return { records, lineBreaks: lines.length - 1 };
}

function readRecord(
  value: unknown,
  line: number,
  warn: (message: string) => void,
): PaperRecord | undefined {
  if (!isJsonObject(value)) {
    warn("not a JSON object; skipped");
    return undefined;
  }
  if (isArxivRecord(value)) return readArxivRecord(value, line, warn, "record");
  // An entry of the daily papers list, one a line (`jq -c '.[]' today.json >> papers.jsonl`),
  // whose fields are under `paper`, or that paper object alone (`jq -c '.[].paper'`).
  return readDailyPaperEntry(value, line, (message) => warn(`record ${message}`));
}
