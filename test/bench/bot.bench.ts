/**
 * The bot under load: `npm run bench:bot`. The real discord.js client of the bot
 * (startDiscordBot, as `npm start` runs it) over the 41k corpus in a database file,
 * against the local Discord fake; 500 interactions (searches, /paper autocomplete,
 * paging buttons) with 50 in flight at any time. Latency runs from the fake sending
 * INTERACTION_CREATE to the bot's interaction callback arriving at the fake: gateway,
 * parsing, dispatch, search, rendering and the REST call, all of it.
 *
 * This one file plays two parts. The main thread is the bot, alone on its event loop
 * as in production. A worker thread is "Discord": the fake, and the load generator that
 * injects interactions and times the callbacks. (With the fake on the bot's own loop, a
 * new HTTP connection from discord.js waited seconds to be accepted while the loop was
 * saturated: a property of the harness, not of the bot, which talks to a remote Discord.)
 *
 * Seeded: the same interactions every run. Progress goes to stderr.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import {
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type Client,
  Events,
} from "discord.js";
import pino from "pino";
import { commands } from "../../commands/index.ts";
import { createBotContext } from "../../src/bot/context.ts";
import { realClock } from "../../src/bot/types.ts";
import { loadConfig } from "../../src/config.ts";
import { startDiscordBot } from "../../src/discord/client.ts";
import { deferAfterMs } from "../../src/discord/interactions.ts";
import { createDiscordRoundupPort } from "../../src/discord/roundup-port.ts";
import { openPaperboy, type Paperboy } from "../../src/paperboy.ts";
import type { Searcher } from "../../src/search/pool.ts";
import { FakeDiscord, type FakeInteraction, type RecordedCallback } from "../discord-fake/index.ts";
import {
  type BenchPaper,
  corpusPath,
  generatePapers,
  ingestTime,
  readCorpus,
  readShippedArchive,
  shippedArchivePath,
  writeJsonl,
} from "./data.ts";
import { percentile } from "./measure.ts";
import { pick, seededRng, shuffled } from "./prng.ts";
import { searchQueries, titlePrefixes } from "./queries.ts";
import { machine, type Target, target, targetsLine } from "./report.ts";

const progress = (line: string) => process.stderr.write(`[bench:bot] ${line}\n`);

const token = "bench-bot-token";
const interactions = 500;
const concurrency = 50;
/** Interactions sent one at a time after the timed run: the time one takes with no queue. */
const referenceCount = 100;
const corpusSize = 41_000;
/** Searches whose page buttons the timed paging presses use; run one by one before timing. */
const pagingSearches = 25;
const callbackTimeoutMs = 10_000;
/**
 * The members the interactions come from, each in turn: 50 people at once, as the load is, not
 * one person running 500 interactions in a second or two (the bot keeps a member's 10 latest
 * searches' pages; see maxSessionsPerUser). Each presses the buttons of their own search.
 */
const readers = Array.from({ length: concurrency }, (_, i) => ({
  user: { id: String(800_000_000_000_000_000n + BigInt(i)), username: `reader-${i}` },
}));
const readerId = (i: number) => readers[i % readers.length]?.user.id as string;
/** The share of each kind in the timed mix. */
const mix = { search: 0.4, autocomplete: 0.4, page: 0.2 } as const;

type Kind = keyof typeof mix;

/** A time both threads agree on (performance.now() counts from each thread's own start). */
const absoluteNow = () => performance.timeOrigin + performance.now();

// ---- what the threads tell each other ---------------------------------------------------------

/** One interaction to send, as plain data. */
type Planned = { userId: string } & (
  | { kind: "search"; query: string }
  | { kind: "autocomplete"; typed: string }
  | { kind: "page"; customId: string; messageId: string }
);

/** A search message the tester may page, and its page buttons' custom ids. */
interface Pageable {
  /** Who searched: the one who may page. */
  userId: string;
  messageId: string;
  customIds: string[];
}

interface Outcome {
  kind: Kind;
  id: string;
  /** When the fake sent INTERACTION_CREATE (absoluteNow). */
  injectedAt: number;
  ms: number;
  deferred: boolean;
  failure?: string;
}

type ToWorker =
  | { type: "prepare"; queries: string[]; want: number }
  | { type: "run"; planned: Planned[]; concurrency: number }
  | { type: "close" };

type FromWorker =
  | { type: "ready"; apiBase: string }
  | { type: "prepared"; pageable: Pageable[] }
  | { type: "ran"; outcomes: Outcome[]; cpuMs?: number }
  | { type: "closed" };

// ---- where the CPU went ---------------------------------------------------------------------------

/**
 * CPU time (user + system) of the calling thread so far, in ms, from Linux's
 * /proc/thread-self; undefined elsewhere. Node 20 has no per-thread CPU clock of its own.
 */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // Fields after the parenthesised name: utime and stime are the 12th and 13th, in ticks
    // of 1/100 s (USER_HZ, 100 on every Linux Node supports).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function cpuSince(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

/** The whole process's CPU time so far, in ms: every thread. */
const processCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU used during the timed run, by whom: what shows the run is CPU-bound, and where. */
interface CpuUse {
  processMs: number;
  /** The bot's event loop (discord.js, dispatch, rendering); undefined off Linux. */
  botLoopMs?: number;
  /** The fake's thread: Discord's side and the load generator. */
  fakeMs?: number;
}

function cpuLine({ processMs, botLoopMs, fakeMs }: CpuUse, wallMs: number, cores: number): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const parts =
    botLoopMs === undefined || fakeMs === undefined
      ? []
      : [
          `the bot's event loop ${s(botLoopMs)}`,
          `search threads and V8's compiler and GC threads ${s(processMs - botLoopMs - fakeMs)}`,
          `the fake and the load ${s(fakeMs)}`,
        ];
  return (
    `CPU in the timed run: ${s(processMs)} of the ${s(cores * wallMs)} that ${cores} cores had` +
    (parts.length ? ` — ${parts.join(", ")}` : "")
  );
}

// ---- searches answered from memory ----------------------------------------------------------------

/**
 * The bot's searcher, remembering what each search and title suggestion answered: once
 * `fromMemory` is set, the same call is answered with it, at no search cost. Run again so,
 * the load shows what the rest of the bot and Discord's side cost: the part of the latency
 * that no search work is in.
 */
function rememberingSearches(searcher: Searcher) {
  const answers = new Map<string, Promise<unknown>>();
  const remembered =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const key = JSON.stringify([name, args]);
      const known = state.fromMemory ? (answers.get(key) as Promise<R> | undefined) : undefined;
      if (known) return known;
      const answer = call(...args);
      answers.set(key, answer);
      return answer;
    };
  const state = {
    fromMemory: false,
    searcher: {
      ...searcher,
      search: remembered("search", searcher.search.bind(searcher)),
      suggestTitles: remembered("suggestTitles", searcher.suggestTitles.bind(searcher)),
    } satisfies Searcher,
  };
  return state;
}

// ---- the worker: Discord and the load ----------------------------------------------------------

function isErrorReply(callback: RecordedCallback): boolean {
  const content = callback.data?.content;
  return typeof content === "string" && content.startsWith("Something went wrong");
}

/** Why a callback is not the answer expected, or undefined when it is. */
function problem(planned: Planned, callback: RecordedCallback): string | undefined {
  const what =
    planned.kind === "search"
      ? `search "${planned.query}"`
      : planned.kind === "autocomplete"
        ? `autocomplete "${planned.typed}"`
        : `page ${planned.customId}`;
  if (isErrorReply(callback)) return `${what}: ${String(callback.data?.content)}`;
  const expected = { search: 4, autocomplete: 8, page: 7 }[planned.kind];
  // A deferral (type 5/6) is an answer in time, just not a fast one: counted apart.
  if (callback.type === expected || callback.type === 5 || callback.type === 6) return undefined;
  return `${what}: callback type ${callback.type}, expected ${expected}`;
}

function build(fake: FakeDiscord, planned: Planned): FakeInteraction {
  const { userId } = planned;
  switch (planned.kind) {
    case "search":
      return fake.build.slashCommand({ userId, name: "search", options: { query: planned.query } });
    case "autocomplete":
      return fake.build.autocomplete({
        userId,
        name: "paper",
        options: { paper: planned.typed },
        focused: "paper",
      });
    case "page":
      return fake.build.button({ userId, customId: planned.customId, message: planned.messageId });
  }
}

async function runOne(fake: FakeDiscord, planned: Planned): Promise<Outcome> {
  const payload = build(fake, planned);
  const injectedAt = absoluteNow();
  const started = performance.now();
  fake.injectInteraction(payload);
  const base = { kind: planned.kind, id: payload.id, injectedAt };
  try {
    const callback = await fake.waitForCallback(payload.id, { timeoutMs: callbackTimeoutMs });
    const ms = performance.now() - started;
    const failure = problem(planned, callback);
    const deferred = callback.type === 5 || callback.type === 6;
    return { ...base, ms, deferred, ...(failure ? { failure } : {}) };
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    return {
      ...base,
      ms: performance.now() - started,
      deferred: false,
      failure: `no callback within ${callbackTimeoutMs} ms (${reason})`,
    };
  }
}

/** Runs everything in order, `concurrency` interactions in flight at any time. */
async function runAll(
  fake: FakeDiscord,
  planned: Planned[],
  concurrency: number,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(planned.length);
  let next = 0;
  const worker = async () => {
    while (next < planned.length) {
      const index = next++;
      outcomes[index] = await runOne(fake, planned[index] as Planned);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** Searches with a second page, one at a time: what the timed page presses use. */
async function prepare(fake: FakeDiscord, queries: string[], want: number): Promise<Pageable[]> {
  const pageable: Pageable[] = [];
  for (const query of queries) {
    if (pageable.length === want) break;
    const userId = readerId(pageable.length);
    const slash = fake.injectInteraction(
      fake.build.slashCommand({ userId, name: "search", options: { query, limit: 25 } }),
    );
    const callback = await fake.waitForCallback(slash.id, { timeoutMs: callbackTimeoutMs });
    const message = fake.interaction(slash.id)?.original;
    const rows = callback.data?.components as
      | { components: APIButtonComponentWithCustomId[] }[]
      | undefined;
    const next = rows?.[0]?.components[1];
    const footer = (callback.data?.embeds as APIEmbed[] | undefined)?.[0]?.footer?.text ?? "";
    const pages = Number(/^Page 1 of (\d+)/.exec(footer)?.[1] ?? 0);
    if (!message || !next || next.disabled || pages < 2) continue;
    const prefix = next.custom_id.replace(/:\d+$/, "");
    // Each press renders a page afresh from the session.
    const customIds = Array.from({ length: Math.min(pages, 3) }, (_, p) => `${prefix}:${p}`);
    pageable.push({ userId, messageId: message.id, customIds });
  }
  return pageable;
}

async function workerMain(port: NonNullable<typeof parentPort>): Promise<void> {
  const fake = await FakeDiscord.start({ token, guilds: [{ members: readers }] });
  const send = (message: FromWorker) => port.postMessage(message);
  port.on("message", (message: ToWorker) => {
    const handle = async () => {
      switch (message.type) {
        case "prepare":
          send({ type: "prepared", pageable: await prepare(fake, message.queries, message.want) });
          break;
        case "run": {
          const cpuBefore = threadCpuMs();
          const outcomes = await runAll(fake, message.planned, message.concurrency);
          const cpuMs = cpuSince(cpuBefore, threadCpuMs());
          send({ type: "ran", outcomes, ...(cpuMs === undefined ? {} : { cpuMs }) });
          break;
        }
        case "close":
          await fake.close();
          send({ type: "closed" });
          port.close();
          break;
      }
    };
    handle().catch((error: unknown) => {
      console.error("[bench:bot] the fake's worker failed:", error);
      process.exit(1);
    });
  });
  send({ type: "ready", apiBase: fake.apiBase });
}

// ---- the main thread: the bot ------------------------------------------------------------------

/** The 41k corpus (or, without it, as many generated papers) plus data/archive, in a database file. */
function loadArchive(dir: string): { app: Paperboy; papers: BenchPaper[]; data: string } {
  const corpus = readCorpus();
  const app = openPaperboy(join(dir, "bot.db"));
  const started = performance.now();
  let papers: BenchPaper[];
  let data: string;
  if (corpus) {
    progress(`ingesting ${corpusPath}`);
    app.ingest([corpusPath, shippedArchivePath], { now: () => ingestTime });
    papers = corpus;
    data = "real 41k corpus + data/archive";
  } else {
    progress(`${corpusPath} not found: generating ${corpusSize} papers from data/archive's words`);
    const archive = readShippedArchive();
    const generated = generatePapers(archive, corpusSize, corpusSize);
    const file = join(dir, "generated.jsonl");
    writeJsonl(generated, file);
    app.ingest([file, shippedArchivePath], { now: () => ingestTime });
    papers = [...generated, ...archive];
    data = `${corpusSize} generated papers + data/archive (corpus absent)`;
  }
  const count = app.db.prepare("SELECT count(*) FROM papers").pluck().get() as number;
  progress(`${count} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { app, papers, data: `${data}, ${count.toLocaleString("en-US")} papers` };
}

/** The timed mix, shuffled so that every kind runs alongside every other. */
function plan(papers: BenchPaper[], pageable: Pageable[]): Planned[] {
  const rng = seededRng(500);
  const searches = searchQueries(papers, interactions, 11);
  const prefixes = titlePrefixes(papers, interactions, 12);
  const kinds = Array.from({ length: interactions }, (_, i): Kind => {
    const share = (i + 0.5) / interactions;
    if (share < mix.search) return "search";
    return share < mix.search + mix.autocomplete ? "autocomplete" : "page";
  });
  return shuffled(rng, kinds).map((kind, i): Planned => {
    const userId = readerId(i);
    if (kind === "search") return { kind, userId, query: searches[i] as string };
    if (kind === "autocomplete") return { kind, userId, typed: prefixes[i] as string };
    const target = pick(rng, pageable);
    return {
      kind,
      userId: target.userId,
      customId: pick(rng, target.customIds),
      messageId: target.messageId,
    };
  });
}

/** The fake's worker, with a typed request/answer over its messages. */
async function startFakeWorker() {
  const script = new URL(import.meta.url).href;
  // Workers do not inherit tsx's loader: register it first, then load this same file.
  const bootstrap = [
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};`,
    "register();",
    `await import(${JSON.stringify(script)});`,
  ].join("\n");
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`));
  const nextMessage = () =>
    new Promise<FromWorker>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      worker.once("error", onError);
      worker.once("message", (message: FromWorker) => {
        worker.off("error", onError);
        resolve(message);
      });
    });
  const ready = await nextMessage();
  if (ready.type !== "ready") throw new Error(`the fake's worker said ${ready.type} first`);
  return {
    apiBase: ready.apiBase,
    async ask<T extends FromWorker["type"]>(
      message: ToWorker,
      answer: T,
    ): Promise<Extract<FromWorker, { type: T }>> {
      const reply = nextMessage();
      worker.postMessage(message);
      const got = await reply;
      if (got.type !== answer)
        throw new Error(`expected ${answer} from the worker, got ${got.type}`);
      return got as Extract<FromWorker, { type: T }>;
    },
    terminate: () => worker.terminate(),
  };
}

// ---- reporting -----------------------------------------------------------------------------------

interface Stats {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

function stats(values: number[]): Stats {
  const known = values.filter((v) => !Number.isNaN(v));
  return {
    count: known.length,
    p50: percentile(known, 50),
    p95: percentile(known, 95),
    max: known.length ? Math.max(...known) : Number.NaN,
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** The timed run: its outcomes, how long it took, error lines the bot logged, CPU used. */
interface TimedRun {
  outcomes: Outcome[];
  wallMs: number;
  logErrors: number;
  cpu: CpuUse;
}

function report(
  { outcomes, wallMs, logErrors, cpu }: TimedRun,
  reference: Outcome[],
  fromMemory: Outcome[],
  receivedAt: Map<string, number>,
  info: ReturnType<typeof machine>,
  data: string,
): void {
  const all = stats(outcomes.map((o) => o.ms));
  const toBot = outcomes.map((o) => (receivedAt.get(o.id) ?? Number.NaN) - o.injectedAt);
  const failures = outcomes.filter((o) => o.failure);
  const failureCount = failures.length + logErrors;
  const byKind = (Object.keys(mix) as Kind[]).map((kind) => {
    const of = outcomes.filter((o) => o.kind === kind);
    return { kind, ...stats(of.map((o) => o.ms)), failures: of.filter((o) => o.failure).length };
  });
  const targets: Target[] = [
    target("failures", failureCount, "0", (v) => v === 0, String),
    target("p95", all.p95, "≤ 100 ms", (v) => v <= 100, ms),
  ];
  const row = (label: string, s: Stats, extra = "") =>
    `  ${label.padEnd(16)} ${String(s.count).padStart(4)}  p50 ${ms(s.p50).padStart(9)}  ` +
    `p95 ${ms(s.p95).padStart(9)}  max ${ms(s.max).padStart(9)}${extra}`;
  const lines = [
    `Paperboy bot bench — ${info.date}`,
    `${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB RAM, Node ${info.node}; ` +
      `1-min load average ${info.loadAverage} at start`,
    `archive: ${data}`,
    `${outcomes.length} interactions (${Object.entries(mix)
      .map(([kind, share]) => `${share * 100} % ${kind}`)
      .join(", ")}), ${concurrency} in flight, in ${(wallMs / 1000).toFixed(2)} s ` +
      `(${Math.round(outcomes.length / (wallMs / 1000))}/s)`,
    "latency: INTERACTION_CREATE sent by the fake → the bot's callback received by the fake",
    row("all", all),
    row("  of it, to bot¹", stats(toBot)),
    ...byKind.map((k) => row(k.kind, k, k.failures ? `  failures ${k.failures}` : "")),
    row(
      "one at a time²",
      stats(reference.map((o) => o.ms)),
      reference.some((o) => o.failure) ? "  (with failures)" : "",
    ),
    row(
      "from memory³",
      stats(fromMemory.map((o) => o.ms)),
      fromMemory.some((o) => o.failure) ? "  (with failures)" : "",
    ),
    cpuLine(cpu, wallMs, info.cores),
    `deferred (still working after ${deferAfterMs} ms): ${outcomes.filter((o) => o.deferred).length}; ` +
      `failures: ${failures.length} interactions, ${logErrors} error lines in the bot's log`,
    ...failures.slice(0, 10).map((f) => `  failed: ${f.failure}`),
    "¹ until discord.js hands the interaction to the bot: gateway, parsing, and waiting for the event loop.",
    `² the first ${reference.length} again with nothing else in flight (not in the targets): the time one` +
      " interaction takes; at 50 in flight the rest is queueing behind the other searches (CPU-bound on 2 cores).",
    `³ the ${fromMemory.length} searches and autocompletes of the run again, ${concurrency} in flight, each answered with` +
      " what its search answered in the run (not in the targets): the gateway, discord.js, rendering, the REST",
    "  call and the fake without the search work; the rest of their p95 above is the search work and the wait for it.",
    `targets: ${targetsLine(targets)}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  process.stdout.write(
    `${JSON.stringify({ machine: info, data, concurrency, wallMs, cpu, all, toBot: stats(toBot), byKind, oneAtATime: stats(reference.map((o) => o.ms)), fromMemory: stats(fromMemory.map((o) => o.ms)), failures: failureCount, targets })}\n`,
  );
}

async function main(): Promise<void> {
  const info = machine();
  const dir = mkdtempSync(join(tmpdir(), "paperboy-bench-bot-"));
  let app: Paperboy | undefined;
  let fake: Awaited<ReturnType<typeof startFakeWorker>> | undefined;
  let client: Client<true> | undefined;
  try {
    const archive = loadArchive(dir);
    app = archive.app;
    fake = await startFakeWorker();
    // The bot logs as in production (a JSON line per interaction), into a counter of errors.
    let logErrors = 0;
    const sink = {
      write(line: string) {
        if (!/"level":(50|60)\b/.test(line)) return;
        logErrors += 1;
        if (logErrors <= 5) progress(`bot logged: ${line.trim().slice(0, 300)}`);
      },
    };
    const log = pino({ level: "info" }, sink);
    const botApp = app;
    let searches: ReturnType<typeof rememberingSearches> | undefined;
    client = await startDiscordBot({
      config: loadConfig({ DISCORD_TOKEN: token, DISCORD_API_URL: fake.apiBase }),
      commands,
      context: (ready) => {
        const context = createBotContext({
          app: botApp,
          clock: realClock,
          log,
          port: createDiscordRoundupPort(ready),
        });
        searches = rememberingSearches(context.search);
        return { ...context, search: searches.searcher };
      },
      meta: app.meta,
      clock: realClock,
      log,
    });
    // Before the bot's own handler, which searches synchronously.
    const receivedAt = new Map<string, number>();
    client.prependListener(Events.InteractionCreate, (interaction) => {
      receivedAt.set(interaction.id, absoluteNow());
    });

    progress("bot ready; running searches to page through (untimed)");
    const queries = searchQueries(archive.papers, pagingSearches * 4, 99);
    const { pageable } = await fake.ask(
      { type: "prepare", queries, want: pagingSearches },
      "prepared",
    );
    if (pageable.length === 0) throw new Error("no search had a second page to turn to");
    const planned = plan(archive.papers, pageable);
    logErrors = 0;
    progress(`firing ${planned.length} interactions, ${concurrency} at a time`);
    const started = performance.now();
    const cpuBefore = { processMs: processCpuMs(), botLoopMs: threadCpuMs() };
    const ran = await fake.ask({ type: "run", planned, concurrency }, "ran");
    const botLoopMs = cpuSince(cpuBefore.botLoopMs, threadCpuMs());
    const timed: TimedRun = {
      outcomes: ran.outcomes,
      wallMs: performance.now() - started,
      logErrors,
      cpu: {
        processMs: processCpuMs() - cpuBefore.processMs,
        ...(botLoopMs === undefined ? {} : { botLoopMs }),
        ...(ran.cpuMs === undefined ? {} : { fakeMs: ran.cpuMs }),
      },
    };
    progress(`for reference: ${referenceCount} of them again, one at a time`);
    const reference = await fake.ask(
      { type: "run", planned: planned.slice(0, referenceCount), concurrency: 1 },
      "ran",
    );
    if (!searches) throw new Error("the bot made no context");
    searches.fromMemory = true;
    const searching = planned.filter((p) => p.kind !== "page");
    progress(
      `for reference: the ${searching.length} searches and autocompletes again, answered from memory`,
    );
    const fromMemory = await fake.ask({ type: "run", planned: searching, concurrency }, "ran");
    report(timed, reference.outcomes, fromMemory.outcomes, receivedAt, info, archive.data);
  } finally {
    await client?.destroy();
    if (fake) {
      await fake.ask({ type: "close" }, "closed").catch(() => undefined);
      await fake.terminate();
    }
    app?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) await main();
else if (parentPort) await workerMain(parentPort);
