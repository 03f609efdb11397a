import type { BenchPaper } from "./data.ts";
import { intBetween, pick, type Rng, seededRng, shuffled } from "./prng.ts";

/**
 * Queries are made from the papers being searched, the way people type them.
 * The bench keeps its own word rules and stop list (not src/text's), so the
 * held-out check does not share the engine's assumptions.
 */
const stopwords = new Set(
  `a about all an and are as at be between by can do does for from how in into is it its
  more not of on or our over than the their this through to towards toward under using
  via vs we what when where which why with without you your`.split(/\s+/),
);

/** How a hyphenated compound is typed: "graph mamba" or "graphmamba". */
type Hyphens = "split" | "join";

/** A text's words as typed: lower-case, accents and punctuation dropped. */
export function typedWords(text: string, hyphens: Hyphens = "split"): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/\s+/)
    .flatMap((token) => {
      const word = token.replace(/[^a-z0-9-]+/g, "");
      return hyphens === "join" ? [word.replaceAll("-", "")] : word.split("-");
    })
    .filter(Boolean);
}

const isContentWord = (word: string) => word.length >= 3 && !stopwords.has(word);
const contentWords = (text: string, hyphens?: Hyphens) =>
  typedWords(text, hyphens).filter(isContentWord);
/** Long enough to mistype and still be recognisable. */
const isTypoable = (word: string) => /^[a-z]{5,}$/.test(word);

/** The word with one typo, never in its first letter: two letters swapped, one dropped or doubled. */
function withTypo(word: string, rng: Rng): string {
  for (;;) {
    const at = intBetween(rng, 1, word.length - 2);
    const [before, here, after] = [word.slice(0, at), word.charAt(at), word.slice(at + 1)];
    const kind = intBetween(rng, 0, 2);
    const typo =
      kind === 0
        ? before + after.charAt(0) + here + after.slice(1)
        : kind === 1
          ? before + after
          : before + here + here + after;
    if (typo !== word) return typo;
  }
}

/** Mistypes one of the words that can be, if any. */
export function mistypeOne(words: string[], rng: Rng): string[] | undefined {
  const candidates = words.map((word, i) => (isTypoable(word) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return undefined;
  const at = pick(rng, candidates);
  return words.map((word, i) => (i === at ? withTypo(word, rng) : word));
}

/** `count` words of `words` in their order, starting at a random place. */
function run(words: readonly string[], count: number, rng: Rng): string[] {
  const start = intBetween(rng, 0, Math.max(0, words.length - count));
  return words.slice(start, start + count);
}

/** An all-capitals token of a title ("GNNs", "LLM", "3D" excluded), lower-cased. */
function acronymsOf(title: string): string[] {
  return title
    .split(/[\s:,()/-]+/)
    .filter((token) => /^[A-Z][A-Z0-9]{1,6}s?$/.test(token) && /[A-Z].*[A-Z]/.test(token))
    .map((token) => token.toLowerCase());
}

type QueryMaker = (paper: BenchPaper, rng: Rng) => string[] | undefined;

/** The kinds of search query in the mixed set, used in turn. */
const queryMakers: Record<string, QueryMaker> = {
  titleWords: (paper, rng) => run(contentWords(paper.title), intBetween(rng, 2, 4), rng),
  typo: (paper, rng) => mistypeOne(run(contentWords(paper.title), intBetween(rng, 2, 4), rng), rng),
  acronym: (paper, rng) => {
    const acronyms = acronymsOf(paper.title);
    if (acronyms.length === 0) return undefined;
    const acronym = pick(rng, acronyms);
    const other = contentWords(paper.title).filter((word) => !acronyms.includes(word));
    return rng() < 0.5 || other.length === 0 ? [acronym] : [acronym, pick(rng, other)];
  },
  partialTitle: (paper, rng) => typedWords(paper.title).slice(0, intBetween(rng, 3, 6)),
  singleWord: (paper, rng) => {
    const words = contentWords(paper.title).filter((word) => word.length >= 4);
    return words.length ? [pick(rng, words)] : undefined;
  },
  topic: (paper, rng) => {
    const length = intBetween(rng, 2, 3);
    const words = typedWords(paper.abstract);
    const isTopicWord = (word: string) => isContentWord(word) && /^[a-z]+$/.test(word);
    const starts = words
      .map((_, i) => i)
      .filter((i) => i + length <= words.length && words.slice(i, i + length).every(isTopicWord));
    if (starts.length === 0) return undefined;
    const start = pick(rng, starts);
    return words.slice(start, start + length);
  },
};

/** Makes `count` queries with `make`, each from a random paper it works for. */
function makeQueries(
  papers: readonly BenchPaper[],
  count: number,
  rng: Rng,
  make: (i: number, paper: BenchPaper) => string[] | undefined,
): string[] {
  return Array.from({ length: count }, (_, i) => {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const words = make(i, pick(rng, papers));
      if (words && words.length > 0) return words.join(" ");
    }
    throw new Error(`no paper gives query ${i}`);
  });
}

/** Mixed search queries: title words, typos, acronyms, title starts, single words, abstract topics. */
export function searchQueries(
  papers: readonly BenchPaper[],
  count: number,
  seed: number,
): string[] {
  const rng = seededRng(seed);
  const makers = Object.values(queryMakers);
  return makeQueries(papers, count, rng, (i, paper) => makers[i % makers.length]?.(paper, rng));
}

/** What someone has typed of a title so far: a few words and part of the next, a third with a typo. */
export function titlePrefixes(
  papers: readonly BenchPaper[],
  count: number,
  seed: number,
): string[] {
  const rng = seededRng(seed);
  return makeQueries(papers, count, rng, (i, paper) => {
    const words = typedWords(paper.title);
    if (words.length < 2) return undefined;
    const complete = intBetween(rng, 0, Math.min(4, words.length - 1));
    const next = words[complete] as string;
    const partial = next.slice(
      0,
      intBetween(rng, Math.min(2, next.length), Math.max(2, next.length - 1)),
    );
    const typed = [...words.slice(0, complete), partial];
    return i % 3 === 2 ? mistypeOne(typed.slice(0, -1), rng)?.concat(partial) : typed;
  });
}

export interface HeldOutQuery {
  query: string;
  paper: BenchPaper;
}

/**
 * Held-out queries, never used for tuning: for random papers, 2–4 of the
 * title's rarest words (by how many titles have them) in shuffled order,
 * one mistyped when any word has 5+ letters; compounds typed split or joined.
 */
export function heldOutQueries(
  papers: readonly BenchPaper[],
  count: number,
  seed: number,
): HeldOutQuery[] {
  const rng = seededRng(seed);
  const titlesWith = new Map<string, number>();
  for (const paper of papers) {
    for (const word of new Set([
      ...contentWords(paper.title),
      ...contentWords(paper.title, "join"),
    ])) {
      titlesWith.set(word, (titlesWith.get(word) ?? 0) + 1);
    }
  }
  const queries: HeldOutQuery[] = [];
  for (const paper of shuffled(rng, papers)) {
    if (queries.length === count) break;
    const words = [...new Set(contentWords(paper.title, rng() < 0.5 ? "split" : "join"))];
    if (words.length < 2) continue;
    const rarest = shuffled(rng, words)
      .sort((a, b) => (titlesWith.get(a) ?? 0) - (titlesWith.get(b) ?? 0))
      .slice(0, intBetween(rng, 2, 4));
    const typed = shuffled(rng, rarest);
    queries.push({ query: (mistypeOne(typed, rng) ?? typed).join(" "), paper });
  }
  return queries;
}
