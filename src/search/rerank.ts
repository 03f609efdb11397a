import Fuse, { type RangeTuple } from "fuse.js";
import { type Unaccented, unaccented } from "../text/normalize.ts";
import { stopwords } from "../text/stopwords.ts";
import { oneWordReadings, type QueryGroup, shortestNearQuote } from "./query.ts";

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

/** How many FTS5 candidates fuse.js re-ranks: enough for recall, few enough to stay fast. */
export const candidatePool = 60;

/** Below this length fuzzy matching finds noise, so short words must match exactly. */
const shortestFuzzyWord = 5;
const fuzzyThreshold = 0.25;
/**
 * fuse.js adds offset / distance to the score of a match that starts `offset` characters
 * into a title word (location 0): one character costs as much as a typo in six letters,
 * two or more put it past the threshold ("fusion", 3 letters into "Diffusion", is no match).
 */
const fuzzyDistance = 6;
/** fuse.js cuts longer patterns into pieces, each of which would have to start the word. */
const longestFuzzyWord = 32;
/** A title word this much longer than the query word is another word ("Mambaformer" is not "mamba"). */
const longestStretch = 1.4;
/**
 * A query with stop words, all its words one after the other in a title ("how transferable
 * are features" of "How transferable are features in deep neural networks?"): that title
 * quoted. Stop words count for nothing else; without them the order of the words says little
 * (keywords come in any order), and nothing is added. Half a title's coverage;
 * words typed in another order lose nothing by it.
 */
const asTypedBonus = 0.05;
/**
 * A title word in another of the query word's forms as a verb ("Pruning" for "pruned") matches
 * it less than the word itself: of two titles, the one with the word as typed first. At 0.9 a
 * shorter title still won with the other form: "Causal Modeling with Stationary Diffusions"
 * came first for "diffusion model".
 */
const formStrength = 0.75;
/**
 * A title that has a word only through an acronym (QueryGroup.acronymReadings) matches it a
 * little less than a title with the word as typed: at full strength, of "Dr.LLM: … in LLMs" and
 * "Multi-User Large Language Model Agents", "llms" put the second first, the spelled-out words
 * covering more of the shorter title, and "diffusion transformers" put "… with DiT rendering"
 * above "All-atom Diffusion Transformers".
 */
const acronymReadingStrength = 0.9;
/**
 * A title that has a rare word only as what it may be a typo of (QueryGroup.typoReadings)
 * matches it less than a title with the word as typed: a paper's rare name, "magma" or
 * "armor", put "Differential Mamba" or "Debunking Rumors on Twitter…" first at 41k, the
 * shorter title covering more (of 400 such names typed alone, 196 found a title with the name
 * first; 373 so, and 337 at 0.9).
 */
const typoReadingStrength = 0.75;
/**
 * A paper with the parts of a name typed joined ("R-GRPO", QueryGroup.typedJoined) but not
 * the name matches them less than one with it: the name typed alone, one paper defining it in
 * its abstract, "iGRPO: …" and "Reasoning-Aware GRPO …" came first for their "GRPO" titles,
 * with an "r" somewhere in the abstract. Of 100 names of the 41k corpus that one paper each
 * defines in its abstract alone ("(S-EFE)"), typed alone, 61 put a paper with the name first,
 * now 92 (the rest mostly find the name glued, "LVLMs" of "L-VLMs", first). Below an abstract
 * match: the name in an abstract says more than its parts apart in a title.
 */
const joinedStrength = 0.3;
/** What a title with every word of the query has over one without (of scores within 0..1). */
const everyWordWeight = 0.16;
/**
 * What a title named by the query has (`isNamed`: its part before the colon is the words
 * matched) over others with every word: "batch normalization" put "Batch Normalization:
 * Accelerating Deep Network Training…" 18th, "mamba" "Mamba: Linear-Time Sequence Modeling…"
 * 10th, at 41k, shorter titles with the words covering more of them.
 */
const namedWeight = everyWordWeight;
/** The weights of a score but the bonuses add up to 1: with them too, scores stay within 0..1. */
const withBonuses = 1 + namedWeight + asTypedBonus;
/** An abstract match says less than a title match. */
const abstractWeight = 0.4;
/** The bot highlights a snippet: the first few dozen places of each word in an abstract are plenty. */
const maxAbstractRanges = 40;

interface FieldMatch {
  strength: number;
  ranges: readonly RangeTuple[];
}

export interface RerankOptions {
  /** How many of the best are wanted: only theirs have abstract ranges looked for. */
  limit?: number;
  /** A search in one field only: matches in the other neither count nor show. */
  field?: "title" | "abstract";
  /**
   * Whether a title quoting the query, or named by it, counts (see `asTypedBonus` and
   * `namedWeight`): for what someone typed to find papers, not for roundup topics, whose
   * papers are ranked together across topics ("mixture of experts" would outrank "graph
   * neural networks" for its stop word, and "Graph Mamba: …" every "Diffusion …" title).
   */
  quotes?: boolean;
}

/**
 * Scores candidates by how well each query word matches the title and the
 * abstract, fuzzily (fuse.js), weighted by how rare the word is; then small
 * bonuses for every word being in the title, for a title that is mostly the
 * query, for a title quoting the query, for the FTS5 bm25 rank and for upvotes.
 */
export function rerank(
  candidates: Candidate[],
  groups: QueryGroup[],
  { limit = Number.POSITIVE_INFINITY, field, quotes = false }: RerankOptions = {},
): Ranked[] {
  if (candidates.length === 0) return [];
  const scored = groups.filter((g) => !g.stop);
  const counted = scored.length ? scored : groups;
  const fields = { title: titleMatcher(candidates), abstract: abstractMatcher() };
  const quoting = quotes && groups.some((g) => g.stop) ? typedWords(groups) : [];
  let bestRank = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) bestRank = Math.min(bestRank, candidate.rank);
  const totalWeight = counted.reduce((sum, g) => sum + g.weight, 0) || 1;
  /** The name each group was typed as part of, as a pattern (see `joinedStrength`). */
  const names = new Map(
    counted.flatMap((g) => (g.typedJoined ? [[g, gluedPattern(g.typedJoined)]] : [])),
  );
  /** Whether the paper has the name the group was typed in, if any, in the fields searched. */
  const hasJoined = (group: QueryGroup, candidate: Candidate): boolean => {
    const name = names.get(group);
    if (!name) return true;
    return (
      (field !== "abstract" && name.test(candidate.title)) ||
      (field !== "title" && name.test(candidate.abstract))
    );
  };

  /** Whether each candidate's title has every word. */
  const hasEveryWord: boolean[] = [];
  const hits = candidates.map((candidate, index): Ranked => {
    let matched = 0;
    let inTitle = 0;
    const titleRanges: RangeTuple[] = [];
    const titleWords: string[] = [];
    const abstractWords: string[] = [];
    for (const group of counted) {
      const title = field === "abstract" ? noTitleMatch : fields.title.match(group, index);
      const inAbstract = field !== "title" && fields.abstract.has(group, candidate) ? 1 : 0;
      const found = Math.max(title.strength, abstractWeight * inAbstract);
      const named = found === 0 || hasJoined(group, candidate);
      const strength = named ? found : found * joinedStrength;
      matched += group.weight * strength;
      if (title.strength > 0) {
        // The parts of a name apart are not the name: no title with every word for them.
        if (named) inTitle++;
        titleWords.push(group.word);
        for (const range of title.ranges) titleRanges.push(range);
      } else if (inAbstract > 0) {
        abstractWords.push(group.word);
      }
    }
    const allInTitle = inTitle === counted.length ? 1 : 0;
    hasEveryWord[index] = allInTitle === 1;
    const asTyped = field !== "abstract" && fields.title.hasRun(quoting, index) ? 1 : 0;
    const named = quotes && allInTitle && fields.title.isNamed(index, counted) ? 1 : 0;
    const titleCoverage = coverage(candidate.title, titleRanges);
    const bm25 = candidate.rank / bestRank;
    const popularity = Math.min(1, Math.log10(1 + (candidate.upvotes ?? 0)) / 3);
    const score =
      ((matched / totalWeight) * 0.62 +
        allInTitle * everyWordWeight +
        titleCoverage * 0.1 +
        bm25 * 0.1 +
        popularity * 0.02 +
        named * namedWeight +
        asTyped * asTypedBonus) /
      withBonuses;
    return { candidate, score, titleRanges, abstractRanges: [], titleWords, abstractWords };
  });
  // No title has every word: one that is the query with a word other, left out or added
  // ("attention is all you want") has the words meant, one misremembered, as near as a title
  // can. Not when a title has them: "A Survey on Diffusion Language Models" is no answer to
  // "a survey on large language models".
  if (field !== "abstract" && !hasEveryWord.includes(true)) {
    hits.forEach((hit, index) => {
      if (fields.title.isNearlyTyped(quoting, index)) hit.score += everyWordWeight / withBonuses;
    });
  }
  const ranked = hits
    .sort((a, b) => b.score - a.score || (b.candidate.upvotes ?? 0) - (a.candidate.upvotes ?? 0))
    .slice(0, limit);
  if (field !== "title") {
    for (const hit of ranked)
      for (const group of counted)
        for (const range of fields.abstract.ranges(group, hit.candidate))
          hit.abstractRanges.push(range);
  }
  return ranked;
}

const noTitleMatch = { strength: 0, ranges: [] as RangeTuple[] };

/** A word of a title, a glued compound or a camel-case part, folded, and the characters it spans. */
interface TitleTerm {
  key: string;
  range: RangeTuple;
  /** For a glued compound, the length of its first word, which is a term of its own. */
  head?: number;
}

interface Place {
  strength: number;
  range: RangeTuple;
}

interface TitlePlace {
  index: number;
  range: RangeTuple;
  head: number;
}

/**
 * For every candidate's title: how strongly a query group matches words of it, and where.
 * fuse.js matches each alternative fuzzily against the titles' words, glued compounds
 * ("Pre-training" as "pretraining") and camel parts ("Flash" of "FlashRNN"), never across
 * words: a match must start where the title word starts, and the title word may not be much
 * longer than the alternative ("fusion" is not in "Diffusion", "mamba" not in "Mambaformer").
 * Multi-word alternatives ("graph neural networks") must be a run of the title's words.
 * As fuse.js does for a whole field, a match says less in a longer title.
 */
function titleMatcher(candidates: Candidate[]) {
  const titles = candidates.map((candidate) => titleTerms(candidate.title));
  const norms = candidates.map((candidate) => fieldNorm(candidate.title));
  /** Every distinct term, and where it is. */
  const termPlaces = new Map<string, TitlePlace[]>();
  titles.forEach(({ terms }, index) => {
    for (const { key, range, head = 0 } of terms) {
      const list = termPlaces.get(key);
      if (list) list.push({ index, range, head });
      else termPlaces.set(key, [{ index, range, head }]);
    }
  });
  const keys = [...termPlaces.keys()];
  /** For each word length, the terms neither too short nor too long to match (see `couldMatch`). */
  const byLength = new Map<number, string[]>();
  /**
   * fuse.js over only the terms the alternative could match, in their order (fuse.js ranks
   * ties by it): the same matches as over all of them, at a fraction of the cost.
   */
  const fuseFor = (alternative: string): Fuse<string> | undefined => {
    const pattern = alternative.toLowerCase();
    let likely = keys;
    if (pattern.length === alternative.length) {
      const length = pattern.length;
      let within = byLength.get(length);
      if (!within) {
        within = keys.filter((key) => fitsLength(key, length));
        byLength.set(length, within);
      }
      likely = within.filter((key) => couldMatch(pattern, key));
    }
    if (likely.length === 0) return undefined;
    return new Fuse(likely, {
      includeScore: true,
      threshold: fuzzyThreshold,
      location: 0,
      distance: fuzzyDistance,
      ignoreFieldNorm: true,
    });
  };
  type Matches = Map<number, FieldMatch>;
  const caches = { loose: new Map<string, Matches>(), exact: new Map<string, Matches>() };

  /**
   * Where each title has `alternative`, fuzzily; or `exactly`, for another form of a word
   * matched fuzzily already (see QueryGroup.forms), or a word in quotes (QueryGroup.asTyped).
   */
  function matchesOf(alternative: string, exactly = false): Matches {
    const cache = exactly ? caches.exact : caches.loose;
    const cached = cache.get(alternative);
    if (cached) return cached;
    const places = new Map<number, Place[]>();
    /** `score`: 0 for the word itself, up to 1 for nothing like it, as fuse.js scores. */
    const add = (index: number, score: number, range: RangeTuple) => {
      const strength = 1 - Math.max(minimumScore, score) ** (norms[index] as number);
      const list = places.get(index);
      if (list) list.push({ strength, range });
      else places.set(index, [{ strength, range }]);
    };
    if (alternative.includes(" ")) {
      const phrase = alternative.split(" ").filter(Boolean);
      titles.forEach(({ words }, index) => {
        for (const range of phraseRanges(words, phrase)) add(index, 0, range);
      });
    } else if (
      exactly ||
      alternative.length < shortestFuzzyWord ||
      alternative.length > longestFuzzyWord
    ) {
      // "moe" in "MoE-Lens", "gnns" for "gnn", "rnn" of "FlashRNN"; not inside another word.
      for (const key of [alternative, `${alternative}s`])
        for (const { index, range } of termPlaces.get(key) ?? []) add(index, 0, range);
    } else {
      for (const { item, score = 1 } of fuseFor(alternative)?.search(alternative) ?? []) {
        const stretch = item.length / alternative.length;
        if (stretch > longestStretch) continue;
        // A longer word that only starts with the alternative ("Benchmarking" for
        // "benchmark") matches it less.
        const stretched = 1 - (1 - score) / Math.max(1, stretch);
        for (const { index, range, head } of termPlaces.get(item) ?? []) {
          // "Mixture-of" is no match of "mixture": its first word is. The compound typed in
          // full is, however short its second word ("eagle3" of "EAGLE-3").
          if (item === alternative || alternative.length > head + 1) add(index, stretched, range);
        }
      }
    }
    const found = new Map<number, FieldMatch>();
    for (const [index, list] of places) found.set(index, strongest(list));
    cache.set(alternative, found);
    return found;
  }

  return {
    match(group: QueryGroup, index: number): FieldMatch {
      let best: FieldMatch = { strength: 0, ranges: [] };
      for (const alternative of group.alternatives) {
        // A word in quotes is as typed: "burows" so is no "Burrows", as it is in no topic's.
        const match = matchesOf(alternative, group.asTyped === true).get(index);
        if (!match) continue;
        const strength =
          match.strength *
          (group.acronymReadings?.includes(alternative) ? acronymReadingStrength : 1) *
          (group.typoReadings?.includes(alternative) ? typoReadingStrength : 1);
        if (strength > best.strength) best = { strength, ranges: match.ranges };
      }
      for (const form of group.forms ?? []) {
        const match = matchesOf(form, true).get(index);
        if (match && match.strength * formStrength > best.strength)
          best = { strength: match.strength * formStrength, ranges: match.ranges };
      }
      // A word typed with plus signs ("dbscan++") matches the word without them ("Dynamic
      // DBSCAN…") as another form: "DBSCAN++" or "PointNet++" name other papers than those they
      // extend, and in longer titles, which the word covers less.
      if (group.pluses && !hasPlusesAfter(candidates[index]?.title ?? "", best, group.pluses))
        best = { strength: best.strength * formStrength, ranges: best.ranges };
      return best;
    },
    /**
     * Whether the title, or the part of it before a colon, is the words as typed, stop words too,
     * with one word other, left out or added: at least four words typed, so that three are in it.
     */
    isNearlyTyped(typed: ReadonlySet<string>[], index: number): boolean {
      if (typed.length < shortestNearQuote) return false;
      const { words, beforeColon } = titles[index] as TitleWords;
      return (
        withinOneWord(words, typed) ||
        (beforeColon < words.length && withinOneWord(words.slice(0, beforeColon), typed))
      );
    },
    /**
     * Whether the title's name, the part before its colon, is what the query starts with: its
     * words but stop words are the first of `groups`, in order, each as typed or read, singular
     * or plural ("batch normalization" of "Batch Normalization: Accelerating…"; not "Vamba: …",
     * a word fuzzily like "mamba", nor "Graph Clustering: …", of "clustering graphs").
     */
    isNamed(index: number, groups: readonly QueryGroup[]): boolean {
      const { words, beforeColon } = titles[index] as TitleWords;
      if (beforeColon >= words.length) return false;
      const name = words.slice(0, beforeColon).filter((word) => !stopwords.has(word.key));
      if (name.length === 0 || name.length > groups.length) return false;
      return name.every(({ key }, i) => {
        const readings = namingReadings(groups[i] as QueryGroup);
        return readings.includes(key) || readings.some((reading) => key === `${reading}s`);
      });
    },
    /** Whether the title has the words as typed, stop words too, one after the other. */
    hasRun(typed: ReadonlySet<string>[], index: number): boolean {
      if (typed.length < 2) return false;
      const { words } = titles[index] as { words: TitleTerm[] };
      for (let start = 0; start + typed.length <= words.length; start++) {
        if (typed.every((forms, i) => forms.has((words[start + i] as TitleTerm).key))) return true;
      }
      return false;
    },
  };
}

/**
 * The words a query word names a title's name by: as typed, corrected or in another form; not
 * an acronym read for it, nor a word it may be a typo of when the archive has it as typed
 * ("MAML: Towards a Faster Web…" is no paper named "model agnostic meta learning").
 */
function namingReadings(group: QueryGroup): string[] {
  const loose = new Set([...(group.acronymReadings ?? []), ...(group.typoReadings ?? [])]);
  return oneWordReadings(group).filter((reading) => !loose.has(reading));
}

/**
 * Whether `words` are `typed` but for one word other, left out or added: the same words at
 * the start and at the end, and at most one word of each between them.
 */
function withinOneWord(words: TitleTerm[], typed: ReadonlySet<string>[]): boolean {
  const is = (t: number, w: number) =>
    (typed[t] as ReadonlySet<string>).has((words[w] as TitleTerm).key);
  const [w, t] = [words.length, typed.length];
  if (Math.abs(w - t) > 1) return false;
  let start = 0;
  while (start < w && start < t && is(start, start)) start++;
  let end = 0;
  while (end < w - start && end < t - start && is(t - 1 - end, w - 1 - end)) end++;
  return w - start - end <= 1 && t - start - end <= 1;
}

/** Whether a match in `title` has exactly `pluses` right after it ("DBSCAN++" for "dbscan++"). */
function hasPlusesAfter(title: string, match: FieldMatch, pluses: string): boolean {
  return match.ranges.some(
    ([, end]) => title.startsWith(pluses, end + 1) && title[end + 1 + pluses.length] !== "+",
  );
}

/** For each word of the query in turn, the one-word forms that count as it in a title. */
function typedWords(groups: QueryGroup[]): ReadonlySet<string>[] {
  return groups.map((group) => new Set(oneWordReadings(group)));
}

/**
 * Whether a title term could be a fuzzy match of a word of `length` letters: fuse.js's bitap
 * match with e errors uses at least length - e of the word's letters, one term letter each,
 * and the threshold allows e only up to a quarter of the word, so a term with fewer letters
 * cannot match; a term too stretched is skipped anyway.
 */
function fitsLength(term: string, length: number): boolean {
  return (
    term.length >= length - Math.ceil(length * fuzzyThreshold) &&
    !(term.length / length > longestStretch)
  );
}

/** Whether `term` has enough of `word`'s letters (counted with repeats) for a match (see `fitsLength`). */
function couldMatch(word: string, term: string): boolean {
  const needed = word.length - Math.ceil(word.length * fuzzyThreshold);
  let shared = 0;
  for (let i = 0; i < word.length; i++) {
    const letter = word.charCodeAt(i);
    if (word.indexOf(word[i] as string) < i) continue; // counted at its first place
    let inWord = 0;
    for (let j = i; j < word.length; j++) if (word.charCodeAt(j) === letter) inWord++;
    let inTerm = 0;
    for (let j = 0; j < term.length && inTerm < inWord; j++)
      if (term.charCodeAt(j) === letter) inTerm++;
    shared += inTerm;
    if (shared >= needed) return true;
  }
  return shared >= needed;
}

/** fuse.js's best score: a perfect match. */
const minimumScore = 0.001;

/** fuse.js's field-length norm: 1 / √(number of words). */
function fieldNorm(text: string): number {
  const count = text.split(/\s+/).filter(Boolean).length;
  return 1 / Math.sqrt(Math.max(1, count));
}

const wordPattern = /[\p{L}\p{N}]+/gu;
const asciiOnly = /^[\x20-\x7e]*$/;
/** Upper-case runs ("RNN" of "FlashRNN"), capitalised or lower-case runs, digit runs. */
const camelPart = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+/gu;
/** A word with a capital after its first letter: "FlashRNN", "GFlowNets", "MoE". */
const camelWord = /^[\p{L}\p{N}][\p{Ll}\p{N}]*\p{Lu}/u;
/** Parts of a glued compound taken as words of their own ("pretraining" of "Self-Pre-training"). */
const longestGluedRun = 3;

interface TitleWords {
  words: TitleTerm[];
  terms: TitleTerm[];
  /** How many of the words come before the title's first colon (all of them without one). */
  beforeColon: number;
}

/**
 * A title's words in order, and its terms: the words, their glued compounds
 * ("GemNet-OC" as "gemnetoc", and shorter runs of longer compounds) and camel
 * parts of at least three letters (as the index has them), each with its range.
 */
function titleTerms(title: string): TitleWords {
  const fold = asciiOnly.test(title)
    ? (text: string) => text.toLowerCase()
    : (text: string) =>
        text
          .normalize("NFKD")
          .replace(/\p{M}+/gu, "")
          .toLowerCase();
  const words: TitleTerm[] = [];
  const terms: TitleTerm[] = [];
  let run: TitleTerm[] = [];
  const endRun = () => {
    for (let from = 0; from < run.length; from++) {
      for (let to = from + 1; to < run.length; to++) {
        if (to - from >= longestGluedRun && !(from === 0 && to === run.length - 1)) continue;
        const glued = run.slice(from, to + 1);
        const first = glued[0] as TitleTerm;
        terms.push({
          key: glued.map((word) => word.key).join(""),
          range: [first.range[0], (glued[glued.length - 1] as TitleTerm).range[1]],
          head: first.key.length,
        });
      }
    }
    run = [];
  };
  for (const match of title.matchAll(wordPattern)) {
    const text = match[0];
    const start = match.index;
    const word: TitleTerm = { key: fold(text), range: [start, start + text.length - 1] };
    const previous = words[words.length - 1];
    if (previous && /\s/.test(title.slice(previous.range[1] + 1, start))) endRun();
    run.push(word);
    words.push(word);
    terms.push(word);
    if (camelWord.test(text)) {
      const parts = [...text.matchAll(camelPart)];
      if (parts.length > 1)
        for (const part of parts) {
          if (part[0].length < 3) continue;
          const at = start + part.index;
          terms.push({ key: fold(part[0]), range: [at, at + part[0].length - 1] });
        }
    }
  }
  endRun();
  const colon = title.indexOf(":");
  const beforeColon =
    colon < 0 ? words.length : words.filter((word) => word.range[0] < colon).length;
  return { words, terms, beforeColon };
}

/** Where `phrase` is a run of `words`, the last word singular or plural. */
function phraseRanges(words: TitleTerm[], phrase: string[]): RangeTuple[] {
  const ranges: RangeTuple[] = [];
  const last = phrase.length - 1;
  for (let i = 0; i + last < words.length; i++) {
    let j = 0;
    while (j < last && (words[i + j] as TitleTerm).key === phrase[j]) j++;
    if (j < last) continue;
    const key = (words[i + last] as TitleTerm).key;
    const want = phrase[last] as string;
    if (key === want || key === `${want}s` || `${key}s` === want)
      ranges.push([(words[i] as TitleTerm).range[0], (words[i + last] as TitleTerm).range[1]]);
  }
  return ranges;
}

/**
 * One alternative in one title: the best strength, and the ranges not overlapping a stronger
 * match, in order. Whether a place overlaps one kept is read off the characters kept places
 * cover, not checked against each of them: a title of 20,000 "Deep"s took 2 × 10⁸ checks.
 */
function strongest(places: Place[]): FieldMatch {
  const kept: Place[] = [];
  const covered = new Set<number>();
  for (const place of [...places].sort((a, b) => b.strength - a.strength)) {
    const [start, end] = place.range;
    let free = true;
    for (let at = start; at <= end && free; at++) free = !covered.has(at);
    if (!free) continue;
    kept.push(place);
    for (let at = start; at <= end; at++) covered.add(at);
  }
  return {
    strength: (kept[0] as Place).strength,
    ranges: kept.map((place) => place.range).sort((a, b) => a[0] - b[0]),
  };
}

/**
 * For every candidate's abstract: whether a query group's words occur in it, and where
 * (the first `maxAbstractRanges` places: a word may fill a huge abstract).
 * Exact words (plural or not) suffice here: FTS5 matched these words already, misspellings
 * were corrected against the vocabulary, and a fuzzy scan of long abstracts costs more than
 * the rest of a search. The words are looked for as the index reads the abstract, without
 * accents: "Schrödinger", which the search found for "schrödinger" or "schrodinger", was
 * neither counted nor shown in bold.
 */
function abstractMatcher() {
  const caches = { words: new Map<QueryGroup, RegExp>(), parts: new Map<QueryGroup, RegExp>() };
  const patternOf = (group: QueryGroup, kind: "words" | "parts" = "words"): RegExp => {
    let pattern = caches[kind].get(group);
    if (!pattern) {
      const alternatives = wordsOf(group);
      pattern = kind === "words" ? wordsPattern(alternatives) : partsPattern(alternatives);
      caches[kind].set(group, pattern);
    }
    return pattern;
  };
  /** Each abstract as read: unaccented when it has letters past ASCII (few do), else as it is. */
  const readings = new Map<Candidate, Unaccented | null>();
  const readingOf = (candidate: Candidate): Unaccented | null => {
    let reading = readings.get(candidate);
    if (reading === undefined) {
      reading = hasLettersPastAscii(candidate.abstract) ? unaccented(candidate.abstract) : null;
      readings.set(candidate, reading);
    }
    return reading;
  };
  return {
    /** Whether the abstract has any of the group's words: all that scoring needs. */
    has(group: QueryGroup, candidate: Candidate): boolean {
      const reading = readingOf(candidate);
      const pattern = patternOf(group);
      if (reading) return !wordPlaces(pattern, reading.text, true).next().done;
      pattern.lastIndex = 0;
      const found = pattern.test(candidate.abstract);
      pattern.lastIndex = 0;
      return found;
    },
    /**
     * Where the abstract has them, for the hits shown: places in the abstract as written. Camel
     * parts too, which scoring leaves out: a paper found by the part ("cuboid" of "HyperCuboid",
     * "platypus" of "OpenPlatypus") showed the start of its abstract, nothing of the query.
     */
    ranges(group: QueryGroup, candidate: Candidate): RangeTuple[] {
      const reading = readingOf(candidate);
      const text = reading?.text ?? candidate.abstract;
      const ranges: RangeTuple[] = [];
      const places = [
        wordPlaces(patternOf(group), text, reading !== null),
        camelPartPlaces(patternOf(group, "parts"), new Set(wordsOf(group)), text),
      ];
      for (const found of places) {
        for (const [start, end] of found) {
          if (ranges.length >= maxAbstractRanges) return ranges;
          ranges.push(
            reading ? [reading.starts[start] as number, reading.ends[end] as number] : [start, end],
          );
        }
      }
      return ranges;
    },
  };
}

/**
 * Where `pattern` (of `wordsPattern`) matches `text`. In text with letters past ASCII, which
 * some keep unaccented ("Søren", "αDepth"), only whole words there: the pattern's ASCII word
 * edges took "ren" of "Søren" for a word. A pattern with Unicode classes, which would need no
 * such check, took 0.4 ms to compile, more than the rest of a re-rank; one that has them (of
 * a word with such a letter, "søren") has Unicode edges of its own, and the check would take
 * its every match for no word.
 */
function* wordPlaces(pattern: RegExp, text: string, unicode: boolean): Generator<RangeTuple> {
  const checked = unicode && !pattern.unicode;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const [start, end] = [match.index, match.index + match[0].length - 1];
    if (!checked || isWholeWords(text, start, end)) yield [start, end];
    else pattern.lastIndex = start + 1;
  }
}

/** The words a group is looked for by in abstracts. */
const wordsOf = (group: QueryGroup): string[] => [...group.alternatives, ...(group.forms ?? [])];

/**
 * Where `text` has one of `wanted` as a camel part of a longer word, as the index holds such
 * parts (see `titleTerms`): "Cuboid" of "HyperCuboid", "Alpaca" of "AlpacaEval". `pattern`
 * (of `partsPattern`) finds the words that may have one.
 */
function* camelPartPlaces(
  pattern: RegExp,
  wanted: ReadonlySet<string>,
  text: string,
): Generator<RangeTuple> {
  pattern.lastIndex = 0;
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    let start = found.index;
    let end = found.index + found[0].length;
    // Mostly the word itself, which `wordPlaces` found: nothing glued to it.
    if (!isWordChar(text[start - 1]) && !isWordChar(text[end])) continue;
    while (start > 0 && isWordChar(text[start - 1])) start--;
    while (end < text.length && isWordChar(text[end])) end++;
    pattern.lastIndex = end;
    const word = text.slice(start, end);
    if (!camelWord.test(word)) continue;
    const parts = [...word.matchAll(camelPart)];
    if (parts.length < 2) continue;
    for (const { index, 0: part } of parts) {
      if (part.length >= 3 && wanted.has(part.toLowerCase()))
        yield [start + index, start + index + part.length - 1];
    }
  }
}

/** Whether `text` from `start` to `end` is words, with no letter or digit just outside or inside them. */
function isWholeWords(text: string, start: number, end: number): boolean {
  return (
    !endsInLetter.test(text.slice(Math.max(0, start - 2), start)) &&
    !startsWithLetter.test(text.slice(end + 1, end + 3)) &&
    !hasLettersPastAscii(text.slice(start, end + 1))
  );
}

const endsInLetter = /[\p{L}\p{N}]$/u;
const startsWithLetter = /^[\p{L}\p{N}]/u;
/** Runs of characters past ASCII: only "’" or "–" need neither unaccenting nor Unicode word edges. */
const pastAscii = /[\u0080-\uffff]+/g;
const letterOrAccent = /[\p{L}\p{M}\p{N}]/u;

/**
 * Whether `text` has a letter, accent or digit past ASCII. Each run past ASCII is looked at
 * alone: a Unicode pattern over the whole of an abstract with a curly quote took half as long again.
 */
function hasLettersPastAscii(text: string): boolean {
  pastAscii.lastIndex = 0;
  for (let run = pastAscii.exec(text); run; run = pastAscii.exec(text))
    if (letterOrAccent.test(run[0])) return true;
  return false;
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

/**
 * Any of `names` (QueryGroup.typedJoined) written as one word, its words glued or joined by a
 * hyphen or other sign but no space: "R-GRPO" or "RGRPO" for "r grpo"; not "a RoPE" for "a rope".
 * Maybe with more after it: a variant of the name ("GPT-4o", "GPT-4V" of "gpt-4") is no parts
 * apart, and "How Well Does GPT-4o Understand Vision?" had gone from first to below titles
 * with neither for "gpt-4 vision".
 */
function gluedPattern(names: string[]): RegExp {
  // ASCII classes when they will do, as in `wordsPattern`: several times faster.
  const ascii = names.every((name) => /^[a-z0-9 ]+$/.test(name));
  const letter = ascii ? "[A-Za-z0-9]" : "[\\p{L}\\p{N}]";
  const glue = ascii ? "[^A-Za-z0-9\\s]*" : "[^\\p{L}\\p{N}\\s]*";
  // Folded words are letters and digits: nothing in them to escape.
  const spelled = names.map((name) => name.split(" ").join(glue));
  return new RegExp(`(?<!${letter})(?:${spelled.join("|")})`, ascii ? "i" : "iu");
}

/**
 * Any of `alternatives` of a camel part's length (three letters or more) anywhere, words or
 * not: `camelPartPlaces` checks each place.
 */
function partsPattern(alternatives: string[]): RegExp {
  const single = alternatives.filter((a) => a.length >= 3 && !a.includes(" "));
  const ascii = single.every((a) => /^[a-z0-9]+$/.test(a));
  // A pattern that matches nothing when no alternative can be a part.
  return new RegExp(single.length ? single.join("|") : "(?!)", ascii ? "gi" : "giu");
}

/** The share of a title's letters and digits that the query matched: high for "that's the title". */
function coverage(title: string, ranges: RangeTuple[]): number {
  const letters = title.replace(/[^\p{L}\p{N}]/gu, "").length || 1;
  const covered = new Set<number>();
  for (const [start, end] of ranges)
    for (let i = start; i <= end; i++) if (isWordChar(title[i])) covered.add(i);
  return Math.min(1, covered.size / letters);
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

/** FTS5 rows as paper id → bm25. */
export function ranksOf(rows: unknown[]): Map<number, number> {
  return new Map((rows as { id: number; rank: number }[]).map((row) => [row.id, row.rank]));
}
