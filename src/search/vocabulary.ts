import levenshtein from "damerau-levenshtein";
import Fuse from "fuse.js";
import type { Db } from "../store/db.ts";
import { greekVariants } from "../text/greek.ts";
import { spellingVariants, spellingVariantsOfStart } from "../text/spelling.ts";
import { stopwords } from "../text/stopwords.ts";
import { typingSlips } from "../text/typing.ts";
import { createTypoIndex } from "./typo-index.ts";

/** Answers kept at most, per kind: far more words than any day's queries use. */
const maxCached = 50_000;

/**
 * Index writes made through a connection. SQLite's data_version tells a connection
 * about commits by others, never about its own; the indexer notes its writes here.
 */
const ownWrites = new WeakMap<Db, number>();

/** Tells every vocabulary on `db` that the index changed: what they remember is stale. */
export function noteIndexWrite(db: Db): void {
  ownWrites.set(db, (ownWrites.get(db) ?? 0) + 1);
}

/**
 * The shortest start that can tell two spellings apart: "metr" of "metre" (not "meter"); in
 * every other family a longer one ("colou", "optimis").
 */
const shortestSpellingStart = 4;
/** The shortest word being typed that is read as the start of a word with a slip in it (`slippedStarts`). */
const shortestSlippedStart = 4;
/** Words a start begins looked at for their other spellings: "mode" begins 117 at 41k papers. */
const wordsPerStart = 200;

/** A word this rare next to a one-typo neighbour this much more common is taken for a typo too. */
const rareWord = 3;
const muchMoreCommon = 20;
const shortestCorrectable = 4;
/** Each word of a glued pair is at least this long ("xl" of "dreamerxl"). */
const shortestGluedWord = 2;
/** Each of the two words a common word is read as is at least this long ("time" of "timesteps"). */
const shortestApartWord = 4;

/** An acronym, words it stands for, and how many papers define it so. */
interface AcronymCount {
  acronym: string;
  expansion: string;
  count: number;
}
/** See `isMeant` in createVocabulary. */
const fewPapers = 20;
/** See `typoCandidates` in createVocabulary. */
const shortestTwoSlips = 8;
const shortestCluedTwoSlips = 6;

/**
 * Whether `typed`, two slips from a word of the archive, is that word as typing slips make
 * them (`typingSlips`: "criminal" is two slips from "critical", but no finger slips from "t"
 * to "m" and from "c" to "n"), and neither is the other with two letters put before or after
 * it, a word of its own: "regrasping" is no "grasping", "statistic" no "statistical".
 */
function asTypedTwoSlips(typed: string, word: string): boolean {
  const [shorter, longer] = typed.length < word.length ? [typed, word] : [word, typed];
  const affixed =
    longer.length === shorter.length + 2 &&
    (longer.startsWith(shorter) || longer.endsWith(shorter));
  return !affixed && typingSlips(typed, word) <= 2;
}

/**
 * Whether a word the archive has, `knownDf` papers, may be a typo of `neighbour` (see
 * `rareWord`). One slip away only: a typo a paper made and someone typed again is one slip
 * ("transfomer"); a word two from a common one is a name ("fastrp" is not "faster", and
 * titles with "Faster" took every place before the one paper that has FastRP).
 */
function isTypoOf(word: string, knownDf: number, neighbour: { term: string; df: number }): boolean {
  return neighbour.df >= knownDf * muchMoreCommon && slips(word, neighbour.term) <= 1;
}

/**
 * The archive's vocabulary: how common a word is, its plural or singular,
 * what a misspelt word was probably meant to be, and the acronyms the archive
 * defines. Typo candidates come from the typo index; fuse.js scores how close
 * each is to what was typed.
 *
 * Answers are remembered until the index changes (a commit by another connection,
 * or a write noted by `noteIndexWrite`): FTS5 counts a word's papers by reading its
 * whole posting list, over a millisecond for "learning" or "the" at 41k papers,
 * and every query asks for a dozen such counts.
 */
export function createVocabulary(db: Db) {
  const dfOf = db.prepare("SELECT doc FROM papers_vocab WHERE term = ?").pluck();
  const countPapers = db.prepare("SELECT count(*) FROM papers").pluck();
  const typoIndex = createTypoIndex(db);
  const acronymsOf = db.prepare(
    "SELECT acronym, expansion, count FROM acronyms WHERE acronym = ? AND count > 0 ORDER BY count DESC LIMIT 2",
  );
  const acronymsFor = db.prepare(
    "SELECT acronym, expansion, count FROM acronyms WHERE expansion = ? AND count > 0 ORDER BY count DESC",
  );
  const definitionsOf = db.prepare(
    "SELECT acronym, expansion, count FROM acronyms WHERE acronym = ? AND count > 0",
  );

  /**
   * Whether an acronym is likely meant so where a title or query has it: not when it is a stop
   * word ("adversarial training (AT)" made "at" match "training"), nor when only one paper
   * defines it so and more than a few papers have it as a word (one "language agents (LAs)"
   * made "language agents" match "A la Carte" and "Las Vegas" by both words).
   */
  const isMeant = ({ acronym, count }: AcronymCount) =>
    !stopwords.has(acronym) && (count > 1 || df(acronym) <= fewPapers);

  const hasPhrase = db.prepare("SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT 1").pluck();
  const titleHasPhrase = db
    .prepare("SELECT 1 FROM titles_fts WHERE titles_fts MATCH ? LIMIT 1")
    .pluck();

  const dataVersion = db.prepare("PRAGMA data_version").pluck();
  let seenVersion = -1;
  let seenWrites = -1;
  const dfs = new Map<string, number>();
  const corrected = new Map<string, string[]>();
  const unglued = new Map<string, string[]>();
  const verbs = new Map<string, string[]>();
  let papers: number | undefined;

  /**
   * Whether data_version was read in the synchronous run now going on (a search, a title
   * suggestion, a roundup's selection): read at every lookup, it took 9 % of the CPU of
   * searches and suggestions at 41k papers. Once per run is as good: a commit by another
   * connection during one search is seen by the next, as one just after it would be. Cleared
   * in a microtask, once the run is over.
   */
  let versionRead = false;
  let version = -1;

  /** Forgets every answer when the index may have changed since they were given. */
  function fresh(): void {
    if (!versionRead) {
      versionRead = true;
      queueMicrotask(() => {
        versionRead = false;
      });
      version = dataVersion.get() as number;
    }
    const writes = ownWrites.get(db) ?? 0;
    if (version !== seenVersion || writes !== seenWrites || dfs.size > maxCached) {
      seenVersion = version;
      seenWrites = writes;
      dfs.clear();
      corrected.clear();
      unglued.clear();
      verbs.clear();
      papers = undefined;
    }
  }

  function df(term: string): number {
    fresh();
    let count = dfs.get(term);
    if (count === undefined) {
      count = (dfOf.get(term) as number | undefined) ?? 0;
      dfs.set(term, count);
    }
    return count;
  }

  function paperCount(): number {
    fresh();
    papers ??= countPapers.get() as number;
    return papers;
  }

  /**
   * The answer `cache` holds for `key`, found now when it holds none: kept until the index
   * changes (`fresh`), or the cache is full.
   */
  function remembered(cache: Map<string, string[]>, key: string, find: () => string[]): string[] {
    fresh();
    let found = cache.get(key);
    if (!found) {
      found = find();
      if (cache.size >= maxCached) cache.clear();
      cache.set(key, found);
    }
    return [...found];
  }

  function corrections(word: string, knownDf: number, context: string[] = []): string[] {
    if (knownDf > rareWord || !isCorrectable(word)) return [];
    const clues = [...context].sort((a, b) => df(a) - df(b)).slice(0, contextClues);
    const key = `${word}\t${knownDf}\t${clues.join(" ")}`;
    return remembered(corrected, key, () => correct(word, knownDf, clues));
  }

  /**
   * The word's singular and plural forms, in British and American spelling, its adjective
   * in -ic as in -ical or the other way round (`otherAdjectiveEnding`), and with a Greek
   * letter for its name or the other way round, that the archive has ("network" →
   * "networks", "quantisation" → "quantization", "analytic" → "analytical", "delta" → "δ",
   * "alphadepth" → "αdepth").
   */
  function inflections(word: string): string[] {
    const greek = greekVariants(word).filter((form) => df(form) > 0);
    if (word.length < 3 || !/^[a-z]+$/.test(word)) return greek;
    const stem = word
      .replace(/(?<=[^aeiou])ies$/, "y")
      .replace(/(?<=(?:s|x|ch|sh))es$/, "")
      .replace(/(?<!s)s$/, "");
    // "-es" only after a hissing sound ("boxes", "patches"): "shap" (SHAP) is no "shapes", nor
    // "gat" (GAT) "gates"; "SHAP" put 40 titles with "shapes" before the SHAP paper at 41k.
    const forms = new Set([stem, `${stem}s`, stem.replace(/y$/, "ies")]);
    if (/(?:s|x|z|ch|sh)$/.test(stem)) forms.add(`${stem}es`);
    const adjective = otherAdjectiveEnding(word);
    if (adjective) forms.add(adjective);
    for (const form of [word, ...forms])
      for (const other of spellingVariants(form)) forms.add(other);
    forms.delete(word);
    return [...[...forms].filter((form) => df(form) > 0), ...greek];
  }

  /** Which of `terms` some paper has beside every word of `clues`, in any of its forms. */
  function besideClues(terms: string[], clues: string[], where = hasPhrase): string[] {
    const anyForm = (word: string) =>
      `(${[word, ...inflections(word)].map((form) => `"${form}"`).join(" OR ")})`;
    const withClues = clues.map(anyForm).join(" AND ");
    return terms.filter((term) => where.get(`"${term}" AND ${withClues}`) !== undefined);
  }

  /**
   * The archive's words `word` may be a typo of, with their papers: those the typo index finds
   * one slip away. A word no paper has with none one slip away is read as those two slips away
   * as typing makes them (`asTypedTwoSlips`): "optimzaiton" is "optimization", and
   * "aproximaton" "approximation", not "proximation" (a letter left out, another added), which
   * alone the index found (a letter left out of each). From `shortestTwoSlips` letters;
   * shorter, two slips make too many words, and a word no paper has is as often a name
   * ("formnet", "moverse") or a word the archive lacks ("talkers", "strokes"): only those the
   * index found, and from `shortestCluedTwoSlips` letters the commonest that a title has
   * beside the query's rarest other words: "unet enocdr" is "encoder" (a title has "UNet
   * Encoder"); "invoke large models", of an archive without "invoke", is no "involve".
   */
  function typoCandidates(word: string, knownDf: number, clues: string[]) {
    const near = typoIndex
      .neighbours(word)
      .filter((term) => term !== word)
      .map((term) => ({ term, df: df(term) }))
      // A word no paper has any more (`paperboy forget`) stays in the typo index, unused.
      .filter((c) => c.df > 0 && (knownDf === 0 || isTypoOf(word, knownDf, c)));
    if (knownDf > 0 || near.some((c) => slips(word, c.term) <= 1)) return near;
    if (word.length >= shortestTwoSlips) return twoSlipsFrom(word);
    // The index's words are two slips away then, and as typing makes them only: "lasso" is no
    // "class", "armed" no "named".
    const typed = near.filter((c) => asTypedTwoSlips(word, c.term));
    if (word.length < shortestCluedTwoSlips || clues.length === 0) return typed;
    const likeliest = twoSlipsFrom(word)
      .sort((a, b) => b.df - a.df)
      .slice(0, cluedCandidates);
    const inTitles = new Set(
      besideClues(
        likeliest.map((c) => c.term),
        clues,
        titleHasPhrase,
      ),
    );
    return inTitles.size > 0 ? likeliest.filter((c) => inTitles.has(c.term)) : typed;
  }

  /** The archive's words two typing slips from `word` (see `asTypedTwoSlips`), with their papers. */
  function twoSlipsFrom(word: string) {
    return typoIndex
      .twoSlipsFrom(word)
      .filter((term) => asTypedTwoSlips(word, term))
      .map((term) => ({ term, df: df(term) }))
      .filter((c) => c.df > 0);
  }

  function correct(word: string, knownDf: number, clues: string[] = []): string[] {
    const candidates = typoCandidates(word, knownDf, clues);
    if (candidates.length === 0) return [];
    const fuse = new Fuse(candidates, {
      keys: ["term"],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.6,
    });
    const ranked = fuse
      .search(word)
      // As in Norvig's corrector: the fewest typing slips first (Damerau: two letters swapped
      // are one slip, where fuse.js counts two, and "agnet" inside "magnet" none at all), then
      // the most common word; fuse.js's closeness breaks near-ties and drops poor matches.
      // "modles" is "models", not "modules"; "agnet" is "agent", not "magnet".
      .map(({ item, score = 1 }) => {
        const slipped = slips(word, item.term);
        return {
          term: item.term,
          slips: slipped,
          rank: slipped + 0.05 * score - 0.1 * Math.log10(1 + item.df),
        };
      })
      .sort((a, b) => a.rank - b.rank);
    const best = ranked[0];
    if (!best) return [];
    // Of the words as few slips away as the likeliest, those a paper has beside the query's
    // other words: "guant tensor product" is "gaunt" (Gaunt Tensor Products), one paper's word,
    // not "quant" or "giant", far commoner but in no paper with "tensor" and "product".
    if (clues.length > 0) {
      const nearest = ranked.filter((r) => r.slips === best.slips).slice(0, cluedCandidates);
      const fitting = besideClues(
        nearest.map((r) => r.term),
        clues,
      );
      if (fitting.length > 0 && fitting[0] !== best.term) return fitting.slice(0, 2);
    }
    return ranked
      .filter((r) => r.rank <= best.rank + 0.05)
      .slice(0, 2)
      .map((r) => r.term);
  }

  /**
   * The two words, each `shortest` letters at least and no stop word, that `word` is with a
   * space put in it, where each `isWord` and `phrase` finds them side by side.
   */
  function twoWordsOf(
    word: string,
    shortest: number,
    isWord: (part: string) => boolean,
    phrase: typeof hasPhrase,
  ): string[] {
    const found: string[] = [];
    for (let at = shortest; at <= word.length - shortest; at++) {
      const [left, right] = [word.slice(0, at), word.slice(at)];
      if (stopwords.has(left) || stopwords.has(right) || !isWord(left) || !isWord(right)) continue;
      const pair = `${left} ${right}`;
      if (phrase.get(`"${pair}"`)) found.push(pair);
    }
    return found;
  }

  return {
    df,
    paperCount,

    inflections,

    /**
     * The other forms of a verb, or of an adjective as an adverb, that the archive has:
     * "pruned" → "prune", "pruning", "prunes"; "mapping" → "map", "mapped"; "studies" →
     * "study", "studied"; "sharply" → "sharp" (see `verbStem`); in either spelling
     * ("quantised" → "quantizing" too: the spellings' own forms are another stem).
     */
    verbForms(word: string): string[] {
      if (!/^[a-z]{3,}$/.test(word)) return [];
      return remembered(verbs, word, () => {
        const forms = new Set<string>();
        for (const spelling of [word, ...spellingVariants(word)]) {
          const stem = verbStem(spelling);
          for (const form of verbFormsOf(stem, { ownStem: spelling === stem }))
            if (form !== word && verbStem(form) === stem && df(form) > 0) forms.add(form);
        }
        return [...forms];
      });
    },

    /**
     * The two words of the archive that `word` is when typed without the space between them
     * ("packetspraying" → "packet spraying"), where some paper has them side by side. Only
     * for a word the archive has at most a few times: "database" is meant as typed.
     */
    splits(word: string, knownDf: number): string[] {
      // Not a number: "202401" is not the year and month side by side.
      if (knownDf > rareWord || !/^[a-z0-9]+$/.test(word) || !/[a-z]/.test(word)) return [];
      return remembered(unglued, word, () =>
        twoWordsOf(word, shortestGluedWord, (part) => df(part) > 0, hasPhrase),
      );
    },

    /**
     * The two words a word more than a few papers have is, as some title writes it ("timesteps"
     * as "Time Steps", "dataset" as "Data Set"): of a word that common, a title with it apart
     * did not match it, nor come among the candidates ("choose timesteps for diffusion
     * sampling" missed "AutoDiffusion: … Optimization of Time Steps …"). Titles only: an
     * abstract's phrase of two common words costs milliseconds to look for. Each word at least
     * `shortestApartWord` letters, neither a stop word nor a word of a few papers.
     */
    apartInTitles(word: string, knownDf: number): string[] {
      if (knownDf <= rareWord || word.length < 2 * shortestApartWord || !/^[a-z]+$/.test(word))
        return [];
      // Not words of a few papers: a title's "Unde rstanding" made "understanding" two.
      return remembered(unglued, `titles:${word}`, () =>
        twoWordsOf(word, shortestApartWord, (part) => df(part) > rareWord, titleHasPhrase),
      );
    },

    /**
     * The words one slip from `word`, a word the archive has, that `muchMoreCommon` times as many
     * papers have, which it may be a slip into: "casual" of "causal". Unlike `corrections`, for
     * a word of more than a few papers too: for the caller to try when the word as typed finds
     * nothing.
     */
    commonerOneSlipFrom(word: string): string[] {
      const known = df(word);
      // No word is in more papers than there are: a word of a twentieth of them or more has
      // none to slip from, and is not looked up in the typo index.
      if (known === 0 || known * muchMoreCommon > paperCount() || !isCorrectable(word)) return [];
      return remembered(corrected, `commoner:${word}`, () =>
        typoIndex
          .neighbours(word)
          .filter((term) => term !== word && isTypoOf(word, known, { term, df: df(term) })),
      );
    },

    /**
     * A name typed with its version glued to it ("siglip2", "gemma3"), as the two words titles
     * often write ("SigLIP 2: …", "Gemma 3 Technical Report"), where some paper has them so:
     * read as one word only, "siglip2 multilingual" found other multilingual papers at 41k.
     * Whatever the word's own papers: "llama2" is in many as "Llama-2", "Llama 2: Open
     * Foundation…" is one title.
     */
    versionApart(word: string): string[] {
      const [, name, version] = nameWithVersion.exec(word) ?? [];
      if (!name || !version) return [];
      const key = `${name} ${version}`;
      return remembered(unglued, key, () => (hasPhrase.get(`"${key}"`) ? [key] : []));
    },

    /**
     * The word of three letters no paper has, as most acronyms are, read with two letters side by
     * side swapped, the slip an acronym typed fast gets ("pdo" or "dop" for "dpo", "cto" for
     * "cot"): the commoner of the two such words the archive has that are no stop words. Too
     * short for the typo index, whose neighbours of a three-letter word are dozens of
     * acronyms (`isCorrectable`); with the letters only swapped there are two to look up. A
     * word of a paper or few is read so too when that word is much more common, as `corrections`
     * reads longer ones ("nwe", in one abstract, as "new").
     */
    swapped(word: string, knownDf: number): string[] {
      if (knownDf > rareWord || !/^[a-z]{3}$/.test(word)) return [];
      const [a, b, c] = word;
      const best = [`${b}${a}${c}`, `${a}${c}${b}`]
        .filter((swap) => swap !== word && !stopwords.has(swap))
        .map((swap) => ({ swap, df: df(swap) }))
        .filter((candidate) => candidate.df > 0 && candidate.df >= knownDf * muchMoreCommon)
        .sort((x, y) => y.df - x.df)[0];
      return best ? [best.swap] : [];
    },

    /**
     * The words of the archive whose other spelling `start`, a word being typed, begins, and
     * that it does not begin itself: "optimis" → "optimization", "optimize", "optimizers"…,
     * never "optimism", which has no other spelling; "optimiz" → "optimisation", "optimise"…,
     * never "optimistic". Whole words, not the start changed by rule: "optimiz" as "optimis"
     * started "Optimistic…" and "Optimism…", "recor" as "recour" "Recourse…". They are the
     * other spellings of the words it begins, and the words the start changed by rule begins
     * whose other spelling it begins ("minimizers" of "minimis": the archive has no
     * "minimisers"); the first `wordsPerStart` of each (typo index words): some 20-90 µs.
     */
    otherSpellingsOfStart(start: string): string[] {
      if (start.length < shortestSpellingStart || !/^[a-z]+$/.test(start)) return [];
      const found = new Set<string>();
      for (const word of typoIndex.startingWith(start, wordsPerStart))
        for (const other of spellingVariants(word)) found.add(other);
      for (const otherStart of spellingVariantsOfStart(start)) {
        for (const word of typoIndex.startingWith(otherStart, wordsPerStart))
          if (spellingVariants(word).some((other) => other.startsWith(start))) found.add(word);
      }
      return [...found].filter((word) => !word.startsWith(start) && df(word) > 0);
    },

    /**
     * The starts of the archive's words one slip from `start`, a word being typed, as typing
     * makes it (`typingSlips`), when it starts none itself: "intrinsi" of "itrinsi". Typed on
     * with a slip in it, a word is no whole word one slip from any ("itrinsi" was read as
     * "intrinsic", two slips, and "Reinforcement Learning with Intrinsically Motivated…" was
     * not offered). From `shortestSlippedStart` letters: a shorter start one slip from it
     * starts too many words. A few hundredths of a millisecond at 41k papers; the titles the
     * starts find take 1-2 ms more for a slip in a common word's first letters ("omdel").
     */
    slippedStarts(start: string): string[] {
      if (start.length < shortestSlippedStart || !/^[a-z]+$/.test(start)) return [];
      if (typoIndex.startingWith(start, 1).length > 0) return [];
      return typoIndex.startsOneSlipFrom(start).filter((other) => typingSlips(start, other) <= 1);
    },

    /** Expansions the archive gives for an acronym ("gnn" → "graph neural networks"). */
    expansions: (acronym: string): string[] =>
      (acronymsOf.all(acronym) as AcronymCount[]).filter(isMeant).map((row) => row.expansion),
    /** The acronym the archive uses for words ("mixture of experts" → "moe"). */
    acronymFor: (expansion: string): string | undefined =>
      (acronymsFor.all(expansion) as AcronymCount[]).find(isMeant)?.acronym,
    /**
     * The share of the archive's definitions of an acronym that give it these words, in the
     * singular or the plural, with or without small words ("vision and language" for "vl"): "ad" is "anomaly detection" in under a quarter of them (autonomous
     * driving, automatic differentiation, Alzheimer's disease…), "gnn" "graph neural networks"
     * in nearly all ("graph neural network" too).
     */
    shareDefinedAs(acronym: string, expansion: string): number {
      const definitions = definitionsOf.all(acronym) as AcronymCount[];
      const meant = definitionKey(expansion);
      let all = 0;
      let these = 0;
      for (const { expansion: other, count } of definitions) {
        all += count;
        if (definitionKey(other) === meant) these += count;
      }
      return all ? these / all : 0;
    },

    /**
     * Words of the archive one typo away from `word` (two in a long word, see
     * `typoCandidates`), best first. Empty when the word is known and common enough to be
     * meant, or too short to guess at.
     */
    corrections,

    /** Reads what corrections look in now, before a search needs it (`TypoIndex.prepare`). */
    prepareCorrections: () => typoIndex.prepare(),
  };
}

export type Vocabulary = ReturnType<typeof createVocabulary>;

/** The rarest of a query's other words a correction is checked beside: the likeliest to tell. */
const contextClues = 2;
/** The corrections, as few slips away as the likeliest, that are checked beside them. */
const cluedCandidates = 6;

/** A name of two letters or more with a version glued after it: "gemma3", "qwen2vl". */
export const nameWithVersion = /^([a-z]{2,})(\d[a-z0-9]*)$/;

/** Long enough, and letters only, to guess what a typo of it was meant as. */
const isCorrectable = (word: string) => word.length >= shortestCorrectable && /^[a-z]+$/.test(word);

/** Letters wrong, missing, extra, or two side by side swapped, to turn one word into the other. */
export const slips = (a: string, b: string): number => levenshtein(a, b).steps;

/** Endings of words with a last s that is no plural's: "process", "focus", "analysis". */
export const noPluralEnding = /(?:ss|us|is)$/;

/**
 * The same words of an acronym's definition: without their plural's last s nor the small words
 * an acronym may leave out, "chains of thoughts" as "chain of thought", "vision and language"
 * as "vision language".
 */
const definitionKey = (phrase: string) =>
  phrase
    .split(" ")
    .filter((word) => !stopwords.has(word))
    .map((word) => (word.endsWith("s") && !noPluralEnding.test(word) ? word.slice(0, -1) : word))
    .join(" ");

/**
 * An adjective in -ic as in -ical, or the other way round: "analytic" and "analytical",
 * "geometric" and "geometrical", "theoretic" and "theoretical" say the same. Five letters or
 * more before the -ic: a shorter word in -ic is often a noun of its own, "critic" no
 * "critical", "topic" no "topical", "logic", "music" and "metric" neither. Nor the longer ones
 * of `ownSenses`.
 */
function otherAdjectiveEnding(word: string): string | undefined {
  const adjective = /^[a-z]{5,}ic(?:al)?$/.test(word) ? word.replace(/al$/, "") : undefined;
  if (!adjective || ownSenses.has(adjective)) return undefined;
  return adjective === word ? `${word}al` : adjective;
}

/**
 * Words in -ic whose -ical says something else: nouns of their own ("a test statistic", not
 * "statistical"; "graphic design" is no "graphical model"; "a classic" and "classical
 * planning", "classical music"; "logistic regression", "task arithmetic", "a heuristic"), or an
 * -ical with its own sense ("economical" is cheap, "economic" of the economy; a "periodical" is
 * a journal; "dynamic" batching, routing or graphs change as they run, where "dynamical"
 * systems are the mathematics of change). Joined, a roundup topic "statistic" took 343 papers
 * at 41k instead of 63, nearly all "Statistical …"; "graphic" 229 instead of 18, "Graphical
 * Models"; "economical" 15 instead of 3, "Economic …"; "classic" 24 instead of 4, "Classical
 * Planning" and quantum-classical; "dynamical" 673 instead of 102, about 1 in 15 of the added
 * on topic (567 titles at 41k say "dynamic", about 60 "dynamical").
 */
const ownSenses = new Set([
  "statistic",
  "graphic",
  "dynamic",
  "classic",
  "economic",
  "logistic",
  "periodic",
  "arithmetic",
  "heuristic",
]);

/** A vowel (y counts) in what is left of a word once an ending is cut: "str" of "string" is no stem. */
const hasVowel = /[aeiouy]/;
/** Consonants a verb doubles before -ing and -ed ("mapping"); l, s and z are left double ("filled", "passed"). */
const doubled = /([b-df-hj-kmnp-rtv-xy])\1$/;

/**
 * The noun a verb makes with -ation or -ion, and what is cut of it for the verb's stem:
 * "regularization" → "regulariz" (-ize, -ise), "classification" → "classifi" (-ify),
 * "implementation" → "implement" and "adaptation" → "adapt" (-nt, -apt), "estimation" →
 * "estimat" (-ate), "detection" → "detect" and "compression" → "compress" (-ct, -ss). An -ate
 * verb needs five letters before it: "formation" is no "format", "station" no "state",
 * "relation" no "relate" (nor "rotation" "rotate", a loss); an -ct or -ss verb five in all:
 * "action" is no "act", "mission" no "miss", and "production" no "product" (its verb is
 * "produce"). Nouns of other verbs are left out, their stems being words of their own:
 * "foundation" is no "found", "publication" no "public".
 */
const verbNouns = [
  { noun: /[iy][sz]ation$/, cut: "ation" },
  { noun: /ification$/, cut: "cation" },
  { noun: /(?:[a-z]{3}nt|[a-z]{2}apt)ation$/, cut: "ation" },
  { noun: /[a-z]{5}ation$/, cut: "ion" },
  { noun: /[a-z]{3}(?<!du)(?:ct|ss)ion$/, cut: "ion" },
];

/**
 * What a verb's forms have in common, as Porter's stemmer cuts plurals and -ed/-ing: the word
 * without a plural s (not of "-ss", "-us", "-is"), then without -ed or -ing when three letters
 * with a vowel are left (a doubled consonant made single), or without an adverb's -ly when
 * five are ("sharply": "sharp"; "namely" is not "name", nor "apply" "app"), or as the verb of
 * its noun in -ation or -ion (`verbNouns`), then a last e dropped and a last y as i. "prunes",
 * "pruned", "pruning" and "prune" are all "prun"; "mapped" is "map", "studied" "studi",
 * "privately" "privat", "quantization" and "quantizing" "quantiz". Too short a word is its own
 * stem ("used" stays, "string" has no "str" verb).
 */
function verbStem(word: string): string {
  if (!/^[a-z]{3,}$/.test(word)) return word;
  let stem = word;
  if (stem.endsWith("ies")) stem = `${stem.slice(0, -3)}i`;
  else if (stem.endsWith("s") && !noPluralEnding.test(stem)) stem = stem.slice(0, -1);
  const verbNoun = verbNouns.find(({ noun }) => noun.test(stem));
  if (verbNoun) return stem.slice(0, -verbNoun.cut.length);
  const ending = /(?:ing|ed|ly)$/.exec(stem)?.[0];
  const rest = ending ? stem.slice(0, -ending.length) : stem;
  if (stem.endsWith("ied") && stem.length > 4) stem = `${stem.slice(0, -3)}i`;
  else if (ending === "ly") stem = rest.length >= 5 ? rest : stem;
  else if (ending && rest.length >= 3 && hasVowel.test(rest)) stem = rest.replace(doubled, "$1");
  if (stem.length > 3 && stem.endsWith("e")) stem = stem.slice(0, -1);
  return stem.replace(/y$/, "i");
}

/**
 * The words that may have `stem` as their verb stem (most are no words at all). Of a word that
 * is its own stem (`ownStem`), not those of the stem with an "e": "shap" (SHAP) is no "shape",
 * and "SHAP" put titles with "Shaping" and "Shapes" among those with the word.
 */
function verbFormsOf(stem: string, { ownStem }: { ownStem: boolean }): string[] {
  const bases = stem.endsWith("i")
    ? [`${stem.slice(0, -1)}y`]
    : ownStem
      ? [stem]
      : [stem, `${stem}e`];
  const forms = new Set<string>();
  for (const base of bases) {
    const bare = base.replace(/[ey]$/, "");
    forms.add(base);
    forms.add(base.endsWith("y") ? `${bare}ies` : `${base}s`);
    forms.add(base.endsWith("y") ? `${bare}ied` : base.endsWith("e") ? `${base}d` : `${base}ed`);
    forms.add(base.endsWith("e") ? `${bare}ing` : `${base}ing`);
    forms.add(`${base}ly`);
  }
  const last = stem.charAt(stem.length - 1);
  if (/[b-df-hj-kmnp-rtv-xz]/.test(last)) {
    forms.add(`${stem}${last}ing`);
    forms.add(`${stem}${last}ed`);
  }
  for (const { cut } of verbNouns) {
    forms.add(`${stem}${cut}`);
    forms.add(`${stem}${cut}s`);
  }
  return [...forms];
}
