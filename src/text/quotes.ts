import { words } from "./tokens.ts";

/**
 * Double quote marks: straight, and the typographic ones keyboards put in for them (“ ” as
 * Discord's on phones do, „ “ in German, « » in French). Any of them opens a quote and the next
 * closes it: a phone's keyboard may close with the mark it opened with. Single quotes are no
 * quote marks here: they are apostrophes as often ("'n'", "models' outputs").
 */
const quoteMark = /["“”„«»]/u;
/** Every quote mark of a text, for `replace` and `matchAll` (never `test`: it would keep its place). */
const quoteMarks = new RegExp(quoteMark.source, "gu");

/**
 * The words typed in quotes, which the search takes as typed (see `analyzeQuery`): those between
 * a quote mark and the next. A mark left without its pair quotes nothing: a stray `"` (pasted,
 * or an inch sign) must not take the forgiveness of typos from every word after it.
 */
export function wordsInQuotes(text: string): Set<string> {
  const parts = text.split(quoteMark);
  const quoted = new Set<string>();
  // Odd parts are after an opening mark; the last part has no closing one.
  for (let i = 1; i < parts.length - 1; i += 2)
    for (const word of words(parts[i] as string)) quoted.add(word);
  return quoted;
}

/**
 * The text with its typographic quote marks straight (“graph” as "graph"), to be named between
 * “ and ” itself: a topic typed on a phone read ““graph” mamba” in every reply.
 */
export const withStraightQuotes = (text: string): string => text.replace(quoteMarks, '"');

/** The text with each quote mark a space: the same words, none of them quoted. */
export const withoutQuoteMarks = (text: string): string => text.replace(quoteMarks, " ");

/**
 * The text without the quote mark left without its pair, if one is (the last of an odd number:
 * see `wordsInQuotes`), a space in its place as `withoutQuoteMarks` makes it, then tidied.
 */
function withoutUnpairedMark(text: string): string {
  const marks = [...text.matchAll(quoteMarks)];
  const last = marks.at(-1);
  if (marks.length % 2 === 0 || last === undefined) return text;
  const spaced = `${text.slice(0, last.index)} ${text.slice(last.index + last[0].length)}`;
  return spaced.replace(/\s+/g, " ").trim();
}

/**
 * The text with the first of its parts between spaces that has `word` (as `words` reads it) in
 * quotes, for an example of keeping that word as typed: `"surgical" robotics`. A part glued by
 * a hyphen is quoted whole (`"grph-mamba"`), which keeps its words one term. A mark left without
 * its pair (`"surgical robotics`) is left out: it quotes nothing, and its part is the word's. The
 * word alone in quotes when no part without quote marks has it.
 */
export function quotingWord(text: string, word: string): string {
  const parts = withoutUnpairedMark(text).split(" ");
  const at = parts.findIndex((part) => !quoteMark.test(part) && words(part).includes(word));
  if (at < 0) return `"${word}"`;
  return parts.map((part, i) => (i === at ? `"${part}"` : part)).join(" ");
}
