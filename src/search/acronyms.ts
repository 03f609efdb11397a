import { words } from "../text/tokens.ts";

/** "(GNNs)", "(MoE)", "(OP-GFNs)": a parenthesised token with at least two capitals or a capital and a digit. */
const parenthesised = /\(([A-Za-z][A-Za-z0-9-]{1,11})\)/g;
const looksLikeAcronym = /[A-Z].*[A-Z0-9]/;
/** Small words an acronym may leave out ("Reinforcement Learning from Human Feedback"), or not ("Mixture of Experts", MoE). */
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
  "from",
]);

/**
 * The finder's edition: a database whose acronyms an older one counted is counted afresh
 * when opened. Raise it whenever findAcronymDefinitions finds differently.
 */
export const acronymFinder = 2;

export interface AcronymDefinition {
  acronym: string;
  expansion: string;
}

/**
 * The acronyms a text defines the usual way, "graph neural networks (GNNs)":
 * the words before the parenthesis that spell the acronym, each from its initial and
 * maybe more of its letters in order ("variational autoencoder (VAE)", "vision
 * transformer (ViT)", "low-rank adaptation (LoRA)").
 */
export function findAcronymDefinitions(text: string): AcronymDefinition[] {
  const found: AcronymDefinition[] = [];
  for (const match of text.matchAll(parenthesised)) {
    const raw = match[1] as string;
    if (!looksLikeAcronym.test(raw)) continue;
    const acronym = acronymLetters(raw);
    if (acronym.length < 2 || acronym.length > 10) continue;
    const before = words(text.slice(Math.max(0, match.index - 160), match.index));
    const start = spelledFrom(acronym, before, acronym.length, before.length);
    if (start === undefined) continue;
    const expansion = before.slice(start).join(" ");
    // "it (IT)" spells itself.
    if (expansion.replaceAll(" ", "") !== acronym) found.push({ acronym, expansion });
  }
  return found;
}

/** "GNNs" → "gnn", "OP-GFNs" → "opgfn": lower case, no punctuation, no plural s. */
function acronymLetters(raw: string): string {
  const singular = /[A-Z0-9]s$/.test(raw) ? raw.slice(0, -1) : raw;
  return singular.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * Where the words that spell the acronym's first `letters` letters start, when the words
 * before `end` do, reading backwards: each word gives its initial and perhaps more of its
 * letters in order, a small word may give none. A word gives as few letters as it can, so
 * "graph neural networks (GNN)" is three words, and every word must give its initial: the
 * expansion is never a word or two that happen to hold all the letters.
 */
function spelledFrom(
  acronym: string,
  before: readonly string[],
  letters: number,
  end: number,
): number | undefined {
  if (letters === 0) return end;
  if (end === 0) return undefined;
  const word = before[end - 1] as string;
  for (let take = 1; take <= letters; take++) {
    const part = acronym.slice(letters - take, letters);
    if (part[0] !== word[0] || !inOrder(part.slice(1), word.slice(1))) continue;
    const start = spelledFrom(acronym, before, letters - take, end - 1);
    if (start !== undefined) return start;
  }
  return skippable.has(word) ? spelledFrom(acronym, before, letters, end - 1) : undefined;
}

/** Whether `letters` are in `word`, in that order ("ae" in "autoencoder"). */
function inOrder(letters: string, word: string): boolean {
  let at = 0;
  for (const letter of letters) {
    at = word.indexOf(letter, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
