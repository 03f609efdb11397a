import { foldText } from "./normalize.ts";

/**
 * Patterns over ASCII text (nearly every paper) and their Unicode versions.
 * `compound` finds words glued by punctuation
 * ("pre-training", "M^3ViT"); `camel` finds words with inner capitals.
 * The look-behinds start matches only at word starts: without them the
 * engine retries inside every word and the passes turn quadratic.
 */
const patterns = {
  ascii: {
    compound: /(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[^\sA-Za-z0-9]+[A-Za-z0-9]+)+/g,
    nonWord: /[^A-Za-z0-9]+/g,
    camel: /(?<![A-Za-z0-9])[A-Za-z0-9][a-z0-9]*[A-Z][A-Za-z0-9]*/g,
  },
  unicode: {
    compound: /(?<![\p{L}\p{N}])[\p{L}\p{N}]+(?:[^\s\p{L}\p{N}]+[\p{L}\p{N}]+)+/gu,
    nonWord: /[^\p{L}\p{N}]+/gu,
    camel: /(?<![\p{L}\p{N}])[\p{L}\p{N}][\p{Ll}\p{N}]*\p{Lu}[\p{L}\p{N}]*/gu,
  },
};
const nonAscii = /[^ -~\s]/; // anything outside printable ASCII and white space
const camelPart = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;

/** Lower-cased, accent-free alphanumeric words of `text`, in order. */
export function words(text: string): string[] {
  return foldText(text).split(" ").filter(Boolean);
}

/**
 * The extra forms people type for compound words, which the index holds after
 * the text itself: "pre-training" also as "pretraining", "M^3ViT" as "m3vit",
 * "FlashRNN" as "flash" and "rnn". The words themselves are split by FTS5.
 * This runs for every paper ingested, so it is two native regex passes.
 */
export function compoundForms(text: string): string[] {
  const ascii = !nonAscii.test(text);
  const source = ascii ? text : text.normalize("NFKD").replace(/\p{M}+/gu, "");
  const { compound, nonWord, camel } = ascii ? patterns.ascii : patterns.unicode;
  const forms: string[] = [];
  for (const [glued] of source.matchAll(compound))
    forms.push(glued.replace(nonWord, "").toLowerCase());
  for (const [word] of source.matchAll(camel)) forms.push(...camelParts(word));
  return forms;
}

/** `text` as the search index holds it: the text, then its compound forms. */
export function indexedText(text: string): string {
  const forms = compoundForms(text);
  return forms.length ? `${text} ${forms.join(" ")}` : text;
}

/** "GFlowNets" → ["flow", "nets"]: the parts long enough to be words of their own. */
function camelParts(word: string): string[] {
  const parts = word.match(camelPart) ?? [];
  if (parts.length < 2) return [];
  return parts.filter((part) => part.length >= 3).map((part) => part.toLowerCase());
}
