import { words } from "../text/tokens.ts";

/** "(GNNs)", "(MoE)", "(OP-GFNs)": a parenthesised token with at least two capitals or a capital and a digit. */
const parenthesised = /\(([A-Za-z][A-Za-z0-9-]{1,11})\)/g;
const looksLikeAcronym = /[A-Z].*[A-Z0-9]/;
/** Small words an acronym may leave out: "Partitioning Around Medoids", "Mixture of Experts" (MoE keeps "of"). */
const skippable = new Set([
  "of",
  "and",
  "for",
  "the",
  "in",
  "on",
  "to",
  "with",
  "a",
  "an",
  "via",
  "by",
]);

export interface AcronymDefinition {
  acronym: string;
  expansion: string;
}

/**
 * The acronyms a text defines the usual way, "graph neural networks (GNNs)":
 * the words before the parenthesis whose initials spell the acronym.
 */
export function findAcronymDefinitions(text: string): AcronymDefinition[] {
  const found: AcronymDefinition[] = [];
  for (const match of text.matchAll(parenthesised)) {
    const raw = match[1] as string;
    if (!looksLikeAcronym.test(raw)) continue;
    const acronym = acronymLetters(raw);
    if (acronym.length < 2 || acronym.length > 10) continue;
    const before = words(text.slice(Math.max(0, match.index - 160), match.index));
    const expansion = expandBackwards(acronym, before);
    if (expansion) found.push({ acronym, expansion });
  }
  return found;
}

/** "GNNs" → "gnn", "OP-GFNs" → "opgfn": lower case, no punctuation, no plural s. */
function acronymLetters(raw: string): string {
  const singular = /[A-Z0-9]s$/.test(raw) ? raw.slice(0, -1) : raw;
  return singular.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function expandBackwards(acronym: string, before: string[]): string | undefined {
  let letter = acronym.length - 1;
  let start = before.length;
  while (letter >= 0 && start > 0) {
    const word = before[start - 1] as string;
    if (word[0] === acronym[letter]) letter--;
    else if (!skippable.has(word)) return undefined;
    start--;
  }
  if (letter >= 0) return undefined;
  return before.slice(start).join(" ");
}
