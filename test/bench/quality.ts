import type { Paperboy } from "../../src/paperboy.ts";
import type { SearchHit } from "../../src/search/engine.ts";
import fixtureQueries from "../fixtures/search-queries.json" with { type: "json" };
import { type HeldOutQuery, typedWords } from "./queries.ts";

export interface Share {
  hits: number;
  total: number;
  /** 0..1 */
  share: number;
}

const share = (hits: number, total: number): Share => ({ hits, total, share: hits / total });

/** The development queries of test/fixtures (what the engine was tuned on): is the first hit wanted? */
export function fixtureQuality(app: Paperboy): Share & { misses: string[] } {
  const misses = fixtureQueries
    .filter(({ q, want }) => {
      const first = app.search(q, { limit: 1 }).hits[0]?.title;
      return first === undefined || !want.includes(first);
    })
    .map(({ q }) => q);
  return { ...share(fixtureQueries.length - misses.length, fixtureQueries.length), misses };
}

/** The paper itself, or one with the same title (no query can tell those apart). */
function isPaper(hit: SearchHit, query: HeldOutQuery): boolean {
  if (hit.arxivId !== null && hit.arxivId === query.paper.id) return true;
  return typedWords(hit.title).join(" ") === typedWords(query.paper.title).join(" ");
}

/** Held-out queries: how often the paper they were made from comes first, and in the top 5. */
export function heldOutQuality(
  app: Paperboy,
  queries: readonly HeldOutQuery[],
): { first: Share; top5: Share } {
  const ranks = queries.map((query) =>
    app.search(query.query, { limit: 5 }).hits.findIndex((hit) => isPaper(hit, query)),
  );
  return {
    first: share(ranks.filter((rank) => rank === 0).length, queries.length),
    top5: share(ranks.filter((rank) => rank >= 0).length, queries.length),
  };
}
