import { tidyText } from "../text/normalize.ts";
import { excerpt } from "./lines.ts";

/** Reading loosely typed JSON: fields are looked up by name, whatever the object holds. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A string field tidied (`tidyText`: arXiv wraps lines, PDFs' ligatures), undefined when absent
 * or blank.
 */
export function cleanText(value: unknown): string | undefined {
  return typeof value === "string" ? tidyText(value) || undefined : undefined;
}

// New style "2101.00001" (4 digits until 2014, then 5), old style "hep-th/9901001"
// or "math.AG/0101001"; either may carry a version ("v2") and an "arXiv:" prefix.
const arxivIdPattern =
  /^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/iu;

/**
 * The arXiv id without its version, or undefined for anything else — including
 * the venue ids ("icml-2018-2485") that dumps of conference papers use.
 */
export function arxivId(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  return arxivIdPattern.exec(value.trim())?.[1];
}

/**
 * A non-negative whole number, such as an upvote count: a JSON number, or digits in a string
 * ("12"), as spreadsheets and scrapers write them.
 */
export function count(value: unknown): number | undefined {
  const number = typeof value === "string" && /^\s*\d+\s*$/u.test(value) ? Number(value) : value;
  return Number.isSafeInteger(number) && (number as number) >= 0 ? (number as number) : undefined;
}

/**
 * Reads an optional field. Absent (undefined or null) is fine; present but
 * unusable is reported through `warn` and left out, so the rest of the record still loads.
 */
export function optional<T>(
  value: unknown,
  read: (value: unknown) => T | undefined,
  name: string,
  warn: (message: string) => void,
): T | undefined {
  if (value === undefined || value === null) return undefined;
  const result = read(value);
  if (result === undefined) {
    warn(`${name} ${excerpt(JSON.stringify(value) ?? String(value))} is not usable; left out`);
  }
  return result;
}

/** What is missing from a record that cannot be kept, in words for the warning. */
export function missingText(title: string | undefined, abstract: string | undefined): string {
  if (title === undefined && abstract === undefined) return "has no title and no abstract";
  return title === undefined ? "has no title" : "has no abstract";
}
