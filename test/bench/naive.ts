import Fuse from "fuse.js";
import type { BenchPaper } from "./data.ts";
import { latencies, percentile } from "./measure.ts";

export interface NaiveComparison {
  /** How many of the timed queries (the first ones: every kind in turn) fuse.js was given. */
  queries: number;
  naiveP50: number;
  /** Paperboy's p50 over the same queries. */
  paperboyP50: number;
  speedup: number;
}

/**
 * The naive alternative: fuse.js over every paper's title and abstract, as a
 * bot without an index would do it. Building its index is not timed.
 */
export function compareWithNaiveFuse(
  papers: readonly BenchPaper[],
  queries: readonly string[],
  paperboyMs: readonly number[],
  count: number,
): NaiveComparison {
  const fuse = new Fuse(papers, { keys: ["title", "abstract"], ignoreLocation: true });
  const naiveP50 = percentile(
    latencies(queries.slice(0, count), (query) => fuse.search(query)),
    50,
  );
  const paperboyP50 = percentile(paperboyMs.slice(0, count), 50);
  return { queries: count, naiveP50, paperboyP50, speedup: naiveP50 / paperboyP50 };
}
