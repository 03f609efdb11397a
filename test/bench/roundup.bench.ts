/**
 * Roundup selection benchmark (run by `npm run bench` after the search bench, or alone:
 * `npx tsx test/bench/roundup.bench.ts`). 1,000 subscriptions × 5 topics over the 41k
 * corpus (generated papers when it is absent), in a temporary database file:
 *  (a) a normal day — the archive already there, a held-out ~1,000 papers first seen in
 *      the last 24 h, every subscription due;
 *  (b) a first roundup over everything — all papers in the window.
 * Topics come from a pool of plausible research phrases: the corpus's frequent title
 * words, bigrams and trigrams, popular ones followed more, some typed with a typo.
 * Prints one table, the target, and a JSON line with every figure. Everything is seeded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPaperboy, type Paperboy } from "../../src/paperboy.ts";
import { minTitleShare, type SelectedPaper } from "../../src/roundup/select.ts";
import { stopwords } from "../../src/text/stopwords.ts";
import { words } from "../../src/text/tokens.ts";
import {
  type BenchPaper,
  generatePapers,
  readCorpus,
  readShippedArchive,
  writeJsonl,
} from "./data.ts";
import { timed } from "./measure.ts";
import { seededRng, shuffled } from "./prng.ts";
import { mistypeOne } from "./queries.ts";
import { machine } from "./report.ts";

const log = (line: string) => process.stderr.write(`[roundup bench] ${line}\n`);

const subscriptionCount = 1_000;
const topicsPerSubscription = 5;
const newPapersPerDay = 1_000;
const generatedCount = 41_000;
const targetSeconds = 2;
/** Timed runs per scenario, each on a freshly opened Paperboy; the median is reported. */
const runs = 3;

/** The archive was ingested the day before; the day's papers this morning; roundups at 09:00. */
const archiveIngested = new Date("2026-11-19T06:00:00.000Z");
const newPapersIngested = new Date("2026-11-20T06:00:00.000Z");
const roundupTime = "2026-11-20T09:00:00.000Z";
const scenarios = [
  {
    name: "(a) normal day",
    window: { start: "2026-11-19T09:00:00.000Z", end: roundupTime },
  },
  {
    name: "(b) first roundup, everything",
    window: { start: "1970-01-01T00:00:00.000Z", end: roundupTime },
  },
] as const;

/** A topic pool: phrases of one, two and three words, commonest first. */
type TopicPool = [string[], string[], string[]];

/** Title words too generic to follow alone, however common ("self" of self-supervised). */
const genericWords = new Set(
  `algorithm algorithms analysis approach aware based beyond context data dataset dynamic
  efficient evaluating evaluation fast feature framework free generation guided high human
  improving information learning level long machine method methods model modeling models
  multi network networks non open optimal prediction process processes real robust scale
  self structured systems task through towards training understanding unified using world`.split(
    /\s+/,
  ),
);

/**
 * Research phrases people subscribe to, from the archive itself: frequent title n-grams
 * that neither start nor end with a stop word, nor are mostly part of one longer phrase
 * ("large language" of "large language models", "reinforcement" of "reinforcement
 * learning"): 300 bigrams and 150 trigrams. Single words: the 60 commonest title words of
 * six letters or more after the 30 commonest, not generic ones, and the 40 acronyms the
 * archive defines most (as people type them: "LLM", "RAG", "GNN").
 */
function topicPool(papers: readonly BenchPaper[], acronyms: readonly string[]): TopicPool {
  const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  for (const paper of papers) {
    const titleWords = words(paper.title);
    const seen = new Set<string>();
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= titleWords.length; i++) {
        const gram = titleWords.slice(i, i + n);
        const [first, last] = [gram[0] as string, gram[n - 1] as string];
        if (stopwords.has(first) || stopwords.has(last) || gram.some((w) => /^\d+$/.test(w)))
          continue;
        const phrase = gram.join(" ");
        if (seen.has(phrase)) continue;
        seen.add(phrase);
        const map = counts[n - 1] as Map<string, number>;
        map.set(phrase, (map.get(phrase) ?? 0) + 1);
      }
    }
  }
  /** The most papers a longer phrase starting or ending with `phrase` has. */
  const longest = new Map<string, number>();
  for (const map of counts.slice(1)) {
    for (const [phrase, count] of map) {
      const parts = phrase.split(" ");
      for (const part of [parts.slice(1).join(" "), parts.slice(0, -1).join(" ")])
        longest.set(part, Math.max(longest.get(part) ?? 0, count));
    }
  }
  const top = (map: Map<string, number>, skip: number, take: number) =>
    [...map.entries()]
      .filter(([phrase, count]) => phrase.length >= 3 && (longest.get(phrase) ?? 0) <= 0.6 * count)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(skip, skip + take)
      .map(([phrase]) => phrase);
  const [unigrams, bigrams, trigrams] = counts as [
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
  ];
  const single = top(unigrams, 30, 2000)
    .filter((word) => word.length >= 6 && !genericWords.has(word))
    .slice(0, 60);
  const upper = acronyms
    .filter((a) => a.length >= 2 && !stopwords.has(a))
    .slice(0, 40)
    .map((a) => a.toUpperCase());
  return [[...single, ...upper], top(bigrams, 0, 300), top(trigrams, 0, 150)];
}

interface BenchSubscription {
  topics: string[];
  maxPapers: number;
}

/**
 * 1,000 subscriptions of 5 distinct topics each. A topic is one word one time in five, two
 * words half the time, three otherwise; within each, a phrase's popularity falls with its
 * rank (Zipf-like, 1 / (rank + 5)): common subjects are followed by many servers, the long
 * tail by a few. One topic in 20 is typed with a typo; one in 10 capitalised. Most keep the
 * default 10 papers; some ask for 5 or 25.
 */
function subscriptions(pool: TopicPool, seed: number): BenchSubscription[] {
  const rng = seededRng(seed);
  const draws = pool.map((phrases) => {
    const weights = phrases.map((_, rank) => 1 / (rank + 5));
    const total = weights.reduce((sum, w) => sum + w, 0);
    return () => {
      let r = rng() * total;
      for (let i = 0; i < phrases.length; i++) {
        r -= weights[i] as number;
        if (r <= 0) return phrases[i] as string;
      }
      return phrases[phrases.length - 1] as string;
    };
  });
  const draw = () => {
    const size = rng();
    return (draws[size < 0.2 ? 0 : size < 0.7 ? 1 : 2] as () => string)();
  };
  return Array.from({ length: subscriptionCount }, () => {
    const topics = new Set<string>();
    while (topics.size < topicsPerSubscription) {
      let topic = draw();
      if (rng() < 0.05) topic = (mistypeOne(topic.split(" "), rng) ?? [topic]).join(" ");
      if (rng() < 0.1) topic = topic.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
      topics.add(topic);
    }
    const size = rng();
    return { topics: [...topics], maxPapers: size < 0.15 ? 5 : size < 0.85 ? 10 : 25 };
  });
}

interface ScenarioResult {
  name: string;
  windowPapers: number;
  subscriptions: number;
  distinctTopics: number;
  /** Topics with at least one relevant paper in the window. */
  topicsWithPapers: number;
  selected: number;
  distinctSelected: number;
  emptyRoundups: number;
  /**
   * Median of `runs` runs the scheduler's way (selectRoundupPapers once per subscription,
   * searches shared within the tick), each on a freshly opened Paperboy.
   */
  seconds: number;
  runsSeconds: number[];
  perSubscriptionMs: number;
  met: boolean;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function runScenario(
  dbPath: string,
  scenario: (typeof scenarios)[number],
  subs: BenchSubscription[],
  distinctTopics: number,
): { result: ScenarioResult; sample: { topics: string[]; papers: SelectedPaper[] }[] } {
  const runsSeconds: number[] = [];
  let selection: SelectedPaper[][] = [];
  for (let run = 0; run < runs; run++) {
    const fresh = openPaperboy(dbPath);
    const { ms, value } = timed(() =>
      subs.map((s) => fresh.selectRoundupPapers(s, scenario.window, new Set()).papers),
    );
    runsSeconds.push(ms / 1000);
    selection = value;
    fresh.close();
  }
  const app: Paperboy = openPaperboy(dbPath);
  const windowPapers = app.db
    .prepare("SELECT count(*) FROM papers WHERE first_seen > ? AND first_seen <= ?")
    .pluck()
    .get(scenario.window.start, scenario.window.end) as number;
  const allTopics = [...new Set(subs.flatMap((s) => s.topics))];
  const matches = app.matchTopics(allTopics, {
    firstSeenAfter: scenario.window.start,
    firstSeenUntil: scenario.window.end,
    minTitleShare,
    limit: 1,
  });
  const topicsWithPapers = new Set(
    [...matches.entries()].filter(([, m]) => m.hits.length > 0).map(([t]) => words(t).join(" ")),
  ).size;
  app.close();
  const seconds = median(runsSeconds);
  const selected = selection.reduce((n, papers) => n + papers.length, 0);
  return {
    result: {
      name: scenario.name,
      windowPapers,
      subscriptions: subs.length,
      distinctTopics,
      topicsWithPapers,
      selected,
      distinctSelected: new Set(selection.flat().map((p) => p.paperId)).size,
      emptyRoundups: selection.filter((papers) => papers.length === 0).length,
      seconds,
      runsSeconds,
      perSubscriptionMs: (seconds * 1000) / subs.length,
      met: seconds <= targetSeconds,
    },
    sample: subs.slice(0, 3).map((s, i) => ({ topics: s.topics, papers: selection[i] ?? [] })),
  };
}

function table(results: ScenarioResult[]): string {
  const header = [
    "scenario",
    "window papers",
    "subs",
    "distinct topics",
    "topics w/ relevant papers",
    "selected (distinct)",
    "empty",
    "s (median)",
    "first run s",
    "per sub ms",
    `≤ ${targetSeconds} s`,
  ];
  const rows = results.map((r) => [
    r.name,
    r.windowPapers.toLocaleString("en-US"),
    r.subscriptions.toLocaleString("en-US"),
    String(r.distinctTopics),
    String(r.topicsWithPapers),
    `${r.selected.toLocaleString("en-US")} (${r.distinctSelected.toLocaleString("en-US")})`,
    String(r.emptyRoundups),
    r.seconds.toFixed(2),
    (r.runsSeconds[0] ?? Number.NaN).toFixed(2),
    r.perSubscriptionMs.toFixed(2),
    r.met ? "met" : "MISSED",
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (row[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join("  ");
  const head = line(header);
  return [head, "-".repeat(head.length), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const info = machine();
  const dir = mkdtempSync(join(tmpdir(), "paperboy-roundup-bench-"));
  try {
    log("reading the corpus");
    const corpus = readCorpus();
    const papers = corpus ?? generatePapers(readShippedArchive(), generatedCount, generatedCount);
    const data = corpus ? "41k corpus" : `${generatedCount} generated papers (corpus absent)`;
    const mixed = shuffled(seededRng(7), papers);
    const [today, archive] = [mixed.slice(0, newPapersPerDay), mixed.slice(newPapersPerDay)];
    const archiveFile = join(dir, "archive.jsonl");
    const todayFile = join(dir, "today.jsonl");
    writeJsonl(archive, archiveFile);
    writeJsonl(today, todayFile);
    const dbPath = join(dir, "roundup.db");
    log(`ingesting ${archive.length} papers, then ${today.length} a day later`);
    const app = openPaperboy(dbPath);
    app.ingest([archiveFile], { now: () => archiveIngested });
    app.ingest([todayFile], { now: () => newPapersIngested });
    app.db.pragma("wal_checkpoint(TRUNCATE)");

    const acronyms = app.db
      .prepare("SELECT acronym FROM acronyms GROUP BY acronym ORDER BY sum(count) DESC LIMIT 100")
      .pluck()
      .all() as string[];
    app.close();
    const pool = topicPool(papers, acronyms);
    const subs = subscriptions(pool, 11);
    const distinctTopics = new Set(subs.flatMap((s) => s.topics.map((t) => words(t).join(" "))))
      .size;
    const phrases = new Set(pool.flat().map((t) => t.toLowerCase()));
    const typos = subs.flatMap((s) => s.topics).filter((t) => !phrases.has(t.toLowerCase())).length;
    const results: ScenarioResult[] = [];
    const samples: Record<string, { topics: string[]; papers: SelectedPaper[] }[]> = {};
    for (const scenario of scenarios) {
      log(`${scenario.name}: ${runs} runs`);
      const { result, sample } = runScenario(dbPath, scenario, subs, distinctTopics);
      results.push(result);
      samples[scenario.name] = sample;
    }
    const info2 = { ...info, loadAverageAtEnd: machine().loadAverage };
    const lines = [
      `Paperboy roundup selection bench — ${info.date}`,
      `${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB RAM, Node ${info.node}; ` +
        `1-min load average ${info.loadAverage} at start, ${info2.loadAverageAtEnd} at end`,
      `data: ${data}; ${subscriptionCount.toLocaleString("en-US")} subscriptions × ${topicsPerSubscription} topics ` +
        `from a pool of ${phrases.size} title phrases (${typos} of ${subscriptionCount * topicsPerSubscription} topic entries with a typo); ` +
        `${distinctTopics} distinct topics`,
      "",
      table(results),
      "",
      `s: median of ${runs} runs of selectRoundupPapers for every subscription, as the scheduler calls it (topic`,
      "  searches shared within the tick), each on a freshly opened Paperboy (its caches empty; the database file in",
      "  the OS cache); first run s: the first of them, with the code not yet optimised by V8.",
      "",
      ...Object.entries(samples).flatMap(([name, subsShown]) => [
        `sample, ${name}:`,
        ...subsShown.flatMap(({ topics, papers: picked }) => [
          `  topics: ${topics.join(" · ")}`,
          ...picked
            .slice(0, 4)
            .map(
              (p) =>
                `    ${p.score.toFixed(3)}  ${p.title.slice(0, 80)} — ${p.reasons.map((r) => `${r.topic} (${r.words.join(", ")})`).join("; ")}`,
            ),
          ...(picked.length > 4 ? [`    … ${picked.length - 4} more`] : []),
        ]),
      ]),
      "",
      `target: roundup selection for ${subscriptionCount.toLocaleString("en-US")} subscriptions × ${topicsPerSubscription} topics ≤ ${targetSeconds} s — ` +
        results
          .map((r) => `${r.name}: ${r.seconds.toFixed(2)} s ${r.met ? "✓ met" : "✗ missed"}`)
          .join("; "),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    process.stdout.write(
      `${JSON.stringify({ machine: info2, data, pool: phrases.size, distinctTopics, results })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
