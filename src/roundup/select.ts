/**
 * Which papers a roundup holds: those first seen in its window, about any of the
 * subscription's topics (the search engine's topic search plus a relevance threshold),
 * never one already posted to the channel; best match first, then upvotes. Each with
 * the topics it matched and the words that matched them. Nothing here knows Discord.
 */
import {
  type TopicHit,
  type TopicMatch,
  type TopicSearchOptions,
  type TopicWindowOptions,
  topicKey,
} from "../search/topics.ts";

/** Papers first seen after `start` and up to `end` (ISO timestamps). */
export interface RoundupWindow {
  start: string;
  end: string;
}

/** Why a paper is in a roundup: a topic it matched, and the words of the paper that matched it. */
export interface TopicReason {
  topic: string;
  words: string[];
}

export interface SelectedPaper {
  paperId: number;
  title: string;
  upvotes: number | null;
  /** The best of its topics' scores (the /search score, 0..1). */
  score: number;
  /** Every topic it matched, best match first. */
  reasons: TopicReason[];
}

/** A roundup's papers, and how many matched in all: more than it takes, on a busy day. */
export interface RoundupSelection {
  papers: SelectedPaper[];
  /** The papers of the window about any topic, not posted to the channel yet. */
  matched: number;
}

/** What selection needs of a subscription. */
export interface SelectionSubscription {
  topics: readonly string[];
  maxPapers: number;
}

/** The search engine's topic search (Paperboy has it: `app.topicWindow`). */
export interface TopicMatcher {
  topicWindow(options: TopicWindowOptions): {
    matchTopics(topics: readonly string[], search?: TopicSearchOptions): Map<string, TopicMatch>;
    papersAbout(
      topics: readonly string[],
      minTitleShare: number,
      except: ReadonlySet<number>,
    ): number;
  };
}

/**
 * The relevance threshold: a paper is about a topic when
 *  1. every word of the topic is in it, title or abstract (FTS5 asks for all of them,
 *     with the engine's typo corrections, plurals, compounds and acronyms), and
 *  2. its title has at least two thirds of the topic, by weight: each word counts by its
 *     rarity in the archive (the engine's idf weight), stop words not at all.
 *
 * Why the title: a roundup is a short daily list, and a title names what a paper is about,
 * while an abstract names everything it uses. On the 41k corpus, the papers whose abstract
 * alone has all of "graph neural networks" are about news recommendation, legal text or
 * TensorFlow batching that use a GNN somewhere, and those with "graph" once are about
 * anything at all (FTS5 does not even offer a paper whose title has none of the words).
 *
 * Why two thirds, by rarity: the title may lack a common word of a longer topic and still
 * be about it — "Convolutional Networks on Graphs for Learning Molecular Fingerprints" or
 * "… Bidirectional Graph Attention Network" (0.71 of "graph neural networks", "neural"
 * in the abstract), "OneVL: … Vision-Language Explanation" (0.79 of "vision language
 * models"); and in a two-word topic one word alone counts when it is far rarer than the
 * other ("diffusion" of "diffusion models", 0.74; "reinforcement" of "reinforcement
 * learning", 0.67). Half was tried and is too little: on the corpus's day of 1,000 new
 * papers, titles with 0.5–0.65 of a topic were mostly another subject — "DCPO: Dynamic
 * Clipping Policy Optimization" for "policy gradient" (0.51), "Linear Models are Robust
 * …" for "non linear" (0.52), "… Real-World Preference Learning" for "world models"
 * (0.64), "Fields of Gaussian Scale Mixtures" for "mixture of experts" (0.50), "Hybrid
 * Convolution Method for Graph Classification" (0.40 of "graph neural networks"),
 * "… Hybrid Linear Diffusion Transformer" (0.35 of "diffusion model quantization").
 * The price: a rare word in another sense still counts ("Diffusion-Convolutional Neural
 * Networks" for "diffusion models"). Titles with all of a topic score 0.74–0.93 and come
 * first anyway; the threshold mostly decides what fills a quiet day.
 *
 * The /search score (independent of the other candidates here: see the engine's topic
 * search) orders the papers that pass; it is not the threshold, as it rewards short titles
 * and upvotes, which say nothing of what a paper is about.
 */
export const minTitleShare = 2 / 3;

/** Whether a hit passes the threshold (the engine is asked for such candidates only). */
export function isRelevant(hit: TopicHit): boolean {
  return hit.titleShare >= minTitleShare - 1e-9;
}

/**
 * How many of a topic's candidates are re-ranked for a subscription wanting `papers`:
 * all of them, nearly always (a day brings a handful per topic). When there are more —
 * a first roundup over a whole archive — those with most of the topic in the shortest
 * titles, which the score favours: twice the papers wanted, and at least 20. (On the 41k
 * corpus as one window, 95 % of each topic's 10 best of its first 300 are among its
 * first 20; the rest differ by thousandths of a point.)
 */
const poolFor = (papers: number) => Math.max(2 * papers, 20);
/** A topic whose pool ran short (papers posted to the channel already) is searched this much deeper. */
const poolGrowth = 2;

/**
 * Topic searches for one window: each distinct topic searched once, as deep as its most
 * demanding subscription needs, deeper on demand. `prepare` searches many in one go.
 */
function topicSearches(matcher: TopicMatcher, window: RoundupWindow) {
  const searchable = matcher.topicWindow({
    firstSeenAfter: window.start,
    firstSeenUntil: window.end,
  });
  /** By topic key: the deepest search so far, and its limit. */
  const done = new Map<string, { match: TopicMatch; limit: number }>();

  /** Searches the topics not yet searched `limit` deep, by limit. */
  function run(wanted: ReadonlyMap<string, { topic: string; limit: number }>): void {
    const byLimit = new Map<number, [string, string][]>();
    for (const [key, { topic, limit }] of wanted) {
      if (!key || (done.get(key)?.limit ?? 0) >= limit) continue;
      const list = byLimit.get(limit);
      if (list) list.push([key, topic]);
      else byLimit.set(limit, [[key, topic]]);
    }
    for (const [limit, list] of byLimit) {
      const matches = searchable.matchTopics(
        list.map(([, topic]) => topic),
        { limit, minTitleShare },
      );
      for (const [key, topic] of list)
        done.set(key, { match: matches.get(topic) as TopicMatch, limit });
    }
  }

  return {
    /** Searches these subscriptions' topics, each as deep as the most papers wanted. */
    prepare(subscriptions: readonly SelectionSubscription[]): void {
      const wanted = new Map<string, { topic: string; limit: number }>();
      for (const subscription of subscriptions) {
        const limit = poolFor(Math.max(1, Math.floor(subscription.maxPapers)));
        for (const topic of subscription.topics) {
          const key = topicKey(topic);
          const known = wanted.get(key);
          if (!known || known.limit < limit) wanted.set(key, { topic, limit });
        }
      }
      run(wanted);
    },
    /**
     * The relevant, unposted hits of a topic, best first: at least `wanted` of them when
     * the window has that many (a search cut short by its limit is run again deeper).
     */
    relevant(topic: string, posted: ReadonlySet<number>, wanted: number): TopicHit[] {
      const key = topicKey(topic);
      if (!key) return [];
      // The same candidates whatever other subscriptions asked for: the first `limit`.
      let limit = poolFor(wanted);
      for (;;) {
        run(new Map([[key, { topic, limit }]]));
        const { match } = done.get(key) as { match: TopicMatch };
        const hits = match.hits.filter(
          (hit) => hit.place < limit && isRelevant(hit) && !posted.has(hit.id),
        );
        if (hits.length >= wanted || match.candidates <= limit) return hits;
        limit *= poolGrowth;
      }
    },
    /** How many papers of the window are about any of `topics`, none of `posted`. */
    matched(topics: readonly string[], posted: ReadonlySet<number>): number {
      return searchable.papersAbout(topics, minTitleShare, posted);
    },
  };
}

type TopicSearches = ReturnType<typeof topicSearches>;

/** A paper being picked, with the score of each of its reasons. */
type Picked = SelectedPaper & { reasonScores: number[] };

/** One subscription's papers: any topic's relevant hits, best first then upvotes, one per paper. */
function pick(
  searches: TopicSearches,
  {
    subscription,
    posted,
  }: {
    subscription: SelectionSubscription;
    /** Papers already posted to the subscription's channel. */
    posted: ReadonlySet<number>;
  },
): SelectedPaper[] {
  const wanted = Math.max(0, Math.floor(subscription.maxPapers));
  if (wanted === 0) return [];
  const papers = new Map<number, Picked>();
  /** Each topic's papers, best first. */
  const byTopic: Picked[][] = [];
  const seenTopics = new Set<string>();
  for (const topic of subscription.topics) {
    const key = topicKey(topic);
    if (!key || seenTopics.has(key)) continue;
    seenTopics.add(key);
    const topicPapers: Picked[] = [];
    for (const hit of searches.relevant(topic, posted, wanted)) {
      const reason = { topic, words: hit.words };
      let known = papers.get(hit.id);
      if (!known) {
        known = {
          paperId: hit.id,
          title: hit.title,
          upvotes: hit.upvotes,
          score: hit.score,
          reasons: [reason],
          reasonScores: [hit.score],
        };
        papers.set(hit.id, known);
      } else {
        // Reasons best first; a tie keeps the subscription's topic order.
        let at = known.reasonScores.findIndex((score) => score < hit.score);
        if (at < 0) at = known.reasons.length;
        known.reasons.splice(at, 0, reason);
        known.reasonScores.splice(at, 0, hit.score);
        known.score = Math.max(known.score, hit.score);
      }
      topicPapers.push(known);
    }
    byTopic.push(topicPapers);
  }
  return takeTurns(byTopic, wanted)
    .sort(better)
    .map(({ reasonScores: _, ...paper }) => paper);
}

/** Best match first, then upvotes. */
const better = (a: SelectedPaper, b: SelectedPaper) =>
  b.score - a.score || (b.upvotes ?? 0) - (a.upvotes ?? 0) || a.paperId - b.paperId;

/**
 * Up to `wanted` papers, the topics taking turns: each round, every topic's best paper not
 * yet taken, the best of those first. By score alone, a broad topic ("diffusion", a dozen
 * papers a day) filled a roundup and a narrow one ("graph mamba") never showed.
 */
function takeTurns(byTopic: Picked[][], wanted: number): Picked[] {
  const taken = new Set<Picked>();
  const queues = byTopic.map((papers) => [...papers]);
  while (taken.size < wanted) {
    const round = new Set<Picked>();
    for (const queue of queues) {
      while (queue[0] && (taken.has(queue[0]) || round.has(queue[0]))) queue.shift();
      const next = queue.shift();
      if (next) round.add(next);
    }
    if (round.size === 0) break;
    for (const paper of [...round].sort(better).slice(0, wanted - taken.size)) taken.add(paper);
  }
  return [...taken];
}

/** How long a scheduler tick's topic searches are kept (they hold the window's postings). */
const keepSearchesMs = 60_000;

/**
 * Selection for a scheduler that asks one subscription at a time: topic searches are kept
 * for the latest window end (one scheduler tick), so subscriptions due together share them.
 * They are dropped when the window end changes, papers were added (`papersSignature`), or
 * a minute after they were made: a first roundup over a whole archive holds tens of MB.
 */
export function createRoundupSelector(matcher: TopicMatcher, papersSignature: () => unknown) {
  let current: { end: string; signature: unknown; byStart: Map<string, TopicSearches> } | undefined;

  function searchesFor(window: RoundupWindow): TopicSearches {
    const signature = papersSignature();
    if (!current || current.end !== window.end || current.signature !== signature) {
      const made = { end: window.end, signature, byStart: new Map<string, TopicSearches>() };
      current = made;
      setTimeout(() => {
        if (current === made) current = undefined;
      }, keepSearchesMs).unref();
    }
    let searches = current.byStart.get(window.start);
    if (!searches) {
      searches = topicSearches(matcher, window);
      current.byStart.set(window.start, searches);
    }
    return searches;
  }

  return {
    /**
     * The papers for one subscription's roundup: first seen in the window, relevant to any of
     * its topics, never one already posted to its channel; best match first, then upvotes;
     * at most `maxPapers`. Each says which topics it matched, by which words. With them, how
     * many matched in all.
     */
    select(
      subscription: SelectionSubscription,
      window: RoundupWindow,
      posted: ReadonlySet<number> = new Set(),
    ): RoundupSelection {
      const searches = searchesFor(window);
      searches.prepare([subscription]);
      const papers = pick(searches, { subscription, posted });
      // Fewer than it takes: every paper that matched is in it (each topic's hits are all its
      // unposted candidates, or as many as it takes). Only a full roundup counts the rest.
      const full = papers.length >= Math.floor(subscription.maxPapers);
      return {
        papers,
        matched: full ? searches.matched(subscription.topics, posted) : papers.length,
      };
    },
  };
}
