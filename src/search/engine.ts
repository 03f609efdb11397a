import type { RangeTuple } from "fuse.js";
import { UserError } from "../errors.ts";
import type { Db } from "../store/db.ts";
import { titleKey } from "../text/normalize.ts";
import { createTitleSuggester, newestTitleIds, type TitleSuggestion } from "./autocomplete.ts";
import {
  addVerbForms,
  allButOneExpression,
  analyzeQuery,
  dropCommonest,
  ftsExpression,
  nearQuoteExpression,
  oneWordReadings,
  type QueryGroup,
  rarity,
  readSlipsIntoWords,
} from "./query.ts";
import { type Candidate, candidatePool, type Ranked, ranksOf, rerank } from "./rerank.ts";
import { createTopicMatcher } from "./topics.ts";
import { createVocabulary } from "./vocabulary.ts";

export type { TitleSuggestion } from "./autocomplete.ts";

export type SearchField = "all" | "title" | "abstract";

export interface SearchOptions {
  limit?: number;
  field?: SearchField;
}

export interface SuggestOptions {
  /**
   * When no title has the words, the titles of the papers they best match as a search would,
   * abstracts too: for picking a paper. A title may misspell its paper's own name ("SVDQunat:
   * …", whose abstract has "SVDQuant"), and the name typed right offered nothing, as if the
   * paper were not there.
   */
  orAbstracts?: boolean;
}

export interface SearchHit {
  id: number;
  arxivId: string | null;
  title: string;
  abstract: string;
  published: string | null;
  upvotes: number | null;
  /** 0..1, higher is better. */
  score: number;
  matchedIn: "title" | "abstract" | "both";
  /** Query words found in the title, then those found only in the abstract. */
  matchedWords: string[];
  /** [start, end] character ranges (inclusive) of the matches, for highlighting. */
  titleRanges: RangeTuple[];
  abstractRanges: RangeTuple[];
}

/** A misspelt word and what it was read as. */
export interface Correction {
  from: string;
  to: string[];
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  corrections: Correction[];
  /**
   * Words of the query that no paper has, even read as a typo, and that none of the hits
   * matches even loosely: they played no part ("qwzxv" of "qwzxv graphs").
   */
  unmatched: string[];
}

/** How a roundup's topic is read: as a search reads it, and what it cannot match yet. */
export interface TopicReading {
  topic: string;
  /** Its misspelt words and what they were read as. */
  corrections: Correction[];
  /**
   * Its words that a paper or two has, read as what they may be typos of as well: the topic
   * takes the papers with those too ("retreival": "retrieval").
   */
  alsoRead: Correction[];
  /**
   * The share of the archive's papers its rarest word is in, when that is `broadTopic` or
   * more: such a topic takes the best of a great many each day ("learning": 42 % at 41k; "large
   * language models", 26 %, is a topic many follow).
   */
  broad?: number;
  /**
   * Its words no paper has, even read as a typo: the topic matches no paper until some
   * come in with them (a topic's papers have every word of it; see topics.ts).
   */
  unknown: string[];
}

/** See TopicReading.broad; not of an archive smaller than `broadTopicArchive` papers. */
const broadTopic = 0.3;
const broadTopicArchive = 100;

/** Titles starting with a word typed with plus signs that are looked at (see addTitlesNamedWithPluses). */
const titlesNamedWithPluses = 30;
/** Titles nearly quoted by the query that are looked at (see addNearlyQuotedTitles). */
const nearlyQuotedTitles = 10;
/** The most results one search gives. */
export const maxSearchLimit = 100;
/** The most rarer words a query may have for its papers with all of them but one to be looked for. */
const longestLeftOneOut = 8;
/** Papers with all the rarer words but one added to the candidates when none has every word. */
const nearlyAllCandidates = 20;
/** Candidates from an all-words match below which any-word matches are added. */
const enoughCandidates = 20;
/** The most papers a query's common words may be in for papers with any word to be added. */
const fewForAnyWord = 500;
/** The most papers a name typed with a hyphen is in for them all to be candidates. */
const papersNamed = 20;
/** Titles with every word that take the places of the weakest of many all-words matches. */
const titledCandidates = 20;
/**
 * A word in a quarter of the papers or more: bm25 gives it next to nothing, so papers with
 * every word are ranked by the others (see `makeRoomForTitles`).
 */
const isCommon = (group: QueryGroup) => group.weight <= rarity(0, 4);
/**
 * Search over the stored papers: FTS5 finds candidates for the query (with
 * typos corrected against the archive's own vocabulary), fuse.js re-ranks them.
 */
export function createSearchEngine(db: Db) {
  const vocabulary = createVocabulary(db);
  const matchPapers = db.prepare(
    `SELECT rowid AS id, bm25(papers_fts, 8.0, 1.0) AS rank FROM papers_fts
     WHERE papers_fts MATCH ? ORDER BY rank LIMIT ?`,
  );
  const anyTitle = db.prepare("SELECT 1 FROM titles_fts WHERE titles_fts MATCH ? LIMIT 1").pluck();
  const matchTitles = db.prepare(
    `SELECT rowid AS id, bm25(titles_fts) AS rank FROM titles_fts
     WHERE titles_fts MATCH ? ORDER BY rank LIMIT ?`,
  );
  /** The `count` titles best matching an FTS5 expression, by bm25 of the titles alone. */
  const titleRanks = (expression: string, count: number) =>
    ranksOf(matchTitles.all(expression, count));
  const papersTitled = db.prepare("SELECT id FROM papers WHERE title_key = ?").pluck();
  const newestTitles = newestTitleIds(db);
  const papersById = db.prepare(
    `SELECT id, arxiv_id AS arxivId, title, abstract, published, upvotes FROM papers
     WHERE id IN (SELECT value FROM json_each(?))`,
  );

  /**
   * All-words matches first; when they are few, any-word matches on the rarer words too.
   * As many as are re-ranked, or as asked for when that is more (`paperboy search --limit 100`).
   *
   * A query of one word that at least as many titles have gets the titles with it, best by
   * bm25 of the titles alone: the re-rank puts any of them above papers with the word in the
   * abstract only, and ranking every paper with a common word by bm25 of its abstract too
   * was most of such a search ("models": 27,000 papers, 15 ms at 41k).
   */
  function candidates(
    query: string,
    groups: QueryGroup[],
    limit: number,
    column?: "title" | "abstract",
  ) {
    const pool = Math.max(candidatePool, limit);
    const match = (expression: string) => ranksOf(matchPapers.all(expression, pool));
    // Stop words alone find every paper: "the qwzxv" (an unknown word) matches nothing.
    const used = groups.filter((g) => g.known && !g.stop);
    if (used.length === 0) return new Map<number, number>();
    const titled = column === "abstract" ? undefined : bestTitles(groups, used, pool);
    if (titled) {
      addTitlesTyped(titled, query, groups);
      addPapersWithNamesTyped(titled, groups, column);
      return titled;
    }
    const found = match(ftsExpression(used, "AND", { column }));
    if (found.size >= pool && column === undefined && used.some(isCommon) && used.length > 1)
      makeRoomForTitles(found, used);
    // None has every word: maybe one was cut short ("mean field approx theory" for "…
    // Approximation"). Only then: a prefix query costs a sixth of all search time if run
    // whenever all-words matches are few.
    if (found.size === 0 && used.length > 1) {
      for (const [id, rank] of match(ftsExpression(used, "AND", { column, wordStarts: true })))
        found.set(id, rank);
    }
    // Few have every word as typed: those with a word in another form as a verb are near
    // ("tensorized neural networks" for "Tensorizing Neural Networks"), below them as the
    // any-word matches are (the re-rank weighs a form less than the word). Only then: the
    // forms make a longer expression.
    if (found.size < enoughCandidates && used.some((group) => group.forms)) {
      for (const [id, rank] of match(ftsExpression(used, "AND", { column, verbForms: true })))
        if (!found.has(id)) found.set(id, rank / 2);
    }
    if (found.size < enoughCandidates && used.length > 1) {
      const rarer = dropCommonest(used);
      // Beside papers with every word, those with some are there for a title near the query
      // (a word left out or misread): they are looked for in titles alone, as ranking every
      // paper with any of the words by bm25 of its abstract too was half of all FTS5 time.
      // With none, abstracts count: one with most of the words may be the paper meant (a
      // result remembered in other words).
      const noneHasAll = found.size === 0;
      const more =
        !noneHasAll && column !== "abstract"
          ? titleRanks(ftsExpression(rarer, "OR"), pool)
          : match(ftsExpression(rarer, "OR", { column }));
      // bm25 of a weaker match is not comparable: keep all-words matches ahead.
      for (const [id, rank] of more) if (!found.has(id)) found.set(id, rank / 2);
      if (noneHasAll) addAtWeakest(found, nearlyAll(rarer, column));
      // The rarer words in a few papers only, those with the common ones are candidates too:
      // in a small archive an everyday word is rare, and "choose sampling" found the three
      // papers with "choose", none of the dozens on sampling. Not when they are in none (of
      // the titles, searched in titles alone): papers with only the common words are no
      // answer, and finding none tells /search to point to the abstracts that have them. Nor
      // when the common words are in many papers, as in a large archive: ranking them all
      // took "magma large language models" from 4 ms to 30 ms at 41k, to add papers with
      // "models" alone after the one named.
      const common = used.filter((group) => !rarer.includes(group));
      if (
        found.size > 0 &&
        found.size < enoughCandidates &&
        common.length > 0 &&
        Math.max(...common.map(papersWith)) <= fewForAnyWord
      ) {
        for (const [id, rank] of match(ftsExpression(used, "OR", { column })))
          if (!found.has(id)) found.set(id, rank / 4);
      }
    }
    if (column !== "abstract") addTitlesTyped(found, query, groups);
    addPapersWithNamesTyped(found, groups, column);
    return found;
  }

  /**
   * The papers with a rare name typed with a hyphen (QueryGroup.typedJoined) are candidates,
   * last: "A-RoPE", one paper defining it in its abstract, is a word alone ("a" is a stop word),
   * which takes the 60 titles with "RoPE", and that paper was not among them.
   */
  function addPapersWithNamesTyped(
    found: Map<number, number>,
    groups: QueryGroup[],
    column?: "title" | "abstract",
  ): void {
    const named = groups.flatMap((group) => {
      const rare = (group.typedJoined ?? []).filter(
        (name) => !name.includes(" ") && vocabulary.df(name) <= papersNamed,
      );
      return rare.length ? [{ ...group, alternatives: rare }] : [];
    });
    if (named.length === 0) return;
    const expression = ftsExpression(named, "OR", { column });
    addAtWeakest(found, ranksOf(matchPapers.all(expression, papersNamed)).keys());
  }

  /**
   * When none has every word, the papers with all the rarer ones (`dropCommonest`) but one:
   * one word may be misremembered ("opening the black box of deep nets via information" for
   * "… of Deep Neural Networks via Information"), and bm25 of the any-word matches favours
   * abstracts repeating a word (60 papers on black-box attacks, not that one). Each word
   * as typed and its one-word readings only: the expression has every word once per word left
   * out, and common words or phrases ("large language models" of "llm") doubled the slowest
   * searches. Not for two words, whose any-word matches are these, nor for many.
   */
  function nearlyAll(rarer: QueryGroup[], column?: "title" | "abstract"): number[] {
    if (rarer.length < 3 || rarer.length > longestLeftOneOut) return [];
    const words = rarer.map((group) => ({ ...group, alternatives: oneWordReadings(group) }));
    return [
      ...ranksOf(matchPapers.all(allButOneExpression(words, column), nearlyAllCandidates)).keys(),
    ];
  }

  /**
   * A word typed with plus signs names a paper ("flow++" for "Flow++: Improving…"), and such a
   * name starts its title: those titles are candidates too, last, for the re-rank to weigh the
   * signs. "flow" is in hundreds of titles, and bm25 put the long title of Flow++ far below
   * the 60 it takes.
   */
  function addTitlesNamedWithPluses(found: Map<number, number>, groups: QueryGroup[]): void {
    const named = groups.filter((g) => g.pluses && !g.stop);
    if (named.length === 0) return;
    const ids = named.flatMap((group) => newestTitles(`^"${group.word}"`, titlesNamedWithPluses));
    addAtWeakest(found, ids);
  }

  /**
   * When more papers have every word than are re-ranked and one word is common (`isCommon`),
   * the titles with every word best by bm25 of the titles alone take the places of the weakest:
   * bm25 ranks by the rarer words then, and favours abstracts repeating them, so "space models"
   * found 60 papers about latent or action spaces before any "State Space Models" title. The
   * re-rank, whose cost grows with the candidates, still gets `pool`; those added get the
   * weakest rank, and it says which is better. Only for a common word: looking titles up for
   * every query with many matches cost a sixth of the search time of two-word queries.
   */
  function makeRoomForTitles(found: Map<number, number>, used: QueryGroup[]): void {
    const titled = titleRanks(ftsExpression(used, "AND"), titledCandidates);
    const added = [...titled.keys()].filter((id) => !found.has(id));
    if (added.length === 0) return;
    const weakestFirst = [...found].sort((a, b) => b[1] - a[1]);
    const weakest = (weakestFirst[0] as [number, number])[1];
    for (const [id] of weakestFirst.slice(0, added.length)) found.delete(id);
    for (const id of added) found.set(id, weakest);
  }

  /**
   * For a query of one word, the `pool` titles with it best by bm25, when as many have it
   * (see `candidates`). Not with a word no paper has beside it: that may still match a
   * title loosely ("sciiir scientific" for "SciIR: …"), and papers repeating the other word
   * in the abstract are likelier the one meant.
   */
  function bestTitles(groups: QueryGroup[], used: QueryGroup[], pool: number) {
    const [word] = used;
    if (!word || used.length > 1 || groups.some((g) => !g.stop && g !== word)) return undefined;
    // Papers with any of its words (a paper counted once per word): too few, and no query.
    const papers = word.alternatives
      .filter((a) => !a.includes(" "))
      .reduce((sum, a) => sum + vocabulary.df(a), 0);
    if (papers < pool) return undefined;
    const titled = titleRanks(ftsExpression(used, "AND"), pool);
    return titled.size >= pool ? titled : undefined;
  }

  /** The titles the query names as typed: whole, with a name's plus signs, or but for one word. */
  function addTitlesTyped(found: Map<number, number>, query: string, groups: QueryGroup[]): void {
    rankWholeTitleFirst(found, query, groups);
    addTitlesNamedWithPluses(found, groups);
    addNearlyQuotedTitles(found, groups);
  }

  /**
   * A paper whose whole title was typed is in the pool, with the best bm25 of it: no match is
   * closer. bm25 weighs the abstract too, and the longer titles that hold the same words
   * often have abstracts repeating them: "generative adversarial nets" found 100 papers
   * before the one of that title, "deep kernel learning" put "Guided Deep Kernel Learning" first.
   * A title typed with a slip is one too, a word read as its likeliest correction: "generative
   * adverserial nets", one paper spelling it so, had that paper past the 100th at 41k.
   */
  function rankWholeTitleFirst(
    found: Map<number, number>,
    query: string,
    groups: QueryGroup[],
  ): void {
    const ids = titleKeysTyped(query, groups).flatMap((key) => papersTitled.all(key) as number[]);
    if (ids.length === 0) return;
    const best = found.size ? Math.min(...found.values()) : -1;
    for (const id of ids) found.set(id, best);
  }

  /**
   * A title typed with one word misremembered, left out or added is a candidate, last: the
   * re-rank weighs it (`isNearlyTyped`). "attention is all you want" found 60 papers with
   * "attention", "all" and "want" in their abstracts, and none was "Attention is All you Need".
   * Not when nothing else was found, in titles alone: no title has any rarer word then, and
   * one with the others has the common words only, no answer (see `candidates`).
   */
  function addNearlyQuotedTitles(found: Map<number, number>, groups: QueryGroup[]): void {
    if (found.size === 0) return;
    const expression = nearQuoteExpression(groups);
    if (!expression) return;
    addAtWeakest(found, titleRanks(expression, nearlyQuotedTitles).keys());
  }

  const suggestByTitle = createTitleSuggester(db, vocabulary, load);

  function load(ranks: Map<number, number>): Candidate[] {
    const rows = papersById.all(JSON.stringify([...ranks.keys()])) as (Omit<SearchHit, "score"> &
      Candidate)[];
    return rows.map((row) => ({ ...row, rank: ranks.get(row.id) as number }));
  }

  /**
   * The query with its words read as slips into commoner words too (readSlipsIntoWords) when no
   * title has every word as typed and some title has every word so read: "casual discovery"
   * found titles with "casual" or "discovery", the causal discovery papers meant among none of
   * them. As typed otherwise, for one word ("casual" alone is a word the archive has), and for
   * a search of abstracts alone.
   */
  function withSlipsWhenNoTitleHasAll(groups: QueryGroup[], column?: "title" | "abstract") {
    const used = (read: QueryGroup[]) => read.filter((g) => g.known && !g.stop);
    const typed = used(groups);
    if (typed.length < 2 || column === "abstract") return groups;
    const someTitleHasAll = (read: QueryGroup[]) =>
      anyTitle.get(ftsExpression(used(read), "AND")) !== undefined;
    // Looked for first: the words one slip from each word are a look in the typo index, which
    // the first search of a process then loaded (0.1 s at 41k) and every search paid for.
    if (someTitleHasAll(groups)) return groups;
    const slipped = readSlipsIntoWords(groups, (g) => typed.includes(g), vocabulary);
    return slipped !== groups && someTitleHasAll(slipped) ? slipped : groups;
  }

  /** The `limit` papers best matching a query's words (`groups`), in `column` or both. */
  function ranked(
    query: string,
    groups: QueryGroup[],
    limit: number,
    column?: "title" | "abstract",
  ): Ranked[] {
    addVerbForms(groups, vocabulary);
    return rerank(load(candidates(query, groups, limit, column)), groups, {
      limit,
      field: column,
      quotes: true,
    });
  }

  /** Titles for a partial, possibly misspelt title (see SuggestOptions for `orAbstracts`). */
  function suggestTitles(
    partial: string,
    limit = 25,
    { orAbstracts = false }: SuggestOptions = {},
  ): TitleSuggestion[] {
    const titles = suggestByTitle(partial, limit);
    // Numbers alone (an id, a year) are in hundreds of abstracts and say nothing of a paper.
    if (titles.length > 0 || !orAbstracts || !/\p{L}/u.test(partial)) return titles;
    const groups = analyzeQuery(partial, vocabulary);
    if (groups.every((g) => g.stop)) return [];
    return ranked(partial, groups, limit).map(({ candidate: { id, title } }) => ({ id, title }));
  }

  /** The share of the papers that have the query's rarest word (any of its one-word readings). */
  function shareOfRarestWord(groups: QueryGroup[]): number {
    const papers = vocabulary.paperCount();
    const counted = groups.filter((g) => !g.stop);
    if (papers < broadTopicArchive || counted.length === 0) return 0;
    return Math.min(...counted.map(papersWith)) / papers;
  }

  /** The papers with a query word, as typed or in a one-word reading (the most of them). */
  function papersWith(group: QueryGroup): number {
    return Math.max(...oneWordReadings(group).map((word) => vocabulary.df(word)));
  }

  return {
    vocabulary,
    ...createTopicMatcher(db, vocabulary),
    search(query: string, options: SearchOptions = {}): SearchResult {
      const limit = Math.min(Math.max(1, options.limit ?? 10), maxSearchLimit);
      const typedGroups = analyzeQuery(query, vocabulary);
      if (typedGroups.length === 0) {
        throw new UserError("Type a few words to search for, e.g. `graph neural networks`.");
      }
      if (typedGroups.every((g) => g.stop)) {
        // A word no paper has, read only as stop words ("wild" as "will"), is in none of them.
        if (typedGroups.some(readAsStopWords))
          return { query, hits: [], corrections: [], unmatched: unknownOf(typedGroups) };
        // Every paper has them: any answer would be the archive in no particular order.
        throw new UserError(
          "Those words are in nearly every paper, or only ask (“can you tell me about …”); add one that says what the paper is about, e.g. `the transformer`.",
        );
      }
      const column = options.field === "all" ? undefined : options.field;
      const read = withSlipsWhenNoTitleHasAll(typedGroups, column);
      const hits = ranked(query, read, limit, column);
      return {
        query,
        corrections: [...correctionsOf(read), ...slipsRead(typedGroups, read)],
        unmatched: unmatchedOf(read, hits),
        hits: hits.map(
          ({ candidate, score, titleRanges, abstractRanges, titleWords, abstractWords }) => {
            const { rank: _rank, ...paper } = candidate as Candidate & Omit<SearchHit, "score">;
            return {
              ...paper,
              score: Math.round(score * 1000) / 1000,
              matchedIn:
                titleWords.length && abstractRanges.length
                  ? "both"
                  : titleWords.length
                    ? "title"
                    : "abstract",
              matchedWords: [...titleWords, ...abstractWords],
              titleRanges,
              abstractRanges,
            };
          },
        ),
      };
    },

    /** How topics are read: their misspelt words, and the words no paper has yet. */
    readTopics: (topics: readonly string[]): TopicReading[] =>
      topics.map((topic) => {
        const groups = analyzeQuery(topic, vocabulary);
        const broad = shareOfRarestWord(groups);
        return {
          topic,
          corrections: correctionsOf(groups),
          alsoRead: groups.flatMap((g) => (g.typoOf ? [{ from: g.word, to: g.typoOf }] : [])),
          unknown: unknownOf(groups),
          ...(broad >= broadTopic ? { broad } : {}),
        };
      }),

    /** Up to `limit` titles for a partial, possibly misspelt title: autocomplete. */
    suggestTitles,

    /**
     * Reads what typo corrections look in, before the first query with a typo needs it: for a
     * search thread, once it starts (see `TypoIndex.prepare`).
     */
    prepare: () => vocabulary.prepareCorrections(),
  };
}

export type SearchEngine = ReturnType<typeof createSearchEngine>;

/**
 * Adds papers not among `found` with its weakest bm25: candidates by another measure, which
 * the re-rank weighs. With none found, -1, as `rankWholeTitleFirst` gives: the re-rank divides
 * by the best bm25, which 0 would make NaN.
 */
function addAtWeakest(found: Map<number, number>, ids: Iterable<number>): void {
  const weakest = found.size ? Math.max(...found.values()) : -1;
  for (const id of ids) if (!found.has(id)) found.set(id, weakest);
}

/**
 * The title keys a query is: as typed, with one misspelt word read as its likeliest correction
 * (QueryGroup.corrections, or .typoOf for a rare word the archive has), and with each so.
 */
function titleKeysTyped(query: string, groups: QueryGroup[]): string[] {
  const typed = titleKey(query).split(" ");
  const readings = new Map(
    groups.flatMap((group) => {
      const [likeliest] = group.corrections.length ? group.corrections : (group.typoOf ?? []);
      return likeliest ? [[group.word, likeliest] as const] : [];
    }),
  );
  const readAs = (misspelt: ReadonlySet<string>) =>
    typed.map((word) => (misspelt.has(word) ? (readings.get(word) as string) : word)).join(" ");
  const each = [...readings.keys()].map((word) => readAs(new Set([word])));
  return [
    typed.join(" "),
    ...each,
    ...(readings.size > 1 ? [readAs(new Set(readings.keys()))] : []),
  ];
}

/**
 * The query's words no paper has that no hit matches either (SearchResult.unmatched). Most
 * queries have no unknown word, and then no hit is looked at.
 */
function unmatchedOf(groups: QueryGroup[], ranked: readonly Ranked[]): string[] {
  return unknownGroups(groups)
    .filter(
      (g) => !ranked.some((hit) => [...hit.titleWords, ...hit.abstractWords].includes(g.word)),
    )
    .map((g) => g.word);
}

/**
 * The words no paper has, even read as a typo (stop words aside: every paper has them), and
 * those read only as stop words.
 */
const unknownGroups = (groups: QueryGroup[]) =>
  groups.filter((g) => (!g.known && !g.stop) || readAsStopWords(g));

/**
 * The words `read` takes as slips into commoner words too (withSlipsWhenNoTitleHasAll), said
 * as corrections are: the titles found have "Causal" where "casual" was typed, and nothing said
 * why.
 */
function slipsRead(typed: QueryGroup[], read: QueryGroup[]): Correction[] {
  if (read === typed) return [];
  return read.flatMap((group, i) => {
    const before = typed[i]?.alternatives ?? [];
    const slipped = group.alternatives.filter((word) => !before.includes(word));
    return slipped.length ? [{ from: group.word, to: slipped }] : [];
  });
}

/**
 * A word no paper has that reads only as stop words, and counts for nothing as they do: no
 * paper has it, rather than "read as" them ("wild" was said to be read as "will").
 */
const readAsStopWords = (group: QueryGroup) => group.stop && group.corrections.length > 0;
const unknownOf = (groups: QueryGroup[]) => unknownGroups(groups).map((g) => g.word);

function correctionsOf(groups: QueryGroup[]): Correction[] {
  return groups
    .filter((g) => g.corrections.length && !readAsStopWords(g))
    .map((g) => ({ from: g.word, to: g.corrections }));
}
