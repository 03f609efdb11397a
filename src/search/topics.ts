import type { Db } from "../store/db.ts";
import { wordsInQuotes } from "../text/quotes.ts";
import { stopwords } from "../text/stopwords.ts";
import { words } from "../text/tokens.ts";
import { analyzeQuery, type QueryGroup } from "./query.ts";
import { type Candidate, candidatePool, type Ranked, rerank } from "./rerank.ts";
import { sortFirst } from "./sort-first.ts";
import { phraseTest, together } from "./together.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** Which papers a topic search looks at: those first seen after `firstSeenAfter`, up to `firstSeenUntil`. */
export interface TopicWindowOptions {
  /** ISO timestamp, compared with papers.first_seen: papers first seen after it … */
  firstSeenAfter: string;
  /** … and at or before this one. */
  firstSeenUntil: string;
}

export interface TopicSearchOptions {
  /** How many candidates are re-ranked (see TopicHit.place for which); default 60. */
  limit?: number;
  /** Only papers whose titles have at least this share of the topic are candidates (see TopicHit). */
  minTitleShare?: number;
}

export type TopicMatchOptions = TopicWindowOptions & TopicSearchOptions;

/** A paper of the window that has every word of a topic, one at least in its title. */
export interface TopicHit {
  id: number;
  title: string;
  upvotes: number | null;
  /** The /search score, 0..1, higher is better. */
  score: number;
  /**
   * The share of the topic the title has: the weights (rarity, the engine's idf) of the
   * topic's words that are in the title, over those of all its words; stop words do not
   * count. A word is in the title as FTS5 finds it: itself, its plural or singular, its
   * correction if misspelt, a compound or acronym of it.
   */
  titleShare: number;
  /** What matched, as written in the paper (lower-cased): title words first, then abstract words. */
  words: string[];
  /**
   * Its place among the topic's candidates (0 first), in the order they are re-ranked in:
   * those with the topic's words together in the title first, then in the abstract, then
   * the rest (see `together`); within each, the most of the topic in the shortest title
   * first (what the score favours), then the most upvoted, then the newest. The hits of a
   * smaller `limit` are those placed before it; a hit's score does not depend on the other
   * candidates.
   */
  place: number;
}

export interface TopicMatch {
  /**
   * Best first: those with the topic's words together in the title, then in the abstract,
   * then the rest, each by score (then upvotes).
   */
  hits: TopicHit[];
  /** How many candidates the window has: more than `limit` means a larger limit finds more. */
  candidates: number;
}

/**
 * Topic search for roundups. A topic is analysed as a /search query is (typos, acronyms,
 * compounds). Its candidates are the papers first seen in the window that have every word
 * of the topic, one at least in their title — found by FTS5 with the window as a rowid
 * range, so no paper of the window is ever cut by a limit meant for older ones — and the
 * first `limit` of them, those with the topic's words together and whose titles have the
 * most of the topic, are re-ranked as /search does.
 *
 * The FTS5 work is done per phrase, not per topic: each distinct word (or phrase) of any
 * topic is looked up once per window, in titles (titles_fts: the same text, far shorter
 * lists) and, only when a paper with enough of a topic in its title lacks it there,
 * anywhere; a topic's candidates are set algebra over those (bitmaps of the window's
 * ids). Topics share most of their words, and FTS5's bm25 would read
 * every phrase's whole posting list again for each topic, whatever the window; so there is
 * no bm25 here, and rerank() gets the same rank for every candidate (its bm25 term is
 * equal for all, and a candidate's score does not depend on the others). Whether a topic's
 * words are together is read in the candidates' titles themselves, only as many as the
 * order needs (and, once those run out, in all the other candidates' abstracts), not by
 * FTS5 phrase queries: those read the positions of every word, stop words too, and made
 * the 1,000 subscriptions' roundups of a normal day 75 % slower on the 41k corpus.
 */
export function createTopicMatcher(db: Db, vocabulary: Vocabulary) {
  const windowBounds = db.prepare(
    `SELECT min(id) AS low, max(id) AS high, count(*) AS papers FROM papers
     WHERE first_seen > ? AND first_seen <= ?`,
  );
  const windowIds = db
    .prepare("SELECT id FROM papers WHERE first_seen > ? AND first_seen <= ?")
    .pluck();
  const postings = db
    .prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ?")
    .pluck();
  const postingCount = db
    .prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ? AND rowid BETWEEN ? AND ?")
    .pluck();
  /** Titles alone (the same text and tokenizer as papers_fts's title column): far shorter lists. */
  const titlePostings = db
    .prepare("SELECT rowid FROM titles_fts WHERE titles_fts MATCH ? AND rowid BETWEEN ? AND ?")
    .pluck();
  const factsBetween = db
    .prepare("SELECT id, length(title), coalesce(upvotes, 0) FROM papers WHERE id BETWEEN ? AND ?")
    .raw();
  /** Titles or abstracts by id, to see whether a topic's words are together in them (`together`). */
  const textsById = (column: "title" | "abstract") => {
    const texts = db
      .prepare(`SELECT id, ${column} FROM papers WHERE id IN (SELECT value FROM json_each(?))`)
      .raw();
    return (ids: number[]) => new Map(texts.all(JSON.stringify(ids)) as [number, string][]);
  };
  const titlesOf = textsById("title");
  const abstractsOf = textsById("abstract");
  /** Candidates to re-rank: the same rank for every one (see above). */
  const papersById = db.prepare(
    `SELECT id, title, abstract, upvotes, -1 AS rank FROM papers
     WHERE id IN (SELECT value FROM json_each(?))`,
  );

  /**
   * A window to search for topics, looked up once. Papers get increasing ids as they are
   * first seen, so a window is nearly always every id between its lowest and highest, a
   * rowid range for FTS5; when it is not (papers deleted, or ingested with clocks out of
   * order), its ids are kept to filter with. Meant for one scheduler run: what it learns
   * (each phrase's papers, each topic's candidates and scores) is kept.
   */
  function topicWindow(options: TopicWindowOptions) {
    const { low, high, papers } = windowBounds.get(
      options.firstSeenAfter,
      options.firstSeenUntil,
    ) as { low: number | null; high: number | null; papers: number };
    const only =
      low === null || high === null || papers === high - low + 1
        ? undefined
        : new Set(windowIds.all(options.firstSeenAfter, options.firstSeenUntil) as number[]);
    const known = memoized(vocabulary);
    /** The window's papers with a phrase, anywhere or in the title, by `"phrase"`. */
    const papersWith = new Map<string, Papers>();
    const titlesWith = new Map<string, Papers>();
    /** How many of the window's papers have a phrase anywhere, when not fetched (yet). */
    const counts = new Map<string, number>();
    const base = low ?? 0;
    const words32 = low === null || high === null ? 0 : ((high - low) >>> 5) + 1;
    const topics = new Map<string, ReturnType<typeof topicSearch>>();
    /** Title length and upvotes by id − low, read when first needed (a scan of the window). */
    let facts: { length: Int32Array; upvotes: Int32Array } | undefined;

    /**
     * Puts the first `first` candidates of equal title share in order (sortFirst): the shortest
     * titles first (the score favours a title that is mostly the topic), then the most upvoted,
     * then the newest. How many are in order.
     */
    function putInOrder(ids: number[], first: number): number {
      if (!facts) {
        const size = (high ?? base) - base + 1;
        facts = { length: new Int32Array(size), upvotes: new Int32Array(size) };
        for (const [id, length, upvotes] of factsBetween.all(base, high) as number[][]) {
          facts.length[(id as number) - base] = length as number;
          facts.upvotes[(id as number) - base] = upvotes as number;
        }
      }
      const { length, upvotes } = facts;
      return sortFirst(
        ids,
        first,
        (a, b) =>
          (length[a - base] as number) - (length[b - base] as number) ||
          (upvotes[b - base] as number) - (upvotes[a - base] as number) ||
          b - a,
      );
    }

    /** Papers of the window as a bitmap by id − low. */
    function bitmapOf(ids: Iterable<number>): Uint32Array {
      const bits = new Uint32Array(words32);
      for (const id of ids) {
        const at = id - base;
        bits[at >>> 5] = (bits[at >>> 5] as number) | (1 << (at & 31));
      }
      return bits;
    }

    /** The window's papers among `ids` (in rowid order), listed and as a bitmap by id − low. */
    function papersOf(ids: number[]): Papers {
      const kept = only ? ids.filter((id) => only.has(id)) : ids;
      return { ids: kept, bits: bitmapOf(kept), size: kept.length };
    }

    /** The window's papers with a phrase (quoted for FTS5) anywhere. */
    function withPhrase(phrase: string): Papers {
      let found = papersWith.get(phrase);
      if (!found) {
        found = papersOf(postings.all(phrase, low, high) as number[]);
        papersWith.set(phrase, found);
      }
      return found;
    }

    /** The window's papers with a phrase in the title. */
    function withPhraseInTitle(phrase: string): Papers {
      let found = titlesWith.get(phrase);
      if (!found) {
        found = papersOf(titlePostings.all(phrase, low, high) as number[]);
        titlesWith.set(phrase, found);
      }
      return found;
    }

    /** How many of the window's papers have a phrase anywhere (counted, unless fetched already). */
    function papersWithCount(phrase: string): number {
      const found = papersWith.get(phrase);
      if (found) return found.size;
      if (only) return withPhrase(phrase).size;
      let count = counts.get(phrase);
      if (count === undefined) {
        count = postingCount.get(phrase, low, high) as number;
        counts.set(phrase, count);
      }
      return count;
    }

    /**
     * The papers with every group somewhere and at least `minTitleShare` of the topic in the
     * title (one group at least), and that share. A group's doubtful readings (acronyms the
     * archive mostly means otherwise) count in the title, but are not the group somewhere:
     * the paper must have one of its other readings too.
     */
    function titleShares(counted: QueryGroup[], minTitleShare: number): Map<number, number> {
      const quoted = (a: string) => `"${a.replaceAll('"', '""')}"`;
      const totalWeight = counted.reduce((sum, g) => sum + g.weight, 0) || 1;
      const groups = counted.map((group) => {
        const doubtful = new Set(group.doubtfulReadings);
        const phrases = group.alternatives.filter((a) => !doubtful.has(a)).map(quoted);
        const inTitle = phrases.map(withPhraseInTitle);
        const doubtfulInTitle = [...doubtful].map((a) => withPhraseInTitle(quoted(a)));
        return {
          share: group.weight / totalWeight,
          phrases,
          inTitle,
          doubtfulInTitle,
          /** Fetched when a paper lacks the group in its title but has enough of the topic. */
          anywhere: undefined as Papers[] | undefined,
          titles: [...inTitle, ...doubtfulInTitle].reduce((n, ids) => n + ids.size, 0),
        };
      });
      // A paper's share is summed in the order of the groups' papers, the rarest first; the
      // order changes no sum of two, so it is counted only for three groups or more.
      const sets =
        groups.length < 3
          ? groups
          : groups
              .map((set) => ({
                set,
                size: set.phrases.reduce((n, phrase) => n + papersWithCount(phrase), 0),
              }))
              .sort((a, b) => a.size - b.size)
              .map(({ set }) => set);
      // A group the title cannot lack and still have enough of the topic: start from its titles.
      const needed = sets
        .filter((set) => set.share > 1 - minTitleShare + 1e-9)
        .sort((a, b) => a.titles - b.titles)[0];
      const has = (lists: readonly Papers[], id: number) => {
        const at = id - base;
        const word = at >>> 5;
        const bit = 1 << (at & 31);
        for (const { bits } of lists) if ((bits[word] as number) & bit) return true;
        return false;
      };
      const shares = new Map<number, number>();
      const seen = needed ? undefined : new Set<number>();
      const lacking: (typeof sets)[number][] = [];
      for (const set of needed ? [needed] : sets) {
        for (const { ids } of [...set.inTitle, ...set.doubtfulInTitle]) {
          next: for (const id of ids) {
            if (seen) {
              if (seen.has(id)) continue;
              seen.add(id);
            }
            let share = 0;
            lacking.length = 0;
            for (const other of sets) {
              if (has(other.inTitle, id)) share += other.share;
              else {
                if (has(other.doubtfulInTitle, id)) share += other.share;
                lacking.push(other);
              }
            }
            if (share < minTitleShare - 1e-9) continue;
            for (const other of lacking) {
              other.anywhere ??= other.phrases.map(withPhrase);
              if (!has(other.anywhere, id)) continue next;
            }
            shares.set(id, Math.min(1, share));
          }
        }
      }
      return shares;
    }

    /**
     * The candidates with each of the topic's hyphenated terms ("in-context", "single-cell",
     * "text-to-video") together in the title or the abstract, as `together` reads them ("in
     * context", "incontext"), or with the whole topic together ("ICL"): a hyphen makes its
     * words one term, and apart they are most often something else ("Learning the Context of
     * a Category", "Image-Text Retrieval" for "text-to-image", "Edit Distance … with Single
     * Bootstrap per Cell"). Titles are read first; abstracts only of those that need them.
     */
    function withTermsTogether(
      shares: Map<number, number>,
      topic: string,
      wholeTogether: (text: string) => boolean,
    ): Map<number, number> {
      const terms = hyphenatedTerms(topic);
      if (terms.length === 0 || shares.size === 0) return shares;
      const tests = terms.map((term) => {
        const spelt = termSpellings(term).map((t) =>
          phraseTest(together(analyzeQuery(t, known), known)),
        );
        return (text: string) => spelt.some((test) => test(text));
      });
      const ids = [...shares.keys()];
      const titles = titlesOf(ids);
      const unsure = ids.filter((id) => {
        const title = titles.get(id) ?? "";
        return !wholeTogether(title) && !tests.every((test) => test(title));
      });
      if (unsure.length === 0) return shares;
      const abstracts = abstractsOf(unsure);
      const kept = new Map(shares);
      for (const id of unsure) {
        const [title, abstract] = [titles.get(id) ?? "", abstracts.get(id) ?? ""];
        if (wholeTogether(abstract) || tests.every((test) => test(title) || test(abstract)))
          continue;
        kept.delete(id);
      }
      return kept;
    }

    /**
     * One topic in this window: its candidates (papers with at least `minTitleShare` of it
     * in their titles), put in order as far as asked, and re-ranked as far as asked.
     */
    function topicSearch(topic: string, minTitleShare: number) {
      const groups = analyzeQuery(topic, known).map(withoutCommonWords);
      const meaningful = groups.filter((g) => !g.stop);
      const counted = meaningful.length ? meaningful : groups;
      // Those with the topic's words together in the title come first, then those with them
      // together in the abstract, then the rest (see `together`).
      const forms = counted.length > 1 ? together(groups, known) : [];
      const hasTogether = forms.length ? phraseTest(forms) : () => false;
      // A word the archive has never seen, even misspelt, is in none of the window's papers.
      const unknown = counted.length === 0 || counted.some((g) => !g.known);
      const shares = unknown
        ? new Map<number, number>()
        : withTermsTogether(titleShares(counted, minTitleShare), topic, hasTogether);
      const buckets = forms.length ? [] : byShare(shares);
      /** Candidates whose words are not together in the title: 1 together in the abstract, 2 not. */
      const apart = new Map<number, 1 | 2>();
      let apartSorted = false;
      /** Only a title with every word of the topic (all of it) can have them together. */
      const whole = forms.length
        ? [...shares].filter(([, share]) => share > 1 - 1e-9).map(([id]) => id)
        : [];
      /** How many of `whole` are in order at its front, and how many were looked at. */
      let ordered = 0;
      let looked = 0;
      /** Those looked at with the topic's words together in the title, in order. */
      const inTitle: number[] = [];
      const hits: TopicHit[] = [];
      let reranked = 0;

      /**
       * Looks at titles in order until `wanted` have the topic together, or none is left; then
       * puts the others in buckets after them. A first roundup's window has thousands of
       * candidates with the words of a common topic; a few dozen titles are read.
       */
      function lookInTitles(wanted: number): void {
        while (inTitle.length < wanted && looked < whole.length) {
          const end = Math.min(whole.length, looked + Math.max(wanted - inTitle.length, 8));
          if (end > ordered)
            ordered = putInOrder(whole, Math.min(whole.length, Math.max(end, 2 * ordered)));
          const next = whole.slice(looked, end);
          const titles = titlesOf(next);
          for (const id of next) if (hasTogether(titles.get(id) ?? "")) inTitle.push(id);
          looked = end;
        }
        if (inTitle.length < wanted && !apartSorted) {
          apartSorted = true;
          const first = new Set(inTitle);
          const rest = [...shares.keys()].filter((id) => !first.has(id));
          const abstracts = abstractsOf(rest);
          const [elsewhere, scattered] = [new Map<number, number>(), new Map<number, number>()];
          for (const id of rest) {
            const inText = hasTogether(abstracts.get(id) ?? "");
            (inText ? elsewhere : scattered).set(id, shares.get(id) as number);
            apart.set(id, inText ? 1 : 2);
          }
          buckets.push(...byShare(elsewhere), ...byShare(scattered));
        }
      }

      /** The first `limit` candidates in order; a bucket is put in order as far as reached. */
      function inOrderUpTo(limit: number): number[] {
        if (forms.length) lookInTitles(limit);
        const order = inTitle.slice(0, limit);
        for (const bucket of buckets) {
          const need = Math.min(limit - order.length, bucket.ids.length);
          if (need <= 0) break;
          if (bucket.sorted < need) bucket.sorted = putInOrder(bucket.ids, need);
          for (let i = 0; i < need; i++) order.push(bucket.ids[i] as number);
        }
        return order;
      }

      let candidateBits: Uint32Array | undefined;
      /** `loaded`: the candidates read so far by this call of matchTopics (topics share many). */
      const match = (limit: number, loaded: Map<number, Candidate>): TopicMatch => {
        const order = inOrderUpTo(limit);
        const fresh = order.slice(reranked);
        if (fresh.length) {
          const place = new Map(fresh.map((id, i) => [id, reranked + i]));
          reranked = order.length;
          const missing = fresh.filter((id) => !loaded.has(id));
          if (missing.length)
            for (const paper of papersById.all(JSON.stringify(missing)) as Candidate[])
              loaded.set(paper.id, paper);
          const candidates: Candidate[] = [];
          for (const id of fresh) {
            const paper = loaded.get(id);
            if (paper) candidates.push(paper);
          }
          // A candidate's score does not depend on the others, nor on their order.
          const ranked = rerank(candidates, groups);
          for (const match of ranked) {
            const { candidate } = match;
            hits.push({
              id: candidate.id,
              title: candidate.title,
              upvotes: candidate.upvotes,
              score: Math.round(match.score * 1000) / 1000,
              titleShare: shares.get(candidate.id) as number,
              words: foundWords(match, counted),
              place: place.get(candidate.id) as number,
            });
          }
          const tier = (hit: TopicHit) => apart.get(hit.id) ?? 0;
          hits.sort(
            (a, b) =>
              tier(a) - tier(b) ||
              b.score - a.score ||
              (b.upvotes ?? 0) - (a.upvotes ?? 0) ||
              a.place - b.place,
          );
        }
        return { hits: hits.filter((hit) => hit.place < limit), candidates: shares.size };
      };
      return {
        match,
        /** Its candidates as a bitmap by id − low, made when first asked for. */
        candidateBits: () => {
          candidateBits ??= bitmapOf(shares.keys());
          return candidateBits;
        },
      };
    }

    /** A topic's search in this window, made when first asked for; the same topic shares one. */
    function topicFor(name: string, minTitleShare: number) {
      const key = `${minTitleShare}\t${topicKey(name)}`;
      let topic = topics.get(key);
      if (!topic) {
        topic = topicSearch(name, minTitleShare);
        topics.set(key, topic);
      }
      return topic;
    }

    return {
      /** How many papers the window has. */
      papers,
      /**
       * The window's papers about each topic, best first. Topics that are the same words
       * (case, punctuation) are searched once; each call reads one snapshot.
       */
      matchTopics: db.transaction(
        (names: readonly string[], search: TopicSearchOptions = {}): Map<string, TopicMatch> => {
          const limit = Math.max(1, search.limit ?? candidatePool);
          const minTitleShare = search.minTitleShare ?? 0;
          const matches = new Map<string, TopicMatch>();
          const loaded = new Map<number, Candidate>();
          for (const name of names) {
            if (!papers) {
              matches.set(name, { hits: [], candidates: 0 });
              continue;
            }
            matches.set(name, topicFor(name, minTitleShare).match(limit, loaded));
          }
          return matches;
        },
      ),
      /**
       * How many of the window's papers are about any of the topics, `except` left out: the
       * candidates of each (as matchTopics finds them with `minTitleShare`), counted once
       * however many topics they match. What matchTopics found is counted, not searched
       * again: a union of bitmaps (a few thousand words at 41k papers) and their bit count.
       */
      papersAbout: db.transaction(
        (names: readonly string[], minTitleShare: number, except: ReadonlySet<number>): number => {
          if (!papers) return 0;
          const union = new Uint32Array(words32);
          for (const name of names) {
            const bits = topicFor(name, minTitleShare).candidateBits();
            for (let i = 0; i < words32; i++) union[i] = (union[i] as number) | (bits[i] as number);
          }
          let about = 0;
          for (const word of union) about += bitCount(word);
          for (const id of except) {
            const at = id - base;
            if (at >= 0 && at >>> 5 < words32 && (union[at >>> 5] as number) & (1 << (at & 31)))
              about -= 1;
          }
          return about;
        },
      ),
    };
  }

  const matchTopics = (names: readonly string[], options: TopicMatchOptions) =>
    db.transaction(() => topicWindow(options).matchTopics(names, options))();

  return {
    topicWindow,
    /** The papers of a window about each topic, best first (a one-off topicWindow). */
    matchTopics,
    matchTopic: (topic: string, options: TopicMatchOptions): TopicMatch =>
      matchTopics([topic], options).get(topic) as TopicMatch,
  };
}

/** Words joined by hyphens ("in-context", "text-to-video"): in a topic, one term. */
const hyphenated = /[\p{L}\p{N}]+(?:[-\u2010\u2011][\p{L}\p{N}]+)+/gu;

/** A topic's hyphenated terms ("in-context" of "in-context learning"). */
const hyphenatedTerms = (topic: string): string[] => topic.match(hyphenated) ?? [];

/**
 * How papers write a hyphenated term: as typed, and a term of two words with "and" between them
 * too, as a hyphen between two nouns reads ("vision-and-language", "vision and language" of
 * "vision-language"): "vision-language models" left out 19 papers of the 41k corpus
 * "vision language models" took ("Improving Large Vision and Language Models…"). Not with a
 * small word typed ("in-context" is never "in and context").
 */
function termSpellings(term: string): string[] {
  const parts = words(term);
  const twoWords = parts.length === 2 && !parts.some((word) => stopwords.has(word));
  return twoWords ? [term, parts.join(" and ")] : [term];
}

/**
 * The same topic whatever its case and punctuation, as topic search reads it: its words, which
 * of them are hyphenated terms ("in-context learning" is not "in context learning"), and which
 * are in quotes (`"surgical" robotics` is not "surgical robotics", read as "survival robotics").
 */
export const topicKey = (topic: string): string => {
  const quoted = [...wordsInQuotes(topic)];
  return [
    words(topic).join(" "),
    ...hyphenatedTerms(topic).map((term) => words(term).join(" ")),
    ...(quoted.length ? [`"${quoted.join(" ")}"`] : []),
  ].join("\t");
};

/** Papers of a window: their ids in order, and a bitmap of them by id − the window's lowest. */
interface Papers {
  ids: readonly number[];
  bits: Uint32Array;
  size: number;
}

/** How many bits of a 32-bit word are set. */
function bitCount(word: number): number {
  let n = word - ((word >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Candidates by share, most first, in buckets of equal share; each bucket is sorted when first reached. */
function byShare(shares: ReadonlyMap<number, number>) {
  const buckets = new Map<number, number[]>();
  for (const [id, share] of shares) {
    const ids = buckets.get(share);
    if (ids) ids.push(id);
    else buckets.set(share, [id]);
  }
  return [...buckets]
    .sort((a, b) => b[0] - a[0])
    .map(([, ids]) => ({ ids, sorted: ids.length === 1 ? 1 : 0 }));
}

/**
 * An acronym that is also a common word is no evidence: the archive defines "WE" for word
 * embeddings and "IS" for importance sampling, and "we" or "is" are in nearly every paper.
 */
function withoutCommonWords(group: QueryGroup): QueryGroup {
  if (group.stop) return group;
  const alternatives = group.alternatives.filter((a) => a === group.word || !stopwords.has(a));
  return alternatives.length === group.alternatives.length ? group : { ...group, alternatives };
}

/** The vocabulary with every answer kept. */
function memoized(vocabulary: Vocabulary): Vocabulary {
  const answers = new Map<string, unknown>();
  const keep =
    <A extends (string | number | string[] | undefined)[], R>(
      name: string,
      ask: (...args: A) => R,
    ) =>
    (...args: A): R => {
      const key = `${name}\t${args.join("\t")}`;
      if (answers.has(key)) return answers.get(key) as R;
      const answer = ask(...args);
      answers.set(key, answer);
      return answer;
    };
  return {
    ...vocabulary,
    df: keep("df", vocabulary.df),
    paperCount: keep("paperCount", vocabulary.paperCount),
    inflections: keep("inflections", vocabulary.inflections),
    expansions: keep("expansions", vocabulary.expansions),
    acronymFor: keep("acronymFor", vocabulary.acronymFor),
    shareDefinedAs: keep("shareDefinedAs", vocabulary.shareDefinedAs),
    corrections: keep("corrections", vocabulary.corrections),
  };
}

/**
 * The words that matched, as the paper writes them: the title's matches in order, then for
 * each topic word found only in the abstract, its first place there.
 */
function foundWords(ranked: Ranked, counted: QueryGroup[]): string[] {
  const { candidate, titleRanges, abstractRanges, abstractWords } = ranked;
  const found = new Set<string>();
  let end = -1;
  for (const [from, to] of [...titleRanges].sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    if (to <= end) continue; // inside a longer match ("graph neural networks" of "gnn")
    found.add(candidate.title.slice(from, to + 1).toLowerCase());
    end = to;
  }
  for (const group of counted) {
    if (!abstractWords.includes(group.word)) continue;
    const alternatives = new Set(group.alternatives);
    for (const [from, to] of abstractRanges) {
      const text = candidate.abstract.slice(from, to + 1).toLowerCase();
      if (alternatives.has(words(text).join(" "))) {
        found.add(text);
        break;
      }
    }
  }
  return [...found];
}
