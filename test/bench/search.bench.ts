/**
 * Paperboy's search benchmark: `npm run bench`. Ingest speed, database size,
 * search and autocomplete latency, cold start and memory at 1k, 10k, the real
 * 41k corpus and 100k generated papers; naive fuse.js for comparison; search
 * quality. Prints one table, the targets, and a JSON line with every figure.
 * Progress goes to stderr. Everything is seeded: data and queries repeat.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPaperboy } from "../../src/paperboy.ts";
import {
  type BenchPaper,
  corpusPath,
  generatePapers,
  ingestTime,
  readCorpus,
  readShippedArchive,
  shippedArchivePath,
} from "./data.ts";
import { type IngestFloor, measureIngestFloor } from "./ingest-floor.ts";
import { sample, seededRng } from "./prng.ts";
import { fixtureQuality, heldOutQuality } from "./quality.ts";
import { heldOutQueries } from "./queries.ts";
import {
  isSkipped,
  machine,
  percent,
  type SizeOutcome,
  type Target,
  table,
  target,
  targetsLine,
} from "./report.ts";
import { benchSize, databasePath, type SizePlan, type SizeResult } from "./sizes.ts";

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const heldOutCount = 200;

/** 1k and 10k from the real corpus when it is there, 41k only then, 100k always generated. */
function plans(
  corpus: BenchPaper[] | undefined,
  training: BenchPaper[],
  trainingName: string,
): (SizePlan | string)[] {
  const generated = (count: number) => () => generatePapers(training, count, count);
  const small = (label: string, count: number, naiveQueries: number): SizePlan =>
    corpus
      ? {
          label,
          data: "corpus sample",
          papers: () => sample(seededRng(count), corpus, count),
          naiveQueries,
        }
      : {
          label,
          data: `generated (${trainingName} words)`,
          papers: generated(count),
          naiveQueries,
        };
  return [
    small("1k", 1_000, 20),
    small("10k", 10_000, 10),
    corpus
      ? { label: "41k", data: "real corpus .jsonl.gz", papers: () => corpus, file: corpusPath }
      : "41k",
    { label: "100k", data: `generated (${trainingName} words)`, papers: generated(100_000) },
  ];
}

interface Quality {
  fixtureArchiveAlone: ReturnType<typeof fixtureQuality>;
  fixtureWithCorpus?: ReturnType<typeof fixtureQuality>;
  heldOut: ReturnType<typeof heldOutQuality> & { from: string };
}

/** The fixture queries on data/archive, then on data/archive + the 41k corpus; the held-out set. */
function measureQuality(corpus: BenchPaper[] | undefined, corpusDb: string | undefined): Quality {
  log("quality: data/archive alone");
  const alone = openPaperboy(":memory:");
  alone.ingest([shippedArchivePath], { now: () => ingestTime });
  const fixtureArchiveAlone = fixtureQuality(alone);
  if (!corpus || !corpusDb) {
    const heldOut = heldOutQuality(alone, heldOutQueries(readShippedArchive(), heldOutCount, 7));
    alone.close();
    return { fixtureArchiveAlone, heldOut: { ...heldOut, from: "data/archive (corpus absent)" } };
  }
  alone.close();
  log("quality: data/archive + 41k corpus");
  const both = openPaperboy(corpusDb);
  try {
    both.ingest([shippedArchivePath], { now: () => ingestTime });
    return {
      fixtureArchiveAlone,
      fixtureWithCorpus: fixtureQuality(both),
      heldOut: {
        ...heldOutQuality(both, heldOutQueries(corpus, heldOutCount, 7)),
        from: "41k corpus",
      },
    };
  } finally {
    both.close();
  }
}

function targets(sizes: SizeOutcome[], quality: Quality): Target[] {
  const size = (label: string) =>
    sizes.find((s): s is SizeResult => s.label === label && !isSkipped(s));
  const at41k = size("41k");
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return [
    target("search p95", at41k?.search.p95, "≤ 20 ms", (v) => v <= 20, ms),
    target("autocomplete p95", at41k?.suggest.p95, "≤ 10 ms", (v) => v <= 10, ms),
    target(
      "cold start",
      at41k?.coldStart.spawnToAnswerMs,
      "≤ 1 s",
      (v) => v <= 1000,
      (v) => `${Math.round(v)} ms`,
    ),
    target(
      "RSS",
      at41k?.rssMb.afterQueries,
      "≤ 250 MB",
      (v) => v <= 250,
      (v) => `${Math.round(v)} MB`,
    ),
    target(
      "vs fuse.js at 10k",
      size("10k")?.naive?.speedup,
      "≥ 300×",
      (v) => v >= 300,
      (v) => `${Math.round(v)}×`,
    ),
    target(
      "ingest",
      at41k?.ingestPerSecond,
      "≥ 20k/s",
      (v) => v >= 20_000,
      (v) => `${Math.round(v)}/s`,
    ),
    target("quality", quality.fixtureWithCorpus?.share, "≥ 90 %", (v) => v >= 0.9, percent),
  ];
}

type Machine = ReturnType<typeof machine> & { loadAverageAtEnd: number };

/** What the 41k row's ingest rate is held under, when the corpus is there. */
function ingestFloorLines(sizes: SizeOutcome[], floor: IngestFloor | undefined): string[] {
  const at41k = sizes.find((s): s is SizeResult => s.label === "41k" && !isSkipped(s));
  if (!at41k || !floor) return [];
  const atMost = (seconds: number) =>
    `${seconds.toFixed(2)} s, at most ${Math.round(floor.papers / seconds).toLocaleString("en-US")} papers/s`;
  return [
    `ingest at 41k: ${at41k.ingestSeconds.toFixed(2)} s (${Math.round(at41k.ingestPerSecond).toLocaleString("en-US")}/s). Timed on their own, its records`,
    `  parsed beforehand: storing them (papers table, search index, typo index, acronyms; merged, committed)`,
    `  ${atMost(floor.storeSeconds)}; of that, the search index's FTS5 writes alone take ${floor.ftsSeconds.toFixed(2)} s,`,
    `  or less the ${floor.textSeconds.toFixed(2)} s of preparing their text, ${atMost(floor.ftsSeconds - floor.textSeconds)}`,
  ];
}

function printReport(
  sizes: SizeOutcome[],
  quality: Quality,
  ingestFloor: IngestFloor | undefined,
  info: Machine,
): void {
  const shown = (s: { hits: number; total: number; share: number }) =>
    `${s.hits}/${s.total} = ${percent(s.share)}`;
  const measured = sizes.filter((s): s is SizeResult => !isSkipped(s));
  const results = targets(sizes, quality);
  const lines = [
    `Paperboy search bench — ${info.date}`,
    `${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB RAM, Node ${info.node}; ` +
      `1-min load average ${info.loadAverage} at start, ${info.loadAverageAtEnd} at end`,
    "",
    table(sizes),
    "",
    "search: p50/p95 of 240 mixed queries (title words, typos, acronyms, title starts, single words, abstract",
    "  topics) after 20 warm-up queries, limit 10; suggest: suggestTitles(…, 25) over 240 partial titles, a third misspelt.",
    "¹ spawn of `node --import tsx` to the first answer, as seen by the bench: includes Node + tsx start-up.",
    "² openPaperboy() + first search inside the already-running bench (modules loaded, file in the OS cache).",
    "³ RSS of a fresh child per size after opening the database and running the query set; nothing else in it.",
    "⁴ naive fuse.js over title + abstract of all papers (index build not timed), p50 over the first 20 (1k) /",
    "  10 (10k) timed queries — one query takes seconds at 10k; speed-up = fuse p50 / Paperboy p50 on those queries.",
    ...measured.map(
      (s) =>
        `cold start ${s.label}: Node + tsx boot ${Math.round(s.coldStart.nodeTsxBootMs)} ms, import ${Math.round(s.coldStart.importMs)} ms, ` +
        `open ${s.coldStart.openMs.toFixed(1)} ms, first search ${s.coldStart.firstSearchMs.toFixed(1)} ms; ` +
        `RSS after first answer ${Math.round(s.rssMb.afterFirstAnswer)} MB; ingest ${s.ingestSeconds.toFixed(1)} s`,
    ),
    "",
    `quality, first hit wanted, test/fixtures/search-queries.json (tuned on): data/archive alone ${shown(quality.fixtureArchiveAlone)}` +
      (quality.fixtureWithCorpus
        ? `; data/archive + 41k corpus ${shown(quality.fixtureWithCorpus)}`
        : "; data/archive + 41k corpus n/a (corpus absent)"),
    ...[quality.fixtureWithCorpus?.misses ?? quality.fixtureArchiveAlone.misses]
      .filter((misses) => misses.length > 0)
      .map((misses) => `  missed: ${misses.join(" | ")}`),
    `quality, held-out (${quality.heldOut.first.total} seeded papers of ${quality.heldOut.from}; 2–4 rare title words shuffled, one typo):` +
      ` first ${shown(quality.heldOut.first)}, top 5 ${shown(quality.heldOut.top5)}`,
    "",
    ...ingestFloorLines(sizes, ingestFloor),
    `targets (41k row): ${targetsLine(results)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  process.stdout.write(
    `${JSON.stringify({ machine: info, sizes, quality, ingestFloor, targets: results })}\n`,
  );
}

async function main(): Promise<void> {
  const info = machine();
  const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-"));
  try {
    log("reading the corpus");
    const corpus = readCorpus();
    const training = corpus ?? readShippedArchive();
    const trainingName = corpus ? "corpus" : "data/archive";
    const sizes: SizeOutcome[] = [];
    for (const plan of plans(corpus, training, trainingName)) {
      sizes.push(
        typeof plan === "string"
          ? { label: plan, skipped: `${corpusPath} not found` }
          : await benchSize(plan, dir, log),
      );
    }
    let ingestFloor: IngestFloor | undefined;
    if (corpus) {
      log("41k: the ingest's writes alone");
      ingestFloor = measureIngestFloor(corpusPath, databasePath(dir, "41k"), dir);
    }
    const quality = measureQuality(corpus, corpus && databasePath(dir, "41k"));
    printReport(sizes, quality, ingestFloor, { ...info, loadAverageAtEnd: machine().loadAverage });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
