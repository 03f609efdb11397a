import { normalizeWhitespace } from "../text/normalize.ts";

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
