import { join } from "node:path";
import { openPaperboy } from "../../src/paperboy.ts";
import { type ColdStart, runColdStart } from "./child.ts";
import { type BenchPaper, ingestTime, writeJsonl } from "./data.ts";
import { databaseBytes, megabytes, percentile, timed } from "./measure.ts";
import { compareWithNaiveFuse, type NaiveComparison } from "./naive.ts";
import type { ChildWork } from "./protocol.ts";
import { searchQueries, titlePrefixes } from "./queries.ts";

/** One archive size to measure. */
export interface SizePlan {
  label: string;
  /** Where the papers come from, for the table. */
  data: string;
  papers: () => BenchPaper[];
  /** A file to ingest as it is; otherwise the papers are written to a temporary .jsonl. */
  file?: string;
  /** How many queries naive fuse.js gets at this size; none when absent. */
  naiveQueries?: number;
}

export interface SizeResult {
  label: string;
  data: string;
  /** Records read from the file, and papers stored (fewer when the file repeats papers). */
  records: number;
  papers: number;
  ingestSeconds: number;
  /** Records read per second, over the whole `ingest()` call (reading, parsing, indexing). */
  ingestPerSecond: number;
  databaseMb: number;
  search: { queries: number; p50: number; p95: number };
  suggest: { queries: number; p50: number; p95: number };
  coldStart: {
    /**
     * Spawn of `node --import tsx` to its first answer, measured by the bench: includes
     * Node + tsx start. The median of the runs; the breakdown below is that run's.
     */
    spawnToAnswerMs: number;
    spawnToAnswerRunsMs: number[];
    /** The child's own clock, from its process start. */
    nodeTsxBootMs: number;
    importMs: number;
    openMs: number;
    firstSearchMs: number;
  };
  /** openPaperboy() + first search in the bench process (modules loaded, file in the OS cache). */
  inProcessOpenToAnswerMs: number;
  /**
   * process.memoryUsage().rss of a child that opened the database and did nothing else:
   * after its first answer (median run), and after the whole query set.
   */
  rssMb: { afterFirstAnswer: number; afterQueries: number };
  naive?: NaiveComparison;
}

export interface SkippedSize {
  label: string;
  skipped: string;
}

const warmupQueries = 20;
const timedQueries = 240;
const suggestQueries = 240;
const coldStarts = 3;

export const databasePath = (dir: string, label: string) => join(dir, `${label}.db`);

/** Ingests the papers into a fresh database file and times it. */
function ingestInto(dbPath: string, file: string) {
  const app = openPaperboy(dbPath);
  try {
    const { ms, value: summary } = timed(() => app.ingest([file], { now: () => ingestTime }));
    if (summary.filesFailed > 0)
      throw new Error(`ingest of ${file} failed: ${summary.files[0]?.error}`);
    const records = summary.files.reduce((n, f) => n + f.papers, 0);
    return { ms, records, papers: summary.added, bytes: databaseBytes(app, dbPath) };
  } finally {
    app.close();
  }
}

function inProcessOpenToAnswer(dbPath: string, query: string): number {
  const start = performance.now();
  const app = openPaperboy(dbPath);
  app.search(query, { limit: 10 });
  const ms = performance.now() - start;
  app.close();
  return ms;
}

/**
 * `coldStarts` spawns, fastest to answer first: the median is reported, as one machine
 * hiccup (another process, a cold page) moves a single spawn by hundreds of ms. `full`
 * is the run that did the query set; the others stop after the first answer.
 */
async function coldStartRuns(work: ChildWork, dir: string, full: ColdStart): Promise<ColdStart[]> {
  const runs = [full];
  while (runs.length < coldStarts) runs.push(await runColdStart(work, dir));
  return runs.sort((a, b) => a.spawnToAnswerMs - b.spawnToAnswerMs);
}

export async function benchSize(
  plan: SizePlan,
  dir: string,
  log: (line: string) => void,
): Promise<SizeResult> {
  const papers = plan.papers();
  const dbPath = databasePath(dir, plan.label);
  let file = plan.file;
  if (!file) {
    file = join(dir, `${plan.label}.jsonl`);
    writeJsonl(papers, file);
  }
  log(`${plan.label}: ingesting ${papers.length} papers`);
  const ingest = ingestInto(dbPath, file);

  const queries = searchQueries(papers, 1 + warmupQueries + timedQueries, 1000 + papers.length);
  const [first, warmup, search] = [
    queries[0] as string,
    queries.slice(1, 1 + warmupQueries),
    queries.slice(1 + warmupQueries),
  ];
  const suggest = titlePrefixes(papers, suggestQueries, 2000 + papers.length);
  const inProcessOpenToAnswerMs = inProcessOpenToAnswer(dbPath, first);
  log(`${plan.label}: cold start and query set in a child process`);
  const full = await runColdStart({ dbPath, first, warmup, search, suggest }, dir);
  const { done } = full;
  const spawns = await coldStartRuns(
    { dbPath, first, warmup: [], search: [], suggest: [] },
    dir,
    full,
  );
  const child = spawns[Math.floor(spawns.length / 2)] as ColdStart;
  const { answer } = child;

  let naive: NaiveComparison | undefined;
  if (plan.naiveQueries) {
    log(`${plan.label}: naive fuse.js over ${plan.naiveQueries} queries`);
    naive = compareWithNaiveFuse(papers, search, done.searchMs, plan.naiveQueries);
  }
  return {
    label: plan.label,
    data: plan.data,
    records: ingest.records,
    papers: ingest.papers,
    ingestSeconds: ingest.ms / 1000,
    ingestPerSecond: ingest.records / (ingest.ms / 1000),
    databaseMb: megabytes(ingest.bytes),
    search: {
      queries: search.length,
      p50: percentile(done.searchMs, 50),
      p95: percentile(done.searchMs, 95),
    },
    suggest: {
      queries: suggest.length,
      p50: percentile(done.suggestMs, 50),
      p95: percentile(done.suggestMs, 95),
    },
    coldStart: {
      spawnToAnswerMs: child.spawnToAnswerMs,
      spawnToAnswerRunsMs: spawns.map((run) => run.spawnToAnswerMs),
      nodeTsxBootMs: answer.bootedMs,
      importMs: answer.importedMs - answer.bootedMs,
      openMs: answer.openedMs - answer.importedMs,
      firstSearchMs: answer.answeredMs - answer.openedMs,
    },
    inProcessOpenToAnswerMs,
    rssMb: {
      afterFirstAnswer: megabytes(answer.rssAfterAnswer),
      afterQueries: megabytes(done.rssAfterQueries),
    },
    ...(naive && { naive }),
  };
}
