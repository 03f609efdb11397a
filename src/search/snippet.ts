import type { RangeTuple } from "fuse.js";
import { charBoundary, lowHalf } from "../text/format.ts";
import type { Correction, SearchHit } from "./engine.ts";

export interface Segment {
  text: string;
  match: boolean;
}

/**
 * A short window of `text` around the place where it has the most different matched
 * words, as plain and matched segments so each edge can mark matches its own way (bold
 * in Discord, ANSI on a terminal). Cut ends are marked with "…". `unmarked`: where the
 * edge cannot mark a match, as [start, end) offsets (Discord's bare links, where bold
 * would break the link); matches there count for nothing in placing the window.
 */
export function snippet(
  text: string,
  ranges: readonly RangeTuple[],
  maxLength = 160,
  unmarked: readonly (readonly [number, number])[] = [],
): Segment[] {
  const words = ranges.filter((range) => !isContractionEnd(text, range));
  const sorted = mergeRanges(words.map((range) => wholeWord(text, range)));
  // A link at an abstract's end with the query's words in it was shown, none of them bold
  // ("…Our code is available at https://github.com/IBM/raven-large-language-models."),
  // where "uncertainty" in the abstract's text could have been; with no other match, the
  // abstract's start says more of the paper than the end of its code's address.
  const markable = sorted.filter(([from, to]) => !unmarked.some(([a, b]) => from < b && to >= a));
  // Not so late that the window runs past the end with room to spare: a match near the end
  // showed its last few words alone ("…and detail. Finally we apply it to zebrafish.").
  let start = Math.min(
    richestWindowStart(text, markable, maxLength),
    Math.max(0, text.length - maxLength),
  );
  // A run too long to cut at a space (a URL) is cut where it is, between two characters.
  if (start > 0) start = charBoundary(text, wordStart(text, start));
  let end = Math.min(text.length, start + maxLength);
  // A character longer than the window (a letter with hundreds of accents) has its boundary at
  // or before the start: its first code point at least is shown, never half of one (𝒪).
  if (end < text.length) {
    end = Math.max(lowHalf(text, start + 1), charBoundary(text, wordEnd(text, end)));
  }
  const segments: Segment[] = [];
  let at = start;
  for (const [from, to] of sorted) {
    const a = Math.max(from, start);
    const b = Math.min(to + 1, end);
    if (b <= a) continue;
    if (a > at) segments.push({ text: text.slice(at, a), match: false });
    segments.push({ text: text.slice(a, b), match: true });
    at = b;
  }
  if (at < end) segments.push({ text: text.slice(at, end), match: false });
  if (start > 0) segments.unshift({ text: "…", match: false });
  if (end < text.length) segments.push({ text: "…", match: false });
  return segments;
}

/**
 * Where the abstract has the query's words, hyphenated ones too ("Self-supervised" for
 * "selfsupervised"); none when only the title matched (a search in titles only).
 */
export function abstractHighlights(
  hit: Pick<SearchHit, "abstract" | "abstractRanges" | "matchedIn" | "matchedWords">,
  corrections: readonly Correction[],
): RangeTuple[] {
  if (hit.matchedIn === "title") return hit.abstractRanges;
  const read = hit.matchedWords.flatMap((w) => corrections.find((c) => c.from === w)?.to ?? [w]);
  return [...hit.abstractRanges, ...hyphenatedRanges(hit.abstract, read)];
}

/**
 * Where `text` writes one of `words` (a query's, as read) with hyphens inside: the search
 * finds "self-supervised" for "selfsupervised", but an abstract's matches are its words as
 * read, so "Self-supervised" stayed plain in the excerpt while "speech" was bold.
 */
function hyphenatedRanges(text: string, words: readonly string[]): RangeTuple[] {
  const wanted = new Set<string>();
  for (const word of words) {
    const letters = Array.from(word);
    if (letters.length < 4 || !letters.every(isLetter)) continue; // "s" or "p(y|x)" is no compound
    for (const plural of ["", "s", "es"]) wanted.add(word + plural);
  }
  const ranges: RangeTuple[] = [];
  if (wanted.size === 0) return ranges;
  const longest = Math.max(...[...wanted].map((word) => word.length));
  // One fixed pattern for every search: one built from each query's words (with the `i` flag
  // and letter classes) took a millisecond or more to compile per excerpt.
  for (const { index, 0: run } of text.matchAll(hyphenatedRun)) {
    const parts = [...run.matchAll(wordPart)];
    // Any stretch of whole parts: "pre-training" of "pre-training-based" too. None longer
    // than the longest word: every stretch of a run of 1,500 parts ("a-c-g-t-…") held the
    // event loop for 11 s.
    for (let first = 0; first < parts.length; first++) {
      let joined = (parts[first] as RegExpExecArray)[0];
      for (let last = first + 1; last < parts.length && joined.length < longest; last++) {
        const end = parts[last] as RegExpExecArray;
        joined += end[0];
        if (!wanted.has(joined.toLowerCase())) continue;
        ranges.push([
          index + (parts[first] as RegExpExecArray).index,
          index + end.index + end[0].length - 1,
        ]);
      }
    }
  }
  return ranges;
}

/** Letters and digits joined by single hyphens: "self-supervised", "pre-training-based". */
const hyphenatedRun = /[\p{L}\p{N}]+(?:[-\u2010][\p{L}\p{N}]+)+/gu;
const wordPart = /[\p{L}\p{N}]+/gu;

/**
 * Where a window of `maxLength` shows the most different matched words: one starting a
 * quarter of its length before some match, the earliest of the best. The first match is
 * often a common word of the query alone ("long" of "speculative decoding long
 * sequence"), its rarer words further on.
 */
function richestWindowStart(text: string, sorted: RangeTuple[], maxLength: number): number {
  let best = { start: 0, words: -1 };
  for (const [from] of sorted) {
    const start = Math.max(0, from - Math.floor(maxLength / 4));
    const inside = sorted.filter(([a, b]) => a >= start && b < start + maxLength);
    const words = new Set(inside.map(([a, b]) => sameWordKey(text.slice(a, b + 1)))).size;
    if (words > best.words) best = { start, words };
  }
  return best.start;
}

/** A matched word as counted once: "Graphs" is "graph" again. */
function sameWordKey(word: string): string {
  return word.toLowerCase().replace(/s$/, "");
}

/**
 * Whether a match is the end of a possessive or contraction ("s" of "model's", "t" of
 * "don't"): the search reads the "S" of "S*" as a word, and it then matched each of these.
 */
function isContractionEnd(text: string, [from, to]: RangeTuple): boolean {
  return to - from < 2 && /['’]/.test(text[from - 1] ?? "") && isLetter(text[from - 2]);
}

/** Sorted, with overlapping or touching ranges joined. */
function mergeRanges(ranges: readonly RangeTuple[]): RangeTuple[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: RangeTuple[] = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}

/** A match widened to the whole word it is part of ("Network" of "Networks"). */
function wholeWord(text: string, [from, to]: RangeTuple): RangeTuple {
  let start = from;
  let end = to;
  while (start > 0 && isLetter(text[start - 1])) start--;
  while (end + 1 < text.length && isLetter(text[end + 1])) end++;
  return [start, end];
}

function isLetter(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/**
 * A window's start moved on to the next word, or failing that (a word of over 20
 * characters, "permutation-invariant") back to the start of the one it falls in; a
 * longer run (a URL) is cut where it is.
 */
function wordStart(text: string, at: number): number {
  const after = text.indexOf(" ", at);
  if (after !== -1 && after - at <= 20) return after + 1;
  const before = text.lastIndexOf(" ", at - 1);
  return at - before <= 20 ? before + 1 : at;
}

/** A window's end moved back to the end of the previous word, or on to the end of this one (see wordStart). */
function wordEnd(text: string, at: number): number {
  const before = text.lastIndexOf(" ", at);
  if (before !== -1 && at - before <= 20) return before;
  const after = text.indexOf(" ", at);
  const next = after === -1 ? text.length : after;
  return next - at <= 20 ? next : at;
}
