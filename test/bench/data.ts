import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { openPaperboy } from "../../src/paperboy.ts";
import { intBetween, pick, type Rng, seededRng } from "./prng.ts";

/** One paper as a line of arXiv-snapshot JSONL, the format the bench ingests. */
export interface BenchPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string;
  update_date: string;
  upvotes?: number;
}

/**
 * The real corpus, beside the repository: optional, the 41k row is skipped without it.
 * PAPERBOY_BENCH_CORPUS points elsewhere (a missing path tries the fallback).
 */
export const corpusPath =
  process.env.PAPERBOY_BENCH_CORPUS ??
  fileURLToPath(new URL("../../../shared/corpus/papers-41k.jsonl.gz", import.meta.url));
export const shippedArchivePath = fileURLToPath(new URL("../../data/archive/", import.meta.url));
/** A fixed ingest time, so year-less page dates resolve the same on every run. */
export const ingestTime = new Date("2026-11-20T12:00:00Z");

export function readCorpus(): BenchPaper[] | undefined {
  if (!existsSync(corpusPath)) return undefined;
  return gunzipSync(readFileSync(corpusPath))
    .toString("utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as BenchPaper);
}

/** The papers of the shipped archive (listing pages and daily-papers JSON), as JSONL records. */
export function readShippedArchive(): BenchPaper[] {
  const app = openPaperboy(":memory:");
  try {
    app.ingest([shippedArchivePath], { now: () => ingestTime });
    const rows = app.db
      .prepare("SELECT id, title, abstract, authors, published FROM papers ORDER BY id")
      .all() as {
      id: number;
      title: string;
      abstract: string;
      authors: string | null;
      published: string | null;
    }[];
    return rows.map((row) => ({
      id: `archive-${row.id}`,
      title: row.title,
      abstract: row.abstract,
      authors: row.authors ?? "",
      update_date: row.published ?? "2025-01-01",
    }));
  } finally {
    app.close();
  }
}

export function writeJsonl(papers: readonly BenchPaper[], path: string): void {
  writeFileSync(path, `${papers.map((paper) => JSON.stringify(paper)).join("\n")}\n`);
}

/** Word-to-next-word transitions of real text (repeats kept, so common pairs stay common). */
interface Chain {
  starts: string[];
  next: Map<string, string[]>;
  /** Word counts of the real texts, to draw lengths from. */
  lengths: number[];
}

function buildChain(texts: readonly string[]): Chain {
  const chain: Chain = { starts: [], next: new Map(), lengths: [] };
  for (const text of texts) {
    const words = text.split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    chain.starts.push(words[0] as string);
    chain.lengths.push(words.length);
    for (let i = 0; i + 1 < words.length; i++) {
      const word = words[i] as string;
      const followers = chain.next.get(word);
      if (followers) followers.push(words[i + 1] as string);
      else chain.next.set(word, [words[i + 1] as string]);
    }
  }
  return chain;
}

/** A random walk of about a real text's length; abstracts run on to the end of a sentence. */
function walk(chain: Chain, rng: Rng, endAtSentence: boolean): string {
  const length = pick(rng, chain.lengths);
  const words: string[] = [];
  let word = pick(rng, chain.starts);
  for (;;) {
    words.push(word);
    const sentenceDone = !endAtSentence || /[.!?]$/.test(word);
    if ((words.length >= length && sentenceDone) || words.length >= length + 40) break;
    const followers = chain.next.get(word);
    word = followers ? pick(rng, followers) : pick(rng, chain.starts);
  }
  return words.join(" ");
}

/** A valid, unique new-style arXiv id for the i-th generated paper. */
function generatedId(i: number): string {
  return `${1001 + Math.floor(i / 90_000)}.${String(10_000 + (i % 90_000))}`;
}

/**
 * `count` papers whose titles and abstracts are word-level Markov walks over
 * real papers: the archive's own vocabulary and word frequencies, nonsense
 * meaning. Authors and dates are drawn from the real papers. Deterministic.
 */
export function generatePapers(
  training: readonly BenchPaper[],
  count: number,
  seed: number,
): BenchPaper[] {
  const rng = seededRng(seed);
  const titles = buildChain(training.map((p) => p.title));
  const abstracts = buildChain(training.map((p) => p.abstract));
  return Array.from({ length: count }, (_, i) => {
    const model = pick(rng, training);
    const paper: BenchPaper = {
      id: generatedId(i),
      title: walk(titles, rng, false),
      abstract: walk(abstracts, rng, true),
      authors: model.authors,
      update_date: model.update_date,
    };
    if (rng() < 0.3) paper.upvotes = intBetween(rng, 0, 200);
    return paper;
  });
}
