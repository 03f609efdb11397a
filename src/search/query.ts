import { wordsInQuotes } from "../text/quotes.ts";
import { spellingVariants } from "../text/spelling.ts";
import { stopwords } from "../text/stopwords.ts";
import { compoundForms, words } from "../text/tokens.ts";
import { noPluralEnding, type Vocabulary } from "./vocabulary.ts";

/**
 * Longer queries are cut to this many words, stop words not counted: nobody means the 5,000th
 * character, and a question's or a pasted sentence's stop words left out its last words
 * ("… one extra step at inference" of a 28-word question, 11 of its words stop words).
 */
const maxQueryWords = 24;
const longestAcronymExpansion = 5;

/** The words up to the `maxQueryWords`th that is no stop word (see `maxQueryWords`). */
function firstWords(typed: string[]): string[] {
  let kept = 0;
  const end = typed.findIndex((word) => !stopwords.has(word) && ++kept > maxQueryWords);
  return end < 0 ? typed : typed.slice(0, end);
}

/** One word of the query and the index terms that count as it. */
export interface QueryGroup {
  word: string;
  /** Index terms or phrases ("graph neural networks") that match this word. */
  alternatives: string[];
  /**
   * What a word the archive does not have was read as (reported to the user). A rare
   * word the archive has keeps its guesses among the alternatives, unreported: it may
   * well be meant as typed ("your" is not a typo of "four").
   */
  corrections: string[];
  /** Inverse document frequency: how much finding this word says. */
  weight: number;
  stop: boolean;
  /** Whether anything in the archive matches it at all. */
  known: boolean;
  /**
   * The word's other forms as a verb ("pruning" of "pruned"): a title or abstract with one
   * matches the word, a little less than with the word itself. They are looked up only when
   * few papers have every word as typed (see `candidates` in engine.ts).
   */
  forms?: string[];
  /**
   * The alternatives that read the word through an acronym: what a typed acronym stands for
   * ("large language models" of "llms"), or the acronym of typed words ("dit" of "diffusion
   * transformers"). A title with them matches the word a little less than a title with it.
   */
  acronymReadings?: string[];
  /**
   * What a rare word the archive has was read as too, it being maybe a typo (see `corrections`),
   * with their forms and acronym expansions: a title with one of them matches the word less
   * than a title with the word as typed.
   */
  typoReadings?: string[];
  /** The words themselves a rare word the archive has was read as too (see `typoReadings`). */
  typoOf?: string[];
  /**
   * Acronyms of the typed words (among `acronymReadings`) that the archive mostly defines as
   * other words: "ad" of "anomaly detection", as often autonomous driving, an ad or "ad hoc".
   * A roundup topic takes a title with one for the words only where the paper has them too
   * (see `titleShares` in topics.ts).
   */
  doubtfulReadings?: string[];
  /**
   * The word being typed in its other spelling: the archive's words whose other spelling it
   * begins, and that it does not begin ("optimization" of "optimis"; see
   * `otherSpellingsOfStart`). Autocomplete offers the titles with them after those with the
   * word as typed.
   */
  otherSpellings?: string[];
  /**
   * The starts of the archive's words the word being typed is one slip from, when it starts
   * none ("intrinsi" of "itrinsi"; see `slippedStarts` in vocabulary.ts): autocomplete looks
   * for titles with a word starting so.
   */
  slippedStarts?: string[];
  /**
   * The name the word was typed as part of, glued to its neighbours by a hyphen or other sign
   * ("R-GRPO", "pre-training"), where the archive has it: as one word ("rgrpo") and as its
   * words ("r grpo"), which a paper has glued by any sign but a space. A paper with the parts
   * apart matches the word less (see `joinedStrength` in rerank.ts).
   */
  typedJoined?: string[];
  /**
   * The plus signs typed glued after the word ("++" of "dbscan++"): part of a name, which the
   * words of a search otherwise drop. See `titleMatcher` in rerank.ts.
   */
  pluses?: string;
  /**
   * Typed in quotes (`"surgical" robotics`): meant as typed, never read as another word (see
   * `analyzeQuery`). A roundup's topic is about papers still to come, and a word no paper has
   * yet was read as one a paper has ("surgical" as "survival"), with no way to keep it.
   */
  asTyped?: true;
}

export interface AnalyzeOptions {
  /** Treat the last word as the start of a word (autocomplete while typing). */
  prefixLast?: boolean;
}

/**
 * How much finding a word says (inverse document frequency): `df` of `papers` have it.
 * A group weighs as its commonest alternative.
 */
export const rarity = (df: number, papers: number) => Math.log(1 + papers / (1 + df));

/**
 * Turns user text into query groups: known words as they are, misspelt words
 * with their likely corrections, compounds with and without the hyphen,
 * acronyms with the words they stand for and the other way round.
 *
 * A word typed in quotes (`wordsInQuotes`) is read as no other word: neither corrected nor split,
 * nor read as a typo of a commoner word too, nor as what it is the acronym of, nor as the
 * acronym of words it is one of, as a quote in a search box means. It is still itself in its
 * other forms and spelling ("robots", "modelling"), and written apart or joined ("pre-training",
 * "pretraining"): those are the word as typed.
 */
export function analyzeQuery(
  text: string,
  vocabulary: Vocabulary,
  options: AnalyzeOptions = {},
): QueryGroup[] {
  // Each word once: a word said twice finds nothing more, and must not push others past the cut.
  const typed = firstWords([...new Set(words(text))]);
  const quoted = wordsInQuotes(text);
  const pluses = plusesTyped(text);
  const paperCount = Math.max(1, vocabulary.paperCount());
  /** The query's words the archive has, beside which a misspelt one is read (`corrections`). */
  const wordsOfArchive = typed.filter((word) => !stopwords.has(word) && vocabulary.df(word) > 0);
  const contextOf = (word: string) => wordsOfArchive.filter((other) => other !== word);
  const groups = typed.map((word, i): QueryGroup => {
    const context = contextOf(word);
    const df = vocabulary.df(word);
    const stop = stopwords.has(word);
    const asTyped = quoted.has(word);
    const isPrefix = options.prefixLast === true && i === typed.length - 1;
    const forms = stop ? [] : vocabulary.inflections(word);
    // A word the archive has in another form or spelling is no typo ("programme": "program"),
    // unless as rarely as a word of its own may be one: "mamab" was no "mamba", one paper
    // having "MAMABs" (multi-agent multi-armed bandits), and a topic of it matched nothing.
    // Rare as typed too: "pretraining" (1,533 papers at 41k, "pretrainings" 2) is no typo.
    const formsDf = Math.max(0, ...forms.map((form) => vocabulary.df(form)));
    const guesses =
      stop || asTyped
        ? []
        : forms.length
          ? vocabulary.corrections(word, Math.max(df, formsDf), context)
          : [
              ...vocabulary.corrections(word, df, context),
              // A word being typed is cut short, not misspelt so: "tra" of "transformer" is no "tar".
              ...(isPrefix
                ? []
                : [...vocabulary.splits(word, df), ...vocabulary.swapped(word, df)]),
            ];
    const apart = [
      ...vocabulary.versionApart(word),
      ...versionNumber(word),
      ...twoAsTo(word, vocabulary),
      // Not a word being typed: its end is not known yet.
      ...(isPrefix || stop ? [] : vocabulary.apartInTitles(word, df)),
    ];
    const alternatives = new Set([word, ...forms, ...apart, ...guesses]);
    for (const guess of guesses) {
      for (const form of vocabulary.inflections(guess)) alternatives.add(form);
    }
    // A word still being typed is a prefix, and an acronym only when the archive has it as a
    // whole word, as typed: people end with one ("continuous gflownets", "interpretable gans"),
    // and read as a prefix only, the titles with the words it stands for were not offered. A
    // misspelt acronym stands for what the acronym it was read as does ("rhlf" as "rlhf":
    // reinforcement learning from human feedback).
    const expansionsOf = (read: string) =>
      stop || asTyped || (isPrefix && (read !== word || df === 0))
        ? []
        : acronymExpansions(read, vocabulary);
    const ownExpansions = expansionsOf(word);
    const expansions = [...new Set([...ownExpansions, ...guesses.flatMap(expansionsOf)])].filter(
      (expansion) => !alternatives.has(expansion),
    );
    for (const expansion of expansions) alternatives.add(expansion);
    const ownReadings = new Set([word, ...forms, ...apart, ...ownExpansions]);
    const inArchive = df > 0 || formsDf > 0;
    const typoReadings = inArchive ? [...alternatives].filter((a) => !ownReadings.has(a)) : [];
    // A word of the archive has its other spellings among its forms already (`inflections`).
    const otherSpellings =
      isPrefix && !stop
        ? vocabulary
            .otherSpellingsOfStart(word)
            .filter((other) => df === 0 || !alternatives.has(other))
        : [];
    const slippedStarts = isPrefix && !stop && !asTyped ? vocabulary.slippedStarts(word) : [];
    const dfs = [df, ...[...alternatives].map((a) => (a === word ? df : vocabulary.df(a)))];
    const known = Math.max(...dfs) > 0 || alternatives.size > 1 || isPrefix;
    // A word no paper has, read only as stop words, is one: "anyon" read as "anyone" weighed as
    // a word of the paper asked for, where "anyone" typed counts for nothing; "theere" still
    // counts as "there" where a title has the query word for word.
    const readAsStop = !inArchive && guesses.length > 0 && guesses.every((g) => stopwords.has(g));
    return {
      word,
      alternatives: [...alternatives],
      corrections: inArchive ? [] : guesses,
      weight: known ? rarity(Math.max(...dfs), paperCount) : 0.2,
      stop: stop || readAsStop,
      known,
      ...(expansions.length ? { acronymReadings: expansions } : {}),
      ...(typoReadings.length ? { typoReadings } : {}),
      ...(inArchive && guesses.length ? { typoOf: guesses } : {}),
      ...(otherSpellings.length ? { otherSpellings } : {}),
      ...(slippedStarts.length ? { slippedStarts } : {}),
      ...(pluses.has(word) ? { pluses: pluses.get(word) } : {}),
      ...(asTyped ? { asTyped } : {}),
    };
  });
  addCompounds(groups, vocabulary, paperCount, options.prefixLast === true, gluedRuns(text));
  addAcronymsOfPhrases(groups, vocabulary, contextOf);
  return groups;
}

/**
 * `groups` with each word `readable` takes (typed in full, not misspelt) read as the much
 * commoner words one slip from it too (Vocabulary.commonerOneSlipFrom), for a caller that found
 * no paper with every word as typed: a slip into another word ("casual discovery" for "Causal
 * discovery with…") was taken as typed, and titles with some of the words came first ("Family
 * Discovery" at 41k). Read so as a typo may be (`typoReadings`): a title with the word as typed
 * matches it more. `groups` itself when no word reads so. Not a word typed in quotes.
 */
export function readSlipsIntoWords(
  groups: QueryGroup[],
  readable: (group: QueryGroup) => boolean,
  vocabulary: Vocabulary,
): QueryGroup[] {
  let changed = false;
  const read = groups.map((group) => {
    if (group.corrections.length > 0 || group.asTyped || !readable(group)) return group;
    const commoner = vocabulary
      .commonerOneSlipFrom(group.word)
      .filter((word) => !group.alternatives.includes(word));
    if (commoner.length === 0) return group;
    changed = true;
    return {
      ...group,
      alternatives: [...group.alternatives, ...commoner],
      typoReadings: [...(group.typoReadings ?? []), ...commoner],
    };
  });
  return changed ? read : groups;
}

/**
 * A version typed with its "v" ("v2" of "flash attention v2") as the number alone, as titles
 * often write it ("FlashAttention-2"): only "FlashPrefill V2" matched it, and came first.
 */
function versionNumber(word: string): string[] {
  // Not a name with more digits ("v100", a GPU).
  const number = /^v(\d{1,2})$/.exec(word)?.[1];
  return number ? [number] : [];
}

/**
 * Two words of the archive glued by a "2" read as "to" ("text2image" as "text to image"), as
 * titles write it ("Text-to-Image"): glued, the word was in no paper and found nothing.
 */
function twoAsTo(word: string, vocabulary: Vocabulary): string[] {
  const [, from, to] = /^([a-z]{2,})2([a-z]{2,})$/.exec(word) ?? [];
  if (!from || !to || vocabulary.df(from) === 0 || vocabulary.df(to) === 0) return [];
  return [`${from} to ${to}`];
}

/** A word, and the plus signs glued after it ("PointNet++"), before a space or other sign. */
const wordWithPluses = /([\p{L}\p{N}]+)(\++)(?![\p{L}\p{N}])/gu;

/** The words typed with plus signs glued after them, and the signs: "dbscan++" → dbscan: "++". */
function plusesTyped(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name = "", signs = ""] of text.matchAll(wordWithPluses)) {
    const [word] = words(name);
    if (word) found.set(word, signs);
  }
  return found;
}

/**
 * What an acronym typed stands for, as typed or in the singular; or, when neither stands for
 * anything, in the plural: the archive keeps a name defined in the plural as written
 * ("Generative Flow Networks (GFlowNets)"), and "gflownet" stood for nothing. Only then: the
 * plural of a short one is another's ("LRs" of learning rate schedules, not "lr"'s readings).
 * And only where that "s" is a plural's, the words ending in one, nor for a word of a letter
 * or two, which has no singular either: at 41k "bad" read as BADS (Bayesian Adaptive Direct
 * Search), "e" as ES (Evolution Strategies, first for "e learning") and "c" as CS (compressed
 * sensing, second for "c compiler").
 */
function acronymExpansions(word: string, vocabulary: Vocabulary): string[] {
  const short = word.length <= 2;
  const singular = !short && word.endsWith("s") ? word.slice(0, -1) : word;
  const found = new Set([...vocabulary.expansions(word), ...vocabulary.expansions(singular)]);
  if (found.size > 0 || singular !== word || short) return [...found];
  return vocabulary
    .expansions(`${word}s`)
    .filter((expansion) => expansion.endsWith("s") && !noPluralEnding.test(expansion));
}

/**
 * The words typed glued by a hyphen or another sign, joined: "rgrpo" of "R-GRPO", as the index
 * holds them (`compoundForms`); with camel-case parts, which are single words and join no run.
 */
const gluedRuns = (text: string): ReadonlySet<string> => new Set(compoundForms(text));

/**
 * The longest word typed apart that is read as an acronym too ("op gfn", "rl hf", "q lora"):
 * longer, its parts are words ("point net" is PointNet, not the "pointer networks" one
 * paper abbreviates so).
 */
const longestAcronymTypedApart = 5;

/** The most words typed apart read as one: "paper 2 code" for "Paper2Code". */
const longestTypedApart = 3;

/**
 * "pre training" also finds "pretraining" (and "pre-training", indexed as both), "paper 2 code"
 * "Paper2Code", and "op gfn" "OP-GFNs" (indexed as "opgfns" only) and the words the archive
 * defines it for ("Order-Preserving GFlowNets"): the joined word in any form it has, as a word
 * typed whole would be read. A word the archive lacks that makes one with its neighbours ("tody"
 * of "tody former", for "ToDyformer") is that part, not a typo: its guesses ("today", "body")
 * are dropped.
 */
function addCompounds(
  groups: QueryGroup[],
  vocabulary: Vocabulary,
  paperCount: number,
  prefixLast: boolean,
  glued: ReadonlySet<string>,
): void {
  for (let length = 2; length <= longestTypedApart; length++) {
    for (let i = 0; i + length <= groups.length; i++) {
      const run = groups.slice(i, i + length);
      const joined = run.map((group) => group.word).join("");
      // A word still being typed is a prefix: neither its other forms nor an acronym yet.
      const typing = prefixLast && i + length === groups.length;
      const counted = (typing ? [joined] : [joined, ...vocabulary.inflections(joined)])
        .map((form) => ({ form, df: vocabulary.df(form) }))
        .filter(({ df }) => df > 0);
      if (counted.length === 0) continue;
      const forms = counted.map(({ form }) => form);
      const df = Math.max(...counted.map((c) => c.df));
      // The joined word is the words as typed; what it is the acronym of is not, for quoted ones.
      const expansions =
        typing ||
        run.some((group) => group.stop || group.asTyped) ||
        joined.length > longestAcronymTypedApart
          ? []
          : acronymExpansions(joined, vocabulary);
      for (const group of run) {
        if (group.corrections.length) {
          group.alternatives = [group.word];
          group.corrections = [];
          group.weight = rarity(df, paperCount);
        }
        group.alternatives.push(...forms, ...expansions);
        if (expansions.length)
          group.acronymReadings = [...(group.acronymReadings ?? []), ...expansions];
        if (glued.has(joined)) group.typedJoined = [...forms, run.map((g) => g.word).join(" ")];
        group.known = true;
      }
    }
  }
}

/**
 * The share of an acronym's definitions in the archive that must give it the typed words for a
 * title with it to be taken as about them without them: on the 41k corpus, "gnn" is graph neural
 * networks in 98 % of them, "ood" out of distribution in 82 %; "nn" neural networks in 76 % (and
 * nearest neighbours: "Anomaly Detectors from K-NN Graphs"), "dm" diffusion models in 72 % ("DM-SFT:
 * … Dynamic Mask …"), "sd" speculative decoding in 50 % ("HINT-SD: … Self-Distillation").
 */
const mostlyMeant = 0.8;

/**
 * "mixture of experts" also finds "MoE", and "low rank adaptations" "LoRAs" and "LoRA": the
 * acronym the archive defines for the words, or for them with the last in the singular; for
 * words typed in the plural, its plural too. Words misspelt or in their other spelling are
 * read as the query reads them ("graph nueral networks" finds "GNNs", "reward modelling" "RM").
 */
function addAcronymsOfPhrases(
  groups: QueryGroup[],
  vocabulary: Vocabulary,
  contextOf: (word: string) => string[],
): void {
  // A phrase has two words at least: a word alone (a title being typed) needs no readings.
  if (groups.length < 2) return;
  const readings = groups.map((group) => readingOf(group, vocabulary, contextOf(group.word)));
  for (let i = 0; i < groups.length; i++) {
    for (let n = 2; n <= longestAcronymExpansion && i + n <= groups.length; n++) {
      const span = groups.slice(i, i + n);
      // The acronym stands for every word of the span, a quoted one too: no word as typed.
      if (span.some((group) => group.asTyped)) continue;
      const typed = span.map((g) => g.word);
      const read = readings.slice(i, i + n);
      const found =
        acronymOfWords(typed, vocabulary) ??
        (read.some((word, k) => word !== typed[k]) ? acronymOfWords(read, vocabulary) : undefined);
      if (!found) continue;
      const { acronym, words, inPlural } = found;
      // Words in the plural find the acronym in the plural too ("llms" of "large language
      // models", "loras" of "low rank adaptations"), with an "s" only: its inflections read
      // it as a word, and "mas" of "multi agent systems" was also "ma" (of "Look Ma, …") and
      // "maes". One ending in "s" stands for plural words already ("mas" is no "mass").
      const plural = `${acronym}s`;
      const pluralToo = inPlural && !acronym.endsWith("s") && vocabulary.df(plural) > 0;
      const forms = pluralToo ? [acronym, plural] : [acronym];
      const doubtful = vocabulary.shareDefinedAs(acronym, words.join(" ")) < mostlyMeant;
      for (const group of span) {
        if (group.stop) continue;
        group.alternatives.push(...forms);
        group.acronymReadings = [...(group.acronymReadings ?? []), ...forms];
        if (doubtful) group.doubtfulReadings = [...(group.doubtfulReadings ?? []), ...forms];
      }
    }
  }
}

/**
 * The acronym the archive defines for words, or for them with the last in the singular, and
 * whether the last is in the plural.
 */
function acronymOfWords(words: string[], vocabulary: Vocabulary) {
  const singular = singularOf(words[words.length - 1] as string, vocabulary);
  const acronym =
    vocabulary.acronymFor(words.join(" ")) ??
    (singular && vocabulary.acronymFor([...words.slice(0, -1), singular].join(" ")));
  return acronym ? { acronym, words, inPlural: singular !== undefined } : undefined;
}

/**
 * A word as the query reads it: its other spelling ("modeling" of "modelling"), else its likeliest
 * correction ("neural" of "nueral", "language" of a "langauge" a few papers have), where the
 * query took the word so; else as typed. The correction is the one read beside the query's
 * other words (`context`), as `analyzeQuery` read it: "guant tensor products" is "gaunt", and
 * alone "guant" is "quant", which the query did not take, so the phrase had no acronym.
 */
function readingOf(group: QueryGroup, vocabulary: Vocabulary, context: string[]): string {
  if (group.stop || group.alternatives.length === 1) return group.word;
  const readings = [
    ...spellingVariants(group.word),
    ...vocabulary.corrections(group.word, vocabulary.df(group.word), context),
  ];
  return readings.find((reading) => group.alternatives.includes(reading)) ?? group.word;
}

/**
 * Whether a word is in the plural: its singular is a word of the archive, and it does not end as
 * "focus", "analysis", "continuous" or "process" do (a stray "focu" is in the 41k corpus).
 */
function isPlural(word: string, vocabulary: Vocabulary): boolean {
  return !noPluralEnding.test(word) && singularOf(word, vocabulary) !== undefined;
}

/**
 * The word in the singular, when it is a plural the archive has so ("adaptations"); not its
 * adjective in -ic ("analytic" of "analytical"), which would keep its adverb ("analytically")
 * from it.
 */
function singularOf(word: string, vocabulary: Vocabulary): string | undefined {
  return vocabulary
    .inflections(word)
    .find(
      (form) =>
        form.length < word.length &&
        word.startsWith(form.replace(/y$/, "")) &&
        !(word.endsWith("ical") && form === word.slice(0, -2)),
    );
}

/**
 * "pruned" also matches "Pruning", "evolving" "Evolved", "sharply" "sharp": each word's other
 * forms as a verb (or an adjective's adverb), where the archive has them (`forms`), for what
 * someone searches by, who remembers a paper's words but not their endings; not for titles
 * being typed (autocomplete), nor for roundup topics. A word read as a typo keeps its readings.
 * A word in the plural names things, not what was done: "models" of "diffusion models" read as
 * "modeling" put "Causal Modeling with Stationary Diffusions" first.
 */
export function addVerbForms(groups: QueryGroup[], vocabulary: Vocabulary): void {
  for (const group of groups) {
    if (group.stop || group.corrections.length || isPlural(group.word, vocabulary)) continue;
    const forms = vocabulary.verbForms(group.word).filter((f) => !group.alternatives.includes(f));
    if (forms.length) group.forms = forms;
  }
}

/** An FTS5 expression for the groups; user text never reaches FTS5 as syntax. */
export function ftsExpression(
  groups: QueryGroup[],
  operator: "AND" | "OR",
  options: {
    column?: "title" | "abstract";
    /** The last word as typed is also the start of a word (autocomplete: still typing). */
    prefixLast?: boolean;
    /** Each word of four letters or more is also the start of a word ("approx", "eval"). */
    wordStarts?: boolean;
    /** Each word's other forms as a verb count as it too (QueryGroup.forms). */
    verbForms?: boolean;
  } = {},
): string {
  const parts = groups.map((group, i) => {
    const readings = options.verbForms
      ? [...group.alternatives, ...(group.forms ?? [])]
      : group.alternatives;
    const terms = readings.map((a) => `"${a}"`);
    const isLast = i === groups.length - 1;
    if ((options.prefixLast && isLast) || (options.wordStarts && isWordStart(group.word)))
      terms.push(`"${group.word}"*`);
    if (options.prefixLast && isLast)
      for (const start of group.slippedStarts ?? []) terms.push(`"${start}"*`);
    return `(${terms.join(" OR ")})`;
  });
  return inColumn(parts.join(` ${operator} `), options.column);
}

/**
 * An FTS5 expression for papers with every group but one, whichever: a query with one word
 * misremembered ("deep nets" for "Deep Neural Networks").
 */
export function allButOneExpression(groups: QueryGroup[], column?: "title" | "abstract"): string {
  const expression = groups
    .map((_, left) => `(${ftsExpression(groups.toSpliced(left, 1), "AND")})`)
    .join(" OR ");
  return inColumn(expression, column);
}

/** The fewest words a query has for a title it nearly quotes (see `nearQuoteExpression`). */
export const shortestNearQuote = 4;
/** The most: each word left out is a part of the expression. */
const longestNearQuote = 12;

/**
 * An FTS5 expression for titles with the query's words as typed, stop words too, but one: the
 * words before it one after the other, and those after it. A title quoted with one word
 * misremembered, left out or added ("attention is all you want"), when the query has stop
 * words, as what is quoted has. `words` gives words of letters and digits only ("c++" is "c"
 * and its pluses); one with anything else makes none, as it could end its phrase (a quote).
 */
export function nearQuoteExpression(groups: QueryGroup[]): string | undefined {
  const words = groups.map((group) => group.word);
  if (words.length < shortestNearQuote || words.length > longestNearQuote) return undefined;
  if (!groups.some((group) => group.stop) || words.some((word) => !/^[\p{L}\p{N}]+$/u.test(word)))
    return undefined;
  const phrase = (run: string[]) => `"${run.join(" ")}"`;
  return words
    .map((_, left) => {
      const runs = [words.slice(0, left), words.slice(left + 1)].filter((run) => run.length > 0);
      return `(${runs.map(phrase).join(" AND ")})`;
    })
    .join(" OR ");
}

const inColumn = (expression: string, column?: "title" | "abstract") =>
  column ? `{${column}} : (${expression})` : expression;

/** The word as typed, then its other readings that are one word (not a phrase or expansion). */
export function oneWordReadings(group: QueryGroup): string[] {
  return [group.word, ...group.alternatives.filter((a) => a !== group.word && !a.includes(" "))];
}

/** Long enough, and letters only, to be taken for the start of a longer word. */
const isWordStart = (word: string) => word.length >= 4 && /^[a-z]+$/.test(word);

/**
 * Without words in more than a tenth of the papers, an any-word match is not a scan of
 * half the archive (see `rarity`).
 */
export function dropCommonest(groups: QueryGroup[]): QueryGroup[] {
  const rare = groups.filter((g) => g.weight > rarity(0, 10));
  return rare.length ? rare : groups;
}
