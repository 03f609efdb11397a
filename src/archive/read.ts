import { constants as bufferConstants, isUtf8 } from "node:buffer";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { gunzipSync, constants as zlibConstants } from "node:zlib";
import { formatBytes } from "../text/format.ts";
import { titleKey } from "../text/normalize.ts";
import { isJsonObject } from "./fields.ts";
import { parseHfDaily } from "./hf.ts";
import { parseJsonLines, readJsonLines } from "./jsonl.ts";
import { endsEarlyMessage, excerpt, lineAt } from "./lines.ts";
import { parsePage } from "./page.ts";
import type {
  ArchiveSource,
  PaperRecord,
  ParsedSource,
  ParseWarning,
  RecordBatch,
} from "./types.ts";

/**
 * A file that cannot be read at all: missing, not text, not UTF-8, a broken
 * gzip, an unknown kind, too large. Problems inside a readable file are warnings instead.
 */
export class ArchiveReadError extends Error {
  override name = "ArchiveReadError";

  constructor(
    readonly path: string,
    problem: string,
    readonly line?: number,
  ) {
    super(line === undefined ? `${path}: ${problem}` : `${path}:${line}: ${problem}`);
  }
}

/** .txt (saved listing pages), .json (daily papers API), .jsonl (arXiv metadata), each maybe gzipped. */
const archiveName = /\.(txt|json|jsonl)(\.gz)?$/iu;
export const archiveKinds = ".txt, .json, .jsonl, or one of them .gz";

/**
 * The most text one file may hold, in bytes (once gunzipped). The text of a page or a JSON
 * file is one JavaScript string (JSON Lines is decoded a part at a time, but its bytes are
 * one buffer), and V8 makes none longer than MAX_STRING_LENGTH characters (0x1fffffe8
 * on 64-bit systems, about half that on 32-bit ones): past that it throws, and a buffer of
 * gigabytes aborts the process outright. UTF-8 text has no more characters than bytes.
 */
export const maxArchiveTextBytes = Math.min(500 * 1024 * 1024, bufferConstants.MAX_STRING_LENGTH);

/** What kind of archive a file is, by its name; refused when it is none. */
function archiveKind(path: string): { kind: string; gzipped: boolean } {
  const name = archiveName.exec(path);
  if (!name) throw new ArchiveReadError(path, `not an archive file (${archiveKinds})`);
  return { kind: (name[1] as string).toLowerCase(), gzipped: name[2] !== undefined };
}

/**
 * An archive file's bytes as stored (gzipped or not), refused unread when there are more
 * than `maxTextBytes` of them: gzip makes no text bigger (but for a few bytes), so a
 * gzipped file that big holds more text still.
 */
export function readArchiveBytes(path: string, maxTextBytes = maxArchiveTextBytes): Buffer {
  archiveKind(path); // a file of another kind is refused before it is read
  try {
    if (statSync(path).size > maxTextBytes) throw tooLarge(path, maxTextBytes);
    return readFileSync(path);
  } catch (error) {
    if (error instanceof ArchiveReadError) throw error;
    throw new ArchiveReadError(path, fileSystemProblem(error));
  }
}

/**
 * Bytes of JSON Lines decoded and read at a time (cut after a line break): about 3,000
 * records of the arXiv snapshot. A 146 MB file of 100k papers read as one text, with all its
 * records, peaked at 1.1 GB of memory; a part at a time, at 0.5 GB.
 */
const jsonLinesPartBytes = 4 * 1024 * 1024;

/**
 * The papers in the bytes of the archive file at `path` (read by readArchiveBytes), read as
 * they are asked for: a JSON Lines file a part at a time, others whole. What keeps the file
 * from being read at all (not text, not UTF-8, not gzip) is thrown here, before any record.
 */
export function readArchiveSource(
  path: string,
  stored: Buffer,
  now: Date,
  maxTextBytes = maxArchiveTextBytes,
  partBytes = jsonLinesPartBytes,
): ArchiveSource {
  const { kind, gzipped } = archiveKind(path);
  // An empty file is empty, gzipped or not (not a gzip stream cut off before it began).
  const { bytes, cutShort } =
    gzipped && stored.length > 0
      ? gunzip(path, stored, maxTextBytes)
      : { bytes: stored, cutShort: false };
  // A cut-short file's last line is only the start of one: it would be a second warning.
  const complete = cutShort ? bytes.subarray(0, bytes.lastIndexOf("\n") + 1) : bytes;
  checkText(path, complete);
  if (kind === "jsonl" && !opensArray(complete)) {
    return jsonLinesSource(complete, cutShort, partBytes);
  }
  const text = new TextDecoder().decode(complete); // which drops a byte order mark
  const empty = text.trim() === "";
  const parsed: ParsedSource = empty
    ? { format: formatOf(kind, text), records: [], warnings: [] }
    : parse(kind, text, now);
  const { records: read, ...source } = parsed;
  const records = checked(read, source.warnings);
  const endLine = lineAt(text, text.length);
  warnAtEnd(source.warnings, { records: records.length, cutShort, empty, endLine });
  return { ...source, batches: [{ records, share: 1 }] };
}

/** The records a file's readers gave, checked as every format's are (`withIdentity`, `longAbstracts`). */
function checked(records: PaperRecord[], warnings: ParseWarning[]): PaperRecord[] {
  const kept = withIdentity(records, warnings);
  warnOfLongAbstracts(kept, warnings);
  return kept;
}

/**
 * Longer than any abstract (arXiv takes 1,920 characters): more likely several records or a
 * paper's whole text run together. Kept, for it may be what the operator meant to load, but
 * said: loaded unsaid, it was found by most searches and shown cut short.
 */
const longestAbstract = 100_000;

function warnOfLongAbstracts(records: PaperRecord[], warnings: ParseWarning[]): void {
  for (const record of records) {
    if (record.abstract.length <= longestAbstract) continue;
    const entry = record.entry === undefined ? "" : `entry ${record.entry} `;
    const length = record.abstract.length.toLocaleString("en-US");
    const message = `${entry}"${excerpt(record.title)}" has an abstract of ${length} characters, more than any abstract's (${longestAbstract.toLocaleString("en-US")}); loaded, but check that it is one paper's`;
    addInLineOrder(warnings, { line: record.line, message });
  }
}

/**
 * The records that are a paper of their own: with an arXiv id, or a title with a letter or a
 * digit. A title of none ("???", "!!!", an emoji alone) folds to an empty title key, the
 * identity of a paper without an arXiv id, and every such paper was merged into one, each
 * one's abstract replacing the one before. One with an arXiv id is known by it, and found by
 * it and its abstract: kept. Checked here for every format, once a file's records are read.
 */
function withIdentity(records: PaperRecord[], warnings: ParseWarning[]): PaperRecord[] {
  return records.filter((record) => {
    if (record.arxivId !== undefined || titleKey(record.title) !== "") return true;
    const entry = record.entry === undefined ? "" : `entry ${record.entry} `;
    const message = `${entry}title "${excerpt(record.title)}" has no letters or digits; skipped`;
    addInLineOrder(warnings, { line: record.line, message });
    return false;
  });
}

/**
 * Adds `warning` after those of its line and the lines before, where the reader would have
 * said it. Looked for from the end, where a part of JSON Lines has just added its own.
 */
function addInLineOrder(warnings: ParseWarning[], warning: ParseWarning): void {
  const before = warnings.findLastIndex((other) => other.line <= warning.line);
  warnings.splice(before + 1, 0, warning);
}

/** JSON Lines read a part at a time, each decoded only when its records are asked for. */
function jsonLinesSource(bytes: Buffer, cutShort: boolean, partBytes: number): ArchiveSource {
  const warnings: ParseWarning[] = [];
  function* batches(): Generator<RecordBatch> {
    // The file's byte order mark is dropped, as a decoder of the whole text does; one that opens
    // a later part is kept, for the line to drop as any line's (a decoder drops one at the
    // start of every text it is given, and a line that had two then read as good).
    const first = new TextDecoder();
    const later = new TextDecoder("utf-8", { ignoreBOM: true });
    let line = 1;
    let records = 0;
    for (let start = 0; start < bytes.length; ) {
      const end = partEnd(bytes, start, partBytes);
      const text = (start === 0 ? first : later).decode(bytes.subarray(start, end));
      const part = readJsonLines(text, line, warnings);
      const kept = checked(part.records, warnings);
      line += part.lineBreaks;
      records += kept.length;
      start = end;
      yield { records: kept, share: end / bytes.length };
    }
    // Every line that is not blank is a record or a warning: with neither, the file is empty.
    const empty = records === 0 && warnings.length === 0;
    warnAtEnd(warnings, { records, cutShort, empty, endLine: line });
  }
  return { format: "jsonl", warnings, batches: batches() };
}

/** Where the part of `bytes` from `start` ends: after the first line break past `partBytes`. */
function partEnd(bytes: Buffer, start: number, partBytes: number): number {
  if (bytes.length - start <= partBytes) return bytes.length;
  const lineBreak = bytes.indexOf("\n", start + partBytes - 1);
  return lineBreak === -1 ? bytes.length : lineBreak + 1;
}

/**
 * What is said of the file as a whole, once it is read: cut short (`endLine` is the line the
 * cut fell in), empty, or without a paper.
 */
function warnAtEnd(
  warnings: ParseWarning[],
  end: { records: number; cutShort: boolean; empty: boolean; endLine: number },
): void {
  if (end.cutShort) {
    // A daily papers array says where it ends early itself (src/archive/hf.ts): said once.
    const said = warnings.some((warning) => warning.message === endsEarlyMessage);
    if (!said) warnings.push({ line: end.endLine, message: endsEarlyMessage });
  } else if (end.empty) warnings.push({ line: 1, message: "file is empty" });
  // Said only when no warning already says why (a broken JSON file is not also "no papers").
  if (end.records === 0 && warnings.length === 0) {
    warnings.push({ line: 1, message: "no papers found" });
  }
}

/** A file with more text than one string can hold, and how to make it fit (JSON Lines split by line). */
function tooLarge(path: string, maxTextBytes: number): ArchiveReadError {
  const { kind, gzipped } = archiveKind(path);
  const limit = formatBytes(maxTextBytes);
  const file = basename(path);
  const parts = `${file.replace(archiveName, "")}-part-`;
  const split = `split -l 200000 --additional-suffix=.jsonl`;
  const example = gzipped ? `zcat ${file} | ${split} - ${parts}` : `${split} ${file} ${parts}`;
  // The arXiv metadata snapshot (arxiv-metadata-oai-snapshot.json, gigabytes) is JSON Lines by
  // another name; a daily papers array, the other kind of .json, is never that large.
  const advice =
    kind === "jsonl"
      ? `, e.g. \`${example}\``
      : kind === "json"
        ? ` (one that holds a record a line, as the arXiv metadata snapshot does, e.g. \`${example}\`)`
        : "";
  return new ArchiveReadError(
    path,
    `too large: more than ${limit} of text; split it into files of under ${limit}${advice}`,
  );
}

function parse(kind: string, text: string, now: Date): ParsedSource {
  switch (formatOf(kind, text)) {
    case "page":
      return parsePage(text, now);
    case "jsonl":
      return parseJsonLines(text);
    case "hf-json":
      return parseHfDaily(text);
  }
}

/**
 * A .json file is the daily papers array unless it is really JSON Lines: records on lines
 * of their own are not one JSON value (nor is a file whose first line is broken), or it is
 * one line holding one object. Judging by the first line alone sent a file whose first
 * line was broken down the array's path, and every good line after it was lost.
 * A .jsonl file is JSON Lines unless it opens an array, which no record is: the daily
 * papers list saved under that name (`curl …/api/daily_papers > today.jsonl`), whose every
 * line was a warning.
 */
function formatOf(kind: string, text: string): ParsedSource["format"] {
  if (kind === "txt") return "page";
  if (kind === "jsonl") return /^\s*\[/u.test(text) ? "hf-json" : "jsonl";
  const start = text.trim();
  if (start === "" || start.startsWith("[")) return "hf-json";
  try {
    const whole: unknown = JSON.parse(start);
    return isJsonObject(whole) && !start.includes("\n") ? "jsonl" : "hf-json";
  } catch {
    // A lone "{" opens one object over many lines (cut short, it would be a warning a line).
    return /^\{\s*(?:\n|$)/.test(start) ? "hf-json" : "jsonl";
  }
}

/**
 * The text of a gzipped file, at most `maxTextBytes` of it (zlib stops there, before the
 * process runs out of room), and `cutShort` when its gzip stream ends early.
 */
function gunzip(
  path: string,
  stored: Buffer,
  maxTextBytes: number,
): { bytes: Buffer; cutShort: boolean } {
  // Larger output chunks than the 16 KB default: a third faster on the 57 MB corpus.
  const options = { chunkSize: 1 << 20, maxOutputLength: maxTextBytes };
  try {
    return { bytes: gunzipSync(stored, options), cutShort: false };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(path, maxTextBytes);
    // Z_BUF_ERROR ("unexpected end of file") is a gzip stream cut short, an interrupted
    // download say; anything else (Z_DATA_ERROR: a wrong header, corrupt data) is not gzip.
    if (code !== "Z_BUF_ERROR") throw new ArchiveReadError(path, "not a valid gzip file");
  }
  // Decompressed again, this time keeping what comes before the cut, as zcat does (no more
  // than the first time, which reached the cut within the limit).
  const flushed = { ...options, finishFlush: zlibConstants.Z_SYNC_FLUSH };
  return { bytes: gunzipSync(stored, flushed), cutShort: true };
}

/** Refuses bytes that are not UTF-8 text. */
function checkText(path: string, bytes: Buffer): void {
  // Windows Notepad's "Unicode": its NUL bytes would otherwise call it binary data.
  if (isUtf16ByteOrderMark(bytes)) {
    throw new ArchiveReadError(path, "UTF-16 text, not UTF-8; save it as UTF-8");
  }
  // Text never holds NUL; UTF-8 allows it, so binary files would otherwise get through.
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = lineAt(bytes.toString("latin1", 0, nul), nul);
    throw new ArchiveReadError(path, "binary data (a NUL byte), not a text file", line);
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidByte(bytes);
    const byte = bad && ` (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, "0")})`;
    throw new ArchiveReadError(path, `not UTF-8 text${byte ?? ""}; save it as UTF-8`, bad?.line);
  }
}

/**
 * Whether the UTF-8 text opens a JSON array: "[" after a byte order mark and white space, as
 * formatOf judges the decoded text (`\s`: a no-break space, another byte order mark, a line
 * separator too; judged by ASCII white space alone, the list after one was a bad line each).
 * A .jsonl file that does is the daily papers list saved under that name.
 */
function opensArray(bytes: Buffer): boolean {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (at < bytes.length) {
    const lead = bytes[at] as number;
    const length = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    if (!/^\s$/u.test(bytes.toString("utf8", at, at + length))) break;
    at += length;
  }
  return bytes[at] === 0x5b;
}

/** FF FE (little-endian) or FE FF (big-endian): bytes that never start UTF-8 text. */
function isUtf16ByteOrderMark(bytes: Buffer): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}

/**
 * Where decoding fails. A lenient decode turns each bad sequence into U+FFFD
 * and the text before the first one is exactly the bytes before it — unless
 * the file holds a genuine U+FFFD (EF BF BD), which is stepped over.
 */
function firstInvalidByte(bytes: Buffer): { line: number; byte: number } | undefined {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  let from = 0;
  for (let at = text.indexOf("\uFFFD"); at !== -1; at = text.indexOf("\uFFFD", at + 1)) {
    offset += Buffer.byteLength(text.slice(from, at));
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd) {
      return { line: lineAt(text, at), byte: bytes[offset] as number };
    }
    offset += 3;
    from = at + 1;
  }
  return undefined;
}

/**
 * The archive files that `paths` name: a file as given, and a folder's
 * archive files sorted by name. Folders are read one level deep, so nothing
 * kept in a subfolder (backups, drafts) is loaded by surprise. Each file once.
 */
export function listArchiveFiles(paths: string[]): string[] {
  const files = paths.flatMap((path) => {
    let names: string[];
    try {
      if (!statSync(path).isDirectory()) return [path];
      // A folder this user may not list is said as a file it may not read is: it came out as
      // Node's "EACCES: permission denied, scandir '…'".
      names = readdirSync(path);
    } catch (error) {
      throw new ArchiveReadError(path, fileSystemProblem(error));
    }
    return names
      .filter((name) => archiveName.test(name))
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
  });
  return [...new Set(files)];
}

/** Why a file could not be read, in a few words (ENOENT: "no such file or folder"). */
function fileSystemProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or folder";
  if (code === "EISDIR") return "a folder, not a file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  return `cannot be read (${(error as Error).message})`;
}
