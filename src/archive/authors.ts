import { normalizeWhitespace } from "../text/normalize.ts";
import { isJsonObject } from "./fields.ts";

/**
 * Author names from arXiv's one-string list: "A, B and C", sometimes "A, B,
 * and C", wrapped over lines. Parenthesised parts are affiliations ("W. Dorland
 * (Maryland)", "A (1 and 2) and B (1) ((1) CREST, Japan)") and may hold commas
 * and "and" themselves, so they go first — as in arXiv's own `authors_parsed`.
 */
export function splitAuthors(list: string): string[] {
  return withoutParentheses(list)
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/u)
    .map(normalizeWhitespace)
    .filter((name) => name !== "");
}

function withoutParentheses(list: string): string {
  if (!list.includes("(")) return list;
  let depth = 0;
  let kept = "";
  for (const char of list) {
    if (char === "(") depth++;
    else if (char === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0) kept += char;
  }
  return kept;
}

/**
 * Author names from any of the shapes archives give them in: arXiv's one string ("A, B and
 * C"), a list of names, Hugging Face's list of `{ name }`, Crossref's and CSL-JSON's list of
 * `{ given, family }`, or arXiv's `authors_parsed` (`[last, first, suffix]` each). An entry
 * with no usable name is left out; undefined for a value of no such shape, to be reported
 * rather than taken as "no authors" — a list none of whose entries gives a name too (OpenAlex's
 * `[{ author: { display_name } }]`, say), though an empty list is "no authors".
 */
export function authorList(value: unknown): string[] | undefined {
  if (typeof value === "string") return splitAuthors(value);
  if (!Array.isArray(value)) return undefined;
  const names = value.map(authorName).filter((name) => name !== "");
  return names.length > 0 || value.length === 0 ? names : undefined;
}

function authorName(author: unknown): string {
  if (typeof author === "string") return normalizeWhitespace(author);
  if (Array.isArray(author)) {
    // authors_parsed: ["Balázs", "C.", ""]; a fourth part, when there is one, is an affiliation.
    const [last, first, suffix] = author.map((part) => (typeof part === "string" ? part : ""));
    return normalizeWhitespace([first, last, suffix].join(" "));
  }
  if (!isJsonObject(author)) return "";
  // Crossref and CSL-JSON split the name: { given: "Ada", family: "Lovelace" }, or either alone.
  const parts = typeof author.name === "string" ? [author.name] : [author.given, author.family];
  return normalizeWhitespace(parts.filter((part) => typeof part === "string").join(" "));
}
