import { readFileSync } from "node:fs";
import wordListPath from "word-list";

/**
 * A hyphen at the end of a line, with the spaces or the line break after it, and the letters
 * that follow: "experi- ments" in text taken out of a PDF (1,700 abstracts of the 41k corpus
 * have some: "algo- rithm", "How- ever"), or "long-\n  term" where the arXiv metadata wraps a
 * line after a compound's own hyphen. The letters before it are read apart (`lettersBefore`):
 * a pattern starting with them was tried at every letter of every text, a tenth of a second
 * at 41k papers.
 */
const hyphenBreak = /-( +|[ \t]*\r?\n\s*)(\p{L}+)(?![\p{L}\p{N}])/gu;
/** The letters that end `text`, a word of their own. */
const lettersBefore = /(?<![\p{L}\p{N}])\p{L}+$/u;
/** The longest part of a word looked for before a hyphen. */
const longestPart = 48;
/** Whether `text` may have a `hyphenBreak`: most have none, and `includes` is the fastest look. */
const mayHaveBreak = (text: string): boolean =>
  text.includes("- ") || text.includes("-\n") || text.includes("-\r") || text.includes("-\t");

/** Words after a hyphen and a space that mark it as a prefix shared: "pre- and post-training". */
const sharedPrefixFollowers = new Set(["and", "or", "nor", "vs", "versus"]);

let english: WeakRef<ReadonlySet<string>> | undefined;
/**
 * An English word list (word-list, 274k words, a tenth of a second to read), read when first
 * needed. Held weakly: an ingest or a database's upgrade reads it, and the bot need not keep
 * its 30 MB for good after.
 */
function englishWords(): ReadonlySet<string> {
  let words = english?.deref();
  if (!words) {
    words = new Set(readFileSync(wordListPath, "utf8").split("\n"));
    english = new WeakRef(words);
  }
  return words;
}

/**
 * `text` with its words broken across lines made whole. Two parts that are an English word
 * together are one ("experi- ments" → "experiments"): kept apart, each was a word of its own
 * that no one searches for, and that a typo was read as ("ferett" as "ferent" of "dif- ferent").
 * Others stay apart, as they may be two words ("high- dimensional", "pre- and post-"), unless
 * a line ended after the hyphen: a line break there is a wrap, the hyphen the compound's own
 * ("long-term"). Parts of one letter are never joined ("e- mail" may be "e-mail").
 */
export function joinBrokenWords(text: string): string {
  if (!mayHaveBreak(text)) return text;
  let whole = "";
  let copied = 0;
  for (const found of text.matchAll(hyphenBreak)) {
    const [broken, space = "", end = ""] = found;
    const at = found.index;
    const start = lettersBefore.exec(text.slice(Math.max(copied, at - longestPart), at))?.[0];
    const made = start && wordMadeWhole(start, space, end);
    if (!start || !made) continue;
    whole += text.slice(copied, at - start.length) + made;
    copied = at + broken.length;
  }
  return copied === 0 ? text : whole + text.slice(copied);
}

/** The word `start`, a hyphen, `space` and `end` are, or undefined when they stay as they are. */
function wordMadeWhole(start: string, space: string, end: string): string | undefined {
  if (sharedPrefixFollowers.has(end.toLowerCase())) return undefined;
  const oneWord = `${start}${end}`;
  if (
    start.length > 1 &&
    end.length > 1 &&
    /^\p{Ll}/u.test(end) &&
    englishWords().has(oneWord.toLowerCase())
  )
    return oneWord;
  return space.includes("\n") ? `${start}-${end}` : undefined;
}
