import type { Db } from "../store/db.ts";
import { stopwords } from "../text/stopwords.ts";
import { words } from "../text/tokens.ts";
import { slipsIn } from "../text/typing.ts";
import {
  analyzeQuery,
  dropCommonest,
  ftsExpression,
  oneWordReadings,
  type QueryGroup,
  rarity,
  readSlipsIntoWords,
} from "./query.ts";
import { type Candidate, candidatePool, ranksOf, rerank } from "./rerank.ts";
import { nameWithVersion, slips, type Vocabulary } from "./vocabulary.ts";

export interface TitleSuggestion {
  id: number;
  title: string;
}

/**
 * Autocomplete ranks (bm25) only the newest this many titles that have every word typed: a
 * word or two typed, or a common one, matches thousands, and bm25 over each took up to 20 ms.
 */
const broadTitleMatch = 1000;

/** The ids of the newest `limit` titles an FTS5 expression matches, newest first. */
export function newestTitleIds(db: Db): (expression: string, limit: number) => number[] {
  const newest = db
    .prepare("SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? ORDER BY rowid DESC LIMIT ?")
    .pluck();
  return (expression, limit) => newest.all(expression, limit) as number[];
}

/**
 * Autocomplete over the titles: up to `limit` titles for a partial, possibly misspelt title,
 * the titles it starts first. `load` reads the candidates' papers, as the search does.
 */
export function createTitleSuggester(
  db: Db,
  vocabulary: Vocabulary,
  load: (ranks: Map<number, number>) => Candidate[],
) {
  const newestTitles = newestTitleIds(db);
  const matchTitlesSince = db.prepare(
    `SELECT rowid AS id, bm25(titles_fts) AS rank FROM titles_fts
     WHERE titles_fts MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?`,
  );
  const papersTitledFrom = db
    .prepare(
      "SELECT id FROM papers WHERE title_key >= ? AND title_key < ? ORDER BY title_key LIMIT ?",
    )
    .pluck();
  /**
   * The words at character `at` (1-based) of the title keys from `from` to `to` that are
   * `shortest` to `longest` characters long and followed by what the LIKE pattern `later`
   * matches (see `laterPattern`), each once (SQLite reads only the index for it).
   */
  const wordsOfTitleKeys = db
    .prepare(
      `SELECT DISTINCT substr(title_key, @at, instr(substr(title_key, @at) || ' ', ' ') - 1) AS word
       FROM papers WHERE title_key >= @from AND title_key < @to
       AND length(word) BETWEEN @shortest AND @longest
       AND substr(title_key, @at + length(word)) LIKE @later
       LIMIT @limit`,
    )
    .pluck();
  /** Title keys that start with any of the texts of a JSON array, `limit` at most. */
  const titleKeysStartingWithAny = db
    .prepare(
      `SELECT title_key FROM json_each(?) AS start CROSS JOIN papers
       ON title_key >= start.value AND title_key < start.value || ? LIMIT ?`,
    )
    .pluck();

  /**
   * The titles an FTS5 expression matches, best bm25 first, `candidatePool` at most: among
   * the newest `broadTitleMatch` when `atMost` may be more (see `titleCandidates`).
   */
  function match(expression: string, atMost: number) {
    let since = 0;
    if (atMost >= broadTitleMatch) {
      const newest = newestTitles(expression, broadTitleMatch);
      if (newest.length === broadTitleMatch) since = newest.at(-1) as number;
    }
    return matchSince(expression, since);
  }

  /** The titles an FTS5 expression matches from id `since` on, best bm25 first, `candidatePool` at most. */
  const matchSince = (expression: string, since = 0) =>
    ranksOf(matchTitlesSince.all(expression, since, candidatePool));

  /**
   * Autocomplete's candidates: titles with every word typed, the last as the start of a
   * word, best bm25 first (among the newest `broadTitleMatch` of them). Titles with some
   * of the words are looked for only when none has all: what was typed is the start of
   * one title, and titles with only some of its words crowded that one out more often
   * than they helped (of 1,000 partial titles of the 41k corpus, a third misspelt, it
   * came first 671 times instead of 634, among the 25 shown 834 times instead of 832),
   * while their query took most of autocomplete's time. Those are ranked all, not the
   * newest: with common words, a title older than the newest 1,000 having one of them was
   * never offered, however many of the words it had (of 824 queries of the probes at 41k,
   * the title came first 556 times instead of 351, autocomplete's p95 time as before; a long
   * pasted question, or a last word of two letters, takes 2-4 ms more). Beside them, then,
   * the titles with every word, a word typed in full read as a slip into another word
   * (`readSlipsIntoWords`, in query.ts); with those, the groups they are placed and ranked
   * by: read so when some title has every word so.
   */
  function titleCandidates(groups: QueryGroup[]): {
    found: Map<number, number>;
    groups: QueryGroup[];
  } {
    // The first letter of a word being typed starts most words of the titles: as a prefix it
    // took 5-13 ms ("graph n", "towards a", "s"). The titles that start with what was typed
    // come from the titles' index (`addTitlesStartingWith`); the other words are looked for.
    const typing = groups.at(-1) as QueryGroup;
    const firstLetter = isFirstLetter(groups);
    const usedOf = (read: QueryGroup[]) =>
      titleGroups(read).filter((group) => !(firstLetter && group === typing));
    const used = usedOf(groups);
    if (used.length === 0) return { found: new Map<number, number>(), groups };
    const prefixLast = !firstLetter;
    const withAll = (read: QueryGroup[]) =>
      match(ftsExpression(read, "AND", { prefixLast }), mostWithAll(read));
    const found = withAll(used);
    if (found.size > 0 || used.length < 2) return { found, groups };
    // Beside those with some of the words, as likely meant when a word read so is no slip.
    // Of 1,200 partial titles with a word misremembered, as many were offered as before (they
    // stay candidates), at 0.3-0.6 ms more each; "casual dis" offers "Causal discovery with…".
    const slipped = readSlipsIntoWords(
      groups,
      (group) => group !== typing && used.includes(group),
      vocabulary,
    );
    const withSlips = slipped === groups ? found : withAll(usedOf(slipped));
    const read = withSlips.size > 0 ? slipped : groups;
    const some = ftsExpression(someWords(used, typing), "OR", { prefixLast });
    for (const [id, rank] of matchSince(some)) if (!withSlips.has(id)) withSlips.set(id, rank / 2);
    return { found: withSlips, groups: read };
  }

  /**
   * The titles with every word typed, the word being typed in its other spelling
   * (QueryGroup.otherSpellings, whole words), or starting with them so, as candidates beside
   * those `found` with it as typed: looked for apart, they take no place among those, and rank
   * as the weakest of them. Returns the titles added.
   */
  function addOtherSpellings(
    found: Map<number, number>,
    typings: string[][],
    groups: QueryGroup[],
  ): Set<number> {
    const added = new Set<number>();
    const typing = groups.at(-1) as QueryGroup;
    const used = titleGroups(groups);
    if (!typing.otherSpellings || used.at(-1) !== typing) return added;
    const weakest = found.size ? Math.max(...found.values()) : undefined;
    const add = (id: number, rank: number) => {
      if (found.has(id)) return;
      found.set(id, weakest ?? rank);
      added.add(id);
    };
    const spelt = used.map((group) =>
      group === typing ? { ...group, alternatives: typing.otherSpellings as string[] } : group,
    );
    for (const [id, rank] of match(ftsExpression(spelt, "AND"), mostWithAll(used))) add(id, rank);
    for (const start of typings.flatMap((typed) => otherSpellingStarts(typed, groups))) {
      for (const id of papersTitledFrom.all(start, endOfWord(start), titlesPerStart) as number[])
        add(id, -1);
    }
    return added;
  }

  /**
   * No more papers than those of the rarest group typed in full (the last is a prefix) can
   * have every group: the papers of each of its alternatives, a phrase's those of its rarest
   * word. Counted over titles and abstracts, so never too few.
   */
  function mostWithAll(groups: QueryGroup[]): number {
    const papersOf = (alternative: string) =>
      Math.min(...alternative.split(" ").map((word) => vocabulary.df(word)));
    let most = Number.POSITIVE_INFINITY;
    for (const group of groups.slice(0, -1)) {
      most = Math.min(
        most,
        group.alternatives.reduce((n, a) => n + papersOf(a), 0),
      );
    }
    return most;
  }

  /** A group's weight: that of its commonest alternative, as `analyzeQuery` weighs it. */
  function weightOf(alternatives: string[]): number {
    const df = Math.max(...alternatives.map((alternative) => vocabulary.df(alternative)));
    return rarity(df, vocabulary.paperCount());
  }

  /**
   * Titles that start with the words typed (each of `typings`, each word as typed or as read,
   * a typo corrected; the last as the start of a word), as autocomplete candidates beside the
   * bm25 ones: the words of a title's start are often common ("On the Po", "A Probabilistic
   * Mod", "Estimation of"), and the title typed was not among the newest titles having them,
   * or not among their best bm25. The normalised titles' index finds them, the first
   * `titlesPerStart` of each start in alphabetical order; they rank as the weakest bm25 match.
   * A word's first letter is looked for in the titles' starts alone (see `titleCandidates`), so
   * the titles the words before it start, offered a keystroke before, stay candidates too: the
   * letter may start a word further on, and they made way for the best bm25 of the words
   * before ("graph neural networks e" lost "Graph Neural Networks (with Proper Weights) Can
   * Escape Oversmoothing", offered third for "graph neural networks", at 41k).
   */
  function addTitlesStartingWith(
    found: Map<number, number>,
    typings: string[][],
    groups: QueryGroup[],
  ) {
    let weakest = -1;
    for (const rank of found.values()) weakest = Math.max(weakest, rank);
    const before = isFirstLetter(groups)
      ? typings.map((typed) => typed.slice(0, -1)).filter((typed) => typed.length > 0)
      : leadsStartingTitles(typings, groups);
    for (const start of [...typings, ...before].flatMap((typed) => typedStarts(typed, groups))) {
      for (const id of papersTitledFrom.all(
        start,
        start + afterEveryCharacter,
        titlesPerStart,
      ) as number[])
        if (!found.has(id)) found.set(id, weakest);
    }
    return found;
  }

  /**
   * A misspelt word is often a paper's name, which only its title has, and a typo is read as
   * the commonest word one slip from it: as another word ("kass kl gui" as "pass", for "KLASS:
   * KL-Guided…"), or as nothing when no word is one slip from it (a name with two slips); and
   * a word no paper has that a plural or an acronym's definition is known for is read as no
   * typo ("mamab linear": an abstract defines "MAMABs", no title has it, nothing was offered).
   * The first word no paper has is also read as a word one slip from it (two in a long word) where
   * a title starts with the words typed before it, then that word, then the words typed after
   * it, or failing those other words (see `namesOneSlipFrom`). The word being typed counts when
   * no title starts with what was typed (a name typed alone with a slip, "gedmobile" or
   * "swerankk", was offered nothing); the title's word need then only start with a word one
   * slip from it ("thoughfol" for "ThoughtFold"). Returns the names read for the word being
   * typed: the titles having them are started by what was typed.
   */
  function readNamesInTitleStarts(groups: QueryGroup[], typings: string[][]): Set<string> {
    const typed = typings[0] as string[];
    const last = typed.length - 1;
    const at = typed.findIndex(
      (word, i) =>
        isNameLike(word) &&
        vocabulary.df(word) === 0 &&
        (i < last || !typings.some((typing) => typedStarts(typing, groups).some(startsSomeTitle))),
    );
    if (at < 0) return new Set();
    const word = typed[at] as string;
    // A word past those a query is cut to (maxQueryWords) has no group to be read into.
    const group = groups.find((g) => g.word === word);
    if (!group) return new Set();
    const read = namesOneSlipFrom(word, at, typed, groups);
    if (read.length === 0) return new Set();
    group.alternatives.push(...read);
    group.known = true;
    group.weight = weightOf(group.alternatives);
    return new Set(at === last ? read : []);
  }

  /**
   * The two names fewest slips from the `at`th word typed, of titles that start with the words
   * typed before it, then the name, then the words typed after it (the word being typed: the
   * start of the name). When no title has them so, words may come between the name and those
   * typed after it, as people skip a word after a title's name ("mocassin tensor" for
   * "Moccasin: Efficient Tensor Rematerialization…", which was offered nothing at 41k); but
   * the title must have them: read without them, "lamma open" was "gamma" and offered the
   * Gamma titles, none with "open".
   */
  function namesOneSlipFrom(
    word: string,
    at: number,
    typed: string[],
    groups: QueryGroup[],
  ): string[] {
    const leads = typedStarts(typed.slice(0, at), groups).map((before) =>
      before ? `${before} ` : "",
    );
    const after = typed.slice(at + 1);
    return (
      namesSlippedFrom(word, at, leads, after, false) ||
      (after.length > 0 && namesSlippedFrom(word, at, leads, after, true)) ||
      []
    );
  }

  /**
   * The two names fewest slips from `word`, the `at`th word typed, of titles that start with
   * one of `leads`, then the name, then the words typed `after` it: right after it, or with
   * words `skipping` between them. Titles starting with a lead and the word's first letter (two
   * when nothing is to follow right after it, which would narrow the scan) are scanned in the
   * index, the words of about its length followed so read, 200 at most; when none is one slip
   * from it, the titles starting with the word slipped in those letters are looked up (a slip
   * in a name's first letter: "wqen3 technical" for "Qwen3 Technical Report", "dwerank" for
   * "SweRank"). Undefined when none is. A fraction of a millisecond.
   */
  function namesSlippedFrom(
    word: string,
    at: number,
    leads: string[],
    after: string[],
    skipping: boolean,
  ): string[] | undefined {
    // Nothing typed after it: it is the word being typed, the start of the name.
    const typing = after.length === 0;
    const most = word.length >= 8 ? 2 : 1;
    const exact = after.length > 0 && !skipping ? 1 : 2;
    const fewestSlips = (names: string[]) => {
      const found = new Map<string, number>();
      for (const name of names) {
        const count = typing ? slipsToStart(word, name) : slips(word, name);
        if (count <= most && count < (found.get(name) ?? Number.POSITIVE_INFINITY))
          found.set(name, count);
      }
      return [...found]
        .sort((a, b) => a[1] - b[1])
        .slice(0, 2)
        .map(([name]) => name);
    };
    const scanned = leads.flatMap(
      (lead) =>
        wordsOfTitleKeys.all({
          from: lead + word.slice(0, exact),
          to: lead + word.slice(0, exact) + afterEveryCharacter,
          // In characters, as SQLite counts them: a letter beyond the BMP is two UTF-16 units.
          at: [...lead].length + 1,
          shortest: word.length - most,
          longest: typing ? longestName : word.length + most,
          later: laterPattern(after, skipping),
          limit: scannedNameTitles,
        }) as string[],
    );
    const read = fewestSlips(scanned);
    if (read.length > 0) return read;
    const next = skipping ? "" : after.map((w) => ` ${w}`).join("");
    const starts = leads.flatMap((lead) =>
      slipsIn(word, exact, nameCharacters).map((slip) => lead + slip + next),
    );
    const keys = titleKeysStartingWithAny.all(
      JSON.stringify(starts),
      afterEveryCharacter,
      scannedNameTitles,
    ) as string[];
    const named = keys
      .map((key) => key.split(" "))
      .filter((keyWords) => !skipping || startLaterWords(keyWords.slice(at + 1), after));
    const slipped = fewestSlips(named.map((keyWords) => keyWords[at] as string));
    return slipped.length > 0 ? slipped : undefined;
  }

  /**
   * The words typed before the one being typed, of each typing, when no title starts with what
   * was typed, and they are two or more: the last word may be garbled past reading
   * ("learning neural networks with spare" for "… with Sparse Activations", "spare" being a
   * word of its own), and no title was offered that starts with the words typed right before
   * it. Those titles are candidates too, ranked as the others.
   */
  function leadsStartingTitles(typings: string[][], groups: QueryGroup[]): string[][] {
    if (typings.some((typed) => typedStarts(typed, groups).some(startsSomeTitle))) return [];
    return typings.map((typed) => typed.slice(0, -1)).filter((lead) => lead.length >= 2);
  }

  /** Whether some title's normalised key starts with `start`. */
  function startsSomeTitle(start: string): boolean {
    return papersTitledFrom.get(start, start + afterEveryCharacter, 1) !== undefined;
  }

  return function suggestTitles(partial: string, limit = 25): TitleSuggestion[] {
    const typedGroups = analyzeQuery(partial, vocabulary, { prefixLast: true });
    if (typedGroups.length === 0) return [];
    const typed = words(partial);
    const typings = [...readVersionsApart(typed), ...readNameTypedApart(typed)];
    // Before the candidates: it reads a misspelt name into its group.
    const names = readNamesInTitleStarts(typedGroups, typings);
    // The titles are placed and ranked by the words as the candidates were found by them.
    const { found: candidates, groups } = titleCandidates(typedGroups);
    const found = addTitlesStartingWith(candidates, typings, groups);
    const otherSpelt = addOtherSpellings(found, typings, groups);
    // Someone picking a title types it from its start, or types a run of its words: the
    // titles it starts come first, then those it is a run of ("reinforcement learning from
    // hum" of "Deep Reinforcement Learning from Human Preferences"), then those it starts with
    // words skipped (`skippingStartOrder`), each in the order ranked.
    const letterStarts = isFirstLetter(groups) ? startsOfLetter(groups) : [];
    return rerank(load(found), groups)
      .map(({ candidate }) => ({
        candidate,
        order: placeOf(
          candidate.title,
          typings,
          groups,
          names,
          letterStarts,
          otherSpelt.has(candidate.id),
        ),
      }))
      .sort((a, b) => a.order - b.order)
      .slice(0, limit)
      .map(({ candidate }) => ({ id: candidate.id, title: candidate.title }));
  };
}

/**
 * What follows a name in its title key for the words typed after it, as a LIKE pattern: those
 * words right after it, or with words `skipping` between them; each typed word the start of
 * a word, as the last may be cut short ("mocassin tensor rem").
 */
function laterPattern(after: readonly string[], skipping: boolean): string {
  return `${after.map((word) => `${skipping ? "%" : ""} ${word}`).join("")}%`;
}

/** Whether each of `after` starts one of `keyWords`, in that order (`laterPattern`, skipping). */
function startLaterWords(keyWords: readonly string[], after: readonly string[]): boolean {
  let next = 0;
  for (const word of after) {
    while (next < keyWords.length && !(keyWords[next] as string).startsWith(word)) next++;
    if (next++ >= keyWords.length) return false;
  }
  return true;
}

/** Whether the word being typed is one letter so far. */
const isFirstLetter = (groups: QueryGroup[]) => (groups.at(-1) as QueryGroup).word.length === 1;

/**
 * The groups titles with some of the words are looked for by, when none has all: the words
 * typed as the archive has them, when a word read as a typo is among the others, for that
 * reading is the likelier mistake ("lamma open", read as "gamma", offered only the Gamma
 * titles, none with "open"); else all but the commonest. The word being typed stays: one
 * letter short of a word, it is read as a typo of it ("transforme"), and left out, no title
 * with it was offered until it was typed whole (of 400 partial titles with a word
 * misremembered at 41k, the title was among the 25 shown 175 times instead of 249); but not
 * as an acronym (`withoutAcronymReadings`).
 */
function someWords(used: QueryGroup[], typing: QueryGroup): QueryGroup[] {
  const asTyped = used.filter((group) => group === typing || group.corrections.length === 0);
  const some = asTyped.length > 0 && asTyped.length < used.length ? asTyped : dropCommonest(used);
  return some.map((group) => (group === typing ? withoutAcronymReadings(group) : group));
}

/**
 * The word being typed without the words it stands for as an acronym: they are for the titles
 * with every word typed ("continuous gflownets"). Among those with some, a title having them
 * alone, a rare phrase, came before those with the words typed before it: "distributed multi
 * task gar" offered "Generation-Augmented Retrieval for …" before "Distributed Multi-Task
 * Learning" at 41k.
 */
function withoutAcronymReadings(group: QueryGroup): QueryGroup {
  const readings = new Set(group.acronymReadings ?? []);
  if (readings.size === 0) return group;
  return { ...group, alternatives: group.alternatives.filter((a) => !readings.has(a)) };
}

/**
 * The groups a title prefix is looked for by: the known words that are not stop words, or
 * failing those the known ones (a title can start "What Is").
 */
function titleGroups(groups: QueryGroup[]): QueryGroup[] {
  const searchable = groups.filter((g) => g.known && !g.stop);
  return searchable.length ? searchable : groups.filter((g) => g.known);
}

/** After any title key that starts with a given text, in SQLite's byte order: the last code point. */
const afterEveryCharacter = String.fromCodePoint(0x10ffff);
/**
 * After any title key that starts with a given text as whole words: its words are spaced (see
 * `titleKey`), and "bayesian optimization" begins "bayesian optimizationa…" too.
 */
const endOfWord = (start: string) => `${start} ${afterEveryCharacter}`;
/** Typed starts looked up for autocomplete: each typo read two ways makes four already. */
const mostTypedStarts = 4;
/**
 * Titles looked up per typed start: as many as Discord shows. More (60) were as good (of 1,000
 * partial titles of the 41k corpus, 910 among the 25 shown instead of 915; with another seed
 * 909 instead of 907) and cost a fifth more time re-ranking them.
 */
const titlesPerStart = 25;

/**
 * Words read from the titles scanned for the name a misspelt word may be, and titles looked up
 * for it slipped in its first letters: a bound on the time a scan takes.
 */
const scannedNameTitles = 200;

/** Letters and digits, four or more: a word that may be a misspelt name. */
const isNameLike = (word: string) => word.length >= 4 && /^[a-z0-9]+$/.test(word);
/** What a name's characters may be (`isNameLike`). */
const nameCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";
/** No bound on the length of the word a word being typed may be the start of. */
const longestName = 1000;

/** The fewest slips from `typed`, a word being typed, to the start of `word` it may be. */
function slipsToStart(typed: string, word: string): number {
  let fewest = slips(typed, word);
  for (let end = typed.length - 2; end <= typed.length + 2 && end < word.length; end++)
    fewest = Math.min(fewest, slips(typed, word.slice(0, end)));
  return fewest;
}

/**
 * The words typed, and when a name is typed with its version glued to it ("gemma3", "siglip2
 * multi"), them with the version apart ("gemma 3"), as titles write it ("Gemma 3 Technical
 * Report", "SigLIP 2: Multilingual…"): typed glued, such titles were not offered, or only
 * after others. The name's group is read as the two words too (`versionApart`).
 */
function readVersionsApart(typed: string[]): string[][] {
  const apart = typed.flatMap((word) => {
    const [, name, version] = nameWithVersion.exec(word) ?? [];
    return name && version ? [name, version] : [word];
  });
  return apart.length > typed.length ? [typed, apart] : [typed];
}

/**
 * The words typed with the last two glued, as the name starting a title they may be typed
 * apart ("long rope" for "LongRoPE2: …", "tiny lla" for "TinyLLaVA-Video-R1: …"): the titles'
 * index has the name as one word, which the words typed apart start neither, nor do all its
 * camel-case parts ("rope" starts no part of "LongRoPE2"), so such a title was not offered
 * until the name was typed whole, or at all. Not with a stop word.
 */
function readNameTypedApart(typed: string[]): string[][] {
  const [before, last] = typed.slice(-2);
  if (before === undefined || last === undefined) return [];
  if (stopwords.has(before) || stopwords.has(last)) return [];
  return [[...typed.slice(0, -2), before + last]];
}

/**
 * How a title would start that starts with the words typed, as its normalised key (`titleKey`)
 * does: each word as typed or as a one-word alternative of it ("lwoer" as "lower"), the word
 * being typed as a start it slipped from too (QueryGroup.slippedStarts), the words as typed
 * first, at most `mostTypedStarts` of them. But a word typed in full that no paper has comes
 * after what it was read as: "reinforcment learning with itrinsi" made four starts of
 * "reinforcment" and "learning" read in their forms, and none of "reinforcement learning".
 */
function typedStarts(typed: string[], groups: QueryGroup[]): string[] {
  let starts = [""];
  const typing = groups.at(-1);
  for (const word of typed) {
    const group = groups.find((g) => g.word === word);
    const forms = group ? readingsForStarts(group, group === typing) : [word];
    starts = starts
      .flatMap((start) => forms.map((form) => (start ? `${start} ${form}` : form)))
      .slice(0, mostTypedStarts);
  }
  return starts;
}

/** A group's readings in a title's start (see `typedStarts`), for the word being typed or another. */
function readingsForStarts(group: QueryGroup, isTyping: boolean): string[] {
  if (isTyping) return [...oneWordReadings(group), ...(group.slippedStarts ?? [])];
  const [asTyped, ...read] = oneWordReadings(group);
  return group.corrections.length > 0 ? [...read, asTyped as string] : [asTyped as string, ...read];
}

/**
 * How a title would start that has the words typed, the word being typed in its other spelling
 * (QueryGroup.otherSpellings), each as a whole word: the words before it as typed.
 */
function otherSpellingStarts(typed: string[], groups: QueryGroup[]): string[] {
  const typing = groups.find((group) => group.word === typed.at(-1));
  const [before] = typedStarts(typed.slice(0, -1), groups);
  return (typing?.otherSpellings ?? []).map((other) => (before ? `${before} ${other}` : other));
}

/**
 * Where in the title (its `words`) the words typed are one after the other, each as typed or as read (a
 * typo corrected), the last as the start of a word, or `otherSpelling` in its other spelling:
 * 0 when they start it ("Scaling Laws for Neur" of "Scaling Laws for Neural Language Models"),
 * -1 when they are nowhere in a row.
 */
function typedRunAt(
  titleWords: readonly string[],
  typed: string[],
  groups: QueryGroup[],
  names: ReadonlySet<string>,
  otherSpelling = false,
): number {
  for (let at = 0; at + typed.length <= titleWords.length; at++) {
    const isRun = (word: string, i: number) =>
      isTypedAs(titleWords[at + i] as string, word, i, typed, groups, names, otherSpelling);
    if (typed.every(isRun)) return at;
  }
  return -1;
}

/**
 * A word being typed shorter than this that is read as another as long may be half of a third
 * ("poste" of "posterior", read as "poset"): only a longer correction counts as it. From this
 * long, one as long does too, and from `shortestWithLetterTooMany` one a letter shorter (a
 * letter typed twice, "transformmer"). Of 487 generated title starts at 41k whose last word
 * (5+ letters) had a typo, 334 had their title first when no correction counted, 373 so (360
 * without the shorter ones); of 375 with half a word typed right, 281 as before.
 */
const longestHalfTyped = 6;
const shortestWithLetterTooMany = 7;

/** The titles the words typed start first, then those they are a run of, then the others. */
const runOrder = (at: number) => (at === 0 ? 0 : at > 0 ? 1 : 2);
/**
 * Where a title goes that the words typed start with the word being typed only as read (a
 * correction, a name one slip from it): after those it starts as typed, before the runs.
 * "prerout" is no word of the archive, read as "reroute", and "Reroute, Don't Remove: …" came
 * before "PreRoutGNN for …", "deeparch" put DeepBach first, and "efficientv", read as
 * "efficient", put hundreds of "Efficient …" titles before EfficientVLA (of 570 prefixes of 80
 * names starting corpus titles at 41k, 420 had their title first instead of 407).
 */
const readStartOrder = 0.5;
/**
 * Where a title goes that the words typed start with the word being typed only as a start it
 * slipped from (QueryGroup.slippedStarts): after those it starts as read, a word typed whole
 * with a slip being likelier that word ("wombat herdnig": "Wombat Herding…" before "Wombat
 * Herdings…"), before the runs.
 */
const slippedStartOrder = 0.75;

/**
 * Where a title goes (`runOrder`) for one reading of the words typed: started with the word
 * being typed as read, not as typed, at `readStartOrder`.
 */
function typedOrder(
  titleWords: readonly string[],
  typed: string[],
  groups: QueryGroup[],
  names: ReadonlySet<string>,
): number {
  const at = typedRunAt(titleWords, typed, groups, names);
  if (at !== 0) {
    if (at < 0 && startsSkipping(titleWords, typed, groups, names)) return skippingStartOrder;
    return runOrder(at);
  }
  const last = typed.length - 1;
  if ((titleWords[last] as string).startsWith(typed[last] as string)) return 0;
  // Only the word being typed has starts it slipped from: without any, it was started as read.
  if (!groups.at(-1)?.slippedStarts) return readStartOrder;
  const asRead = groups.map(({ slippedStarts: _, ...group }) => group);
  return typedRunAt(titleWords, typed, asRead, names) === 0 ? readStartOrder : slippedStartOrder;
}

/**
 * Where a title goes that starts with the first word typed and has the others after it in
 * their order, words skipped between them ("encoding s…" of "Encoding Lexico-Semantic
 * Knowledge…", "on convergence an" of "On the Convergence and…"): after the runs, before the
 * others. Ranked among those, it often left the list it was in a keystroke before (at 41k, of
 * 60 titles typed char by char without their small words, and 60 without their second word, 13
 * left it and came back; so ordered, 7); of 600 title starts with a word skipped it was among
 * the 25 shown 565 times, first 462 (with another seed 561, 466); so ordered, 576 and 517 (578,
 * 528), other partial titles as before.
 */
const skippingStartOrder = 1.1;

/** Whether the title starts with the first word typed, and has the others after it in order. */
function startsSkipping(
  titleWords: readonly string[],
  typed: string[],
  groups: QueryGroup[],
  names: ReadonlySet<string>,
): boolean {
  if (typed.length < 2) return false;
  let next = 0;
  return typed.every((word, i) => {
    const isWord = (at: number) =>
      isTypedAs(titleWords[at] as string, word, i, typed, groups, names, false);
    if (i === 0) return isWord(next++);
    while (next < titleWords.length) if (isWord(next++)) return true;
    return false;
  });
}

/**
 * Where a title goes that has the word being typed in its other spelling only: after those
 * with it as typed that the words typed start or are a run of, before the others; those it
 * starts first. Someone typing "domain generalisat" or "quantis" looks for "Domain
 * Generalisation of NMT…" or "QLSD: Quantised Langevin…" before the many "Domain
 * Generalization…" and "Quantized…" titles; put before the runs, those started so took the
 * places of titles spelt as typed (of 150 generated runs at 41k typed British into a British
 * word, 65 keystrokes lost their title's place, 18 their first).
 */
const otherSpellingOrder = (at: number) => (at === 0 ? 1.25 : at > 0 ? 1.5 : 2.5);

/**
 * The starts of a title word the word being typed, one letter so far, may be: the letter, or
 * the word before with it glued on, as a version is to a name ("qwen 3" for "Qwen3…").
 */
function startsOfLetter(groups: QueryGroup[]): string[] {
  const letter = (groups.at(-1) as QueryGroup).word;
  const before = groups.at(-2)?.word;
  return before ? [letter, before + letter] : [letter];
}

/**
 * Where a title goes among autocomplete's choices (`runOrder`), the others with a word that
 * one of `letterStarts` (`startsOfLetter`, when the word being typed is one letter so far)
 * starts before the others without one: the letter is looked for in no title (see
 * `titleCandidates`), nor does fuse.js match a word's start, so the titles with every word but
 * it were in the order ranked for the words before it, and "graph neural networks e" offered
 * 25 titles with no word in "e".
 */
function placeOf(
  title: string,
  typings: string[][],
  groups: QueryGroup[],
  names: ReadonlySet<string>,
  letterStarts: readonly string[],
  otherSpeltOnly: boolean,
): number {
  // Once per title, not per typing and spelling: this runs for every candidate on every keystroke.
  const titleWords = words(title);
  const typed = Math.min(...typings.map((typing) => typedOrder(titleWords, typing, groups, names)));
  const spelt = (groups.at(-1) as QueryGroup).otherSpellings
    ? Math.min(
        ...typings.map((typing) =>
          otherSpellingOrder(typedRunAt(titleWords, typing, groups, names, true)),
        ),
      )
    : Number.POSITIVE_INFINITY;
  // A title found for the other spelling alone goes after the others found as typed, even
  // with the word where no title word has it: "raoblackwelliz" put "Rao-Blackwellised parallel
  // MCMC" before the "Rao-Blackwellized…" titles, a glued word matching it as closely.
  const order = Math.min(otherSpeltOnly && typed === 2 ? Number.POSITIVE_INFINITY : typed, spelt);
  const startsNoWord =
    letterStarts.length > 0 &&
    !titleWords.some((word) => letterStarts.some((start) => word.startsWith(start)));
  return order === 2 && startsNoWord ? 3 : order;
}

/**
 * Whether a title's word is the `i`th of the words typed, as typed or as read; for the word
 * being typed, one of `names`, the names read for it, too, or `otherSpelling`, one of its other
 * spellings (QueryGroup.otherSpellings) alone.
 */
function isTypedAs(
  titleWord: string,
  word: string,
  i: number,
  typed: string[],
  groups: QueryGroup[],
  names: ReadonlySet<string>,
  otherSpelling: boolean,
): boolean {
  const group = groups.find((g) => g.word === word);
  const readAs = titleWord === word || group?.alternatives.includes(titleWord) === true;
  if (i < typed.length - 1) return readAs;
  if (otherSpelling) return group?.otherSpellings?.includes(titleWord) === true;
  // The word being typed, or a start it slipped from ("itrinsi" of "Intrinsically"), or
  // another spelling or the plural of it typed in full ("batch normalisation"), or what it
  // was corrected to ("chinchila"; from seven letters, one a letter shorter too,
  // "transformmer"): typed misspelt, the title it starts came after one with it further on.
  // Not a shorter form, nor a correction as long of a shorter word: of a word half typed
  // ("poste"), those are other words ("post", "poset").
  const corrections = group?.corrections ?? [];
  const shortest =
    word.length < longestHalfTyped
      ? word.length + 1
      : word.length - (word.length >= shortestWithLetterTooMany ? 1 : 0);
  return (
    titleWord.startsWith(word) ||
    names.has(titleWord) ||
    group?.slippedStarts?.some((start) => titleWord.startsWith(start)) === true ||
    (readAs && corrections.length === 0 && titleWord.length >= word.length) ||
    (corrections.includes(titleWord) && titleWord.length >= shortest)
  );
}
