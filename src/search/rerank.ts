import Fuse, { type FuseResultMatch, type RangeTuple } from "fuse.js";
import type { QueryGroup } from "./query.ts";

export interface Candidate {
  id: number;
  title: string;
  abstract: string;
  upvotes: number | null;
  /** bm25 from FTS5: lower is better, always negative. */
  rank: number;
}

export interface Ranked {
  candidate: Candidate;
  /** 0..1, higher is better. */
  score: number;
  titleRanges: RangeTuple[];
  abstractRanges: RangeTuple[];
  /** The query words found in the title. */
  titleWords: string[];
  /** The query words found only in the abstract. */
  abstractWords: string[];
}

/** Below this length fuzzy matching finds noise, so short words must match exactly. */
const shortestFuzzyWord = 5;
const fuzzyThreshold = 0.25;
/** An abstract match says less than a title match. */
const abstractWeight = 0.4;

interface FieldMatch {
  strength: number;
  ranges: readonly RangeTuple[];
}

/**
 * Scores candidates by how well each query word matches the title and the
 * abstract, fuzzily (fuse.js), weighted by how rare the word is; then small
 * bonuses for every word being in the title, for a title that is mostly the
 * query, for the FTS5 bm25 rank and for upvotes.
 */
export function rerank(candidates: Candidate[], groups: QueryGroup[]): Ranked[] {
  if (candidates.length === 0) return [];
  const scored = groups.filter((g) => !g.stop);
  const counted = scored.length ? scored : groups;
  const fields = { title: titleMatcher(candidates), abstract: abstractMatcher(candidates) };
  const bestRank = Math.min(...candidates.map((c) => c.rank));
  const totalWeight = counted.reduce((sum, g) => sum + g.weight, 0) || 1;

  return candidates
    .map((candidate, index): Ranked => {
      let matched = 0;
      let inTitle = 0;
      const titleRanges: RangeTuple[] = [];
      const abstractRanges: RangeTuple[] = [];
      const titleWords: string[] = [];
      const abstractWords: string[] = [];
      for (const group of counted) {
        const title = fields.title(group, index);
        const abstract = fields.abstract(group, index);
        const strength = Math.max(title.strength, abstractWeight * abstract.strength);
        matched += group.weight * strength;
        if (title.strength > 0) {
          inTitle++;
          titleWords.push(group.word);
          titleRanges.push(...title.ranges);
        } else if (abstract.strength > 0) {
          abstractWords.push(group.word);
        }
        abstractRanges.push(...abstract.ranges);
      }
      const allInTitle = inTitle === counted.length ? 1 : 0;
      const titleCoverage = coverage(candidate.title, titleRanges);
      const bm25 = candidate.rank / bestRank;
      const popularity = Math.min(1, Math.log10(1 + (candidate.upvotes ?? 0)) / 3);
      const score =
        (matched / totalWeight) * 0.62 +
        allInTitle * 0.16 +
        titleCoverage * 0.1 +
        bm25 * 0.1 +
        popularity * 0.02;
      return { candidate, score, titleRanges, abstractRanges, titleWords, abstractWords };
    })
    .sort((a, b) => b.score - a.score || (b.candidate.upvotes ?? 0) - (a.candidate.upvotes ?? 0));
}

/** For every candidate's title: how strongly (fuzzily, by fuse.js) a query group matches it, and where. */
function titleMatcher(candidates: Candidate[]) {
  const field = "title";
  const options = { keys: [field], includeScore: true, includeMatches: true, ignoreLocation: true };
  const fuzzy = new Fuse(candidates, { ...options, threshold: fuzzyThreshold });
  const exact = new Fuse(candidates, { ...options, threshold: 0 });
  const cache = new Map<string, Map<number, FieldMatch>>();

  function matchesOf(alternative: string): Map<number, FieldMatch> {
    let found = cache.get(alternative);
    if (found) return found;
    found = new Map();
    const short = alternative.length < shortestFuzzyWord;
    for (const result of (short ? exact : fuzzy).search(alternative)) {
      const ranges = rangesOf(result.matches);
      const text = result.item.title;
      const whole = short ? ranges.filter((r) => isWholeWord(text, r)) : ranges;
      if (whole.length === 0) continue;
      found.set(result.refIndex, { strength: 1 - (result.score ?? 1), ranges: whole });
    }
    cache.set(alternative, found);
    return found;
  }

  return (group: QueryGroup, index: number): FieldMatch => {
    let best: FieldMatch = { strength: 0, ranges: [] };
    for (const alternative of group.alternatives) {
      const match = matchesOf(alternative).get(index);
      if (match && match.strength > best.strength) best = match;
    }
    return best;
  };
}

/**
 * For every candidate's abstract: whether a query group's words occur in it, and where.
 * Exact words (plural or not) suffice here: FTS5 matched these words already, misspellings
 * were corrected against the vocabulary, and a fuzzy scan of long abstracts costs more than
 * the rest of a search.
 */
function abstractMatcher(candidates: Candidate[]) {
  const cache = new Map<QueryGroup, RegExp>();
  return (group: QueryGroup, index: number): FieldMatch => {
    let pattern = cache.get(group);
    if (!pattern) {
      pattern = wordsPattern(group.alternatives);
      cache.set(group, pattern);
    }
    const ranges: RangeTuple[] = [];
    for (const match of (candidates[index] as Candidate).abstract.matchAll(pattern)) {
      ranges.push([match.index, match.index + match[0].length - 1]);
    }
    return { strength: ranges.length ? 1 : 0, ranges };
  };
}

/** Any of `alternatives` as whole words; ASCII classes when possible, being several times faster. */
function wordsPattern(alternatives: string[]): RegExp {
  const ascii = alternatives.every((a) => /^[a-z0-9 ]+$/.test(a));
  const letter = ascii ? "[A-Za-z0-9]" : "[\\p{L}\\p{N}]";
  const spaced = alternatives.map((a) =>
    a.replaceAll(" ", ascii ? "[^A-Za-z0-9]+" : "[^\\p{L}\\p{N}]+"),
  );
  return new RegExp(`(?<!${letter})(?:${spaced.join("|")})(?!${letter})`, ascii ? "gi" : "giu");
}

function rangesOf(matches: readonly FuseResultMatch[] | undefined): RangeTuple[] {
  return (matches ?? []).flatMap((m) => m.indices).filter(([start, end]) => end > start);
}

/** A short word matched as a word ("moe" in "MoE-Lens", "gnns" for "gnn"), not inside another. */
function isWholeWord(text: string, [start, end]: RangeTuple): boolean {
  const before = text[start - 1];
  const after = text.slice(end + 1, end + 3);
  return (
    !isWordChar(before) && (!isWordChar(after[0]) || (/^s/i.test(after) && !isWordChar(after[1])))
  );
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/** The share of a title's letters that the query matched: high for "that's the title". */
function coverage(title: string, ranges: RangeTuple[]): number {
  const letters = title.replace(/[^\p{L}\p{N}]/gu, "").length || 1;
  const covered = new Set<number>();
  for (const [start, end] of ranges) for (let i = start; i <= end; i++) covered.add(i);
  return Math.min(1, covered.size / letters);
}
