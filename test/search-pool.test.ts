import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { commands } from "../commands/index.ts";
import { createBotContext } from "../src/bot/context.ts";
import { type BotRequest, createDispatcher } from "../src/bot/dispatcher.ts";
import { realClock } from "../src/bot/types.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { UserError } from "../src/errors.ts";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import { createSearchPool } from "../src/search/pool.ts";
import {
  abstractAbout,
  archiveDir,
  arxivSample,
  at,
  ingestTime,
  listingPage,
  runNode,
  tempDir,
} from "./helpers.ts";

const silent = pino({ level: "silent" });
/** Roundups go nowhere: these tests look at what the bot answers. */
const port = {
  serves: () => true,
  checkChannel: async () => ({ ok: true }) as const,
  send: async () => "1",
  tellStopped: async () => {},
};

/** Queries of every kind: plain words, typos, acronyms, compounds, stop words, long ones. */
const queries = [
  "graph neural networks",
  "diffusion",
  "packet sprayng",
  "gnn",
  "mixture of experts",
  "pre training",
  "the transformer",
  "zyxquark",
  "PFGM++",
  "large language models reasoning benchmark evaluation",
];
const partials = [
  "graph",
  "graph mamab",
  "scalable matmul-fr",
  "diffusion",
  "a",
  "zzzq",
  "svdquant",
];

/** An admin's command in guild 2: `/name subcommand` in `channelId`, with `options`. */
function adminCommand(
  name: string,
  subcommand: string,
  channelId: string,
  options: Record<string, string> = {},
): BotRequest {
  return {
    kind: "command",
    name,
    invocation: {
      user: { id: "1", name: "admin" },
      guildId: "2",
      channelId,
      canManageGuild: true,
      subcommand,
      options,
    },
  };
}

describe("search threads", () => {
  const dir = tempDir();
  let app: Paperboy;
  let pool: ReturnType<typeof createSearchPool>;
  beforeAll(async () => {
    app = openPaperboy(join(dir, "paperboy.db"));
    app.ingest([archiveDir], { now: at(ingestTime) });
    pool = createSearchPool({ dbPath: app.db.name, threads: 2, engine: app, log: silent });
    expect(await pool.ready()).toBe(true);
  });
  afterAll(async () => {
    await pool?.close();
    app?.close();
  });

  it("answer exactly what the engine answers on the calling thread", async () => {
    for (const query of queries) {
      expect(await pool.search(query), query).toEqual(app.search(query));
      for (const options of [{ limit: 25 }, { limit: 3, field: "title" as const }]) {
        expect(await pool.search(query, options), query).toEqual(app.search(query, options));
      }
      expect(await pool.search(query, { field: "abstract" }), query).toEqual(
        app.search(query, { field: "abstract" }),
      );
    }
    for (const partial of partials) {
      expect(await pool.suggestTitles(partial), partial).toEqual(app.suggestTitles(partial));
      expect(await pool.suggestTitles(partial, 3), partial).toEqual(app.suggestTitles(partial, 3));
      // As /paper asks: "svdquant" is in an abstract only (its title misspells it).
      const pickable = { orAbstracts: true };
      expect(await pool.suggestTitles(partial, 25, pickable), partial).toEqual(
        app.suggestTitles(partial, 25, pickable),
      );
    }
    expect(await pool.suggestTitles("svdquant", 25, { orAbstracts: true })).toHaveLength(1);
  });

  it("answer many requests at once, each its own", async () => {
    const answers = await Promise.all(queries.map((query) => pool.search(query, { limit: 5 })));
    expect(answers).toEqual(queries.map((query) => app.search(query, { limit: 5 })));
  });

  it("throw the engine's UserError as a UserError", async () => {
    const error = await pool.search("  ").catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      (() => {
        try {
          app.search("  ");
        } catch (thrown) {
          return (thrown as Error).message;
        }
      })(),
    );
  });

  it("see papers the main connection adds after they started", async () => {
    const topic = "quorbly flenation";
    expect((await pool.search(topic)).hits).toEqual([]);
    const file = join(dir, "new.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({
        id: "2601.00001",
        title: "Quorbly Flenation at Scale",
        abstract: abstractAbout(topic),
        authors: "A. Author",
        update_date: "2026-01-02",
      })}\n`,
    );
    app.ingest([file], { now: at(ingestTime) });
    const hits = (await pool.search(topic)).hits;
    expect(hits.map((hit) => hit.title)).toEqual(["Quorbly Flenation at Scale"]);
    expect(await pool.search(topic)).toEqual(app.search(topic));
    expect(await pool.suggestTitles("quorbly fle")).toEqual(app.suggestTitles("quorbly fle"));
  });

  it("give the bot's commands the answers they get in-process", async () => {
    const bot = (searchThreads: number) => {
      const context = createBotContext({ app, clock: realClock, log: silent, port, searchThreads });
      return { context, dispatch: createDispatcher(commands, context) };
    };
    const threaded = bot(1);
    const inProcess = bot(0);
    expect(await (threaded.context.search as typeof pool).ready()).toBe(true);
    const invocation = (options: Record<string, string | number>) => ({
      user: { id: "1", name: "someone" },
      guildId: "2",
      channelId: "3",
      canManageGuild: false,
      options,
    });
    const requests: BotRequest[] = [
      ...queries.map((query) => ({
        kind: "command" as const,
        name: "search",
        invocation: invocation({ query, limit: 25 }),
      })),
      ...partials.map((value) => ({
        kind: "autocomplete" as const,
        name: "paper",
        focused: { name: "paper", value },
        invocation: invocation({ paper: value }),
      })),
      { kind: "command", name: "paper", invocation: invocation({ paper: "graph mamab" }) },
      { kind: "command", name: "search", invocation: invocation({ query: "" }) },
    ];
    // Session ids are random: the same search has another in each.
    const sessionIds = (json: string) =>
      json.replaceAll(/search:(page|open):[\w-]+/g, "search:$1:S");
    for (const request of requests) {
      const [got, expected] = await Promise.all([
        threaded.dispatch(request),
        inProcess.dispatch(request),
      ]);
      expect(sessionIds(JSON.stringify(got)), JSON.stringify(request)).toBe(
        sessionIds(JSON.stringify(expected)),
      );
    }
    await threaded.context.search.close();
  });

  it("choose a roundup's papers as the engine does, and /roundup preview's there", async () => {
    const window = { start: "2026-11-19T00:00:00.000Z", end: "2026-11-21T00:00:00.000Z" };
    const topics = { topics: ["diffusion", "graph neural networks"], maxPapers: 5 };
    const posted = new Set([app.search("diffusion").hits[0]?.id ?? 0]);
    const expected = app.selectRoundupPapers(topics, window, posted);
    expect(expected.papers.length).toBeGreaterThan(0);
    expect(await pool.selectRoundupPapers(topics, window, posted)).toEqual(expected);

    // A first roundup's window: everything ingested in the day before the subscription.
    const clock = { ...realClock, now: () => Date.parse("2026-11-20T13:00:00Z") };
    const bot = (searchThreads: number) => {
      const context = createBotContext({ app, clock, log: silent, port, searchThreads });
      return { context, dispatch: createDispatcher(commands, context) };
    };
    const [threaded, inProcess] = [bot(1), bot(0)];
    expect(await (threaded.context.search as typeof pool).ready()).toBe(true);
    const subscribed = { ...topics, by: "1", now: new Date(clock.now()) };
    threaded.context.roundups.subscriptions.subscribe("2", "3", subscribed);
    const preview = adminCommand("roundup", "preview", "3");
    const onTheEventLoop = vi.spyOn(app, "selectRoundupPapers");
    try {
      const { response } = await threaded.dispatch(preview);
      expect(onTheEventLoop).not.toHaveBeenCalled();
      expect(JSON.stringify(response)).toContain(" in 1 message:");
      expect(response).toEqual((await inProcess.dispatch(preview)).response);
    } finally {
      onTheEventLoop.mockRestore();
      await threaded.context.search.close();
    }
  });

  it("read the topics /topics add is given as the engine does, there, not on the event loop", async () => {
    const topics = ["graph nueral networks", "zorblax", "diffusion"];
    expect(await pool.readTopics(topics)).toEqual(app.readTopics(topics));
    const context = createBotContext({
      app,
      clock: realClock,
      log: silent,
      port,
      searchThreads: 1,
    });
    expect(await (context.search as typeof pool).ready()).toBe(true);
    context.roundups.subscriptions.subscribe("2", "4", {
      topics: ["diffusion"],
      by: "1",
      now: new Date(),
    });
    const add = adminCommand("topics", "add", "4", {
      topic: "graph nueral networks, zorblax",
    });
    const onTheEventLoop = vi.spyOn(app, "readTopics");
    try {
      const { response } = await createDispatcher(commands, context)(add);
      expect(onTheEventLoop).not.toHaveBeenCalled();
      expect(JSON.stringify(response)).toContain("“nueral” as “neural”");
      expect(JSON.stringify(response)).toContain("No paper in the archive has “zorblax” yet");
    } finally {
      onTheEventLoop.mockRestore();
      await context.search.close();
    }
  });

  it("save topics whose reading failed and say they were added, without the notes, logging why", async () => {
    const logged: string[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => logged.push(line) });
    // An archive of its own: the tests after this one tick every subscription of theirs.
    const own = openPaperboy(":memory:");
    const context = createBotContext({ app: own, clock: realClock, log, port, searchThreads: 0 });
    vi.spyOn(context.search, "readTopics").mockRejectedValue(new Error("search thread gone"));
    context.roundups.subscriptions.subscribe("2", "6", {
      topics: ["diffusion"],
      by: "1",
      now: new Date(),
    });
    const { response, outcome } = await createDispatcher(
      commands,
      context,
    )(adminCommand("topics", "add", "6", { topic: "zorblax" }));
    expect(outcome).toBe("ok");
    expect(JSON.stringify(response)).toContain("Added “zorblax”.");
    expect(context.roundups.subscriptions.get("2", "6")?.topics).toContain("zorblax");
    expect(logged.join("")).toContain("search thread gone");
    own.close();
  });

  it("choose the papers of /roundup now and of a due tick's roundups there, not on the event loop", async () => {
    const setUp = new Date("2026-11-20T13:00:00Z");
    const clock = { ...realClock, now: () => setUp.getTime() };
    const context = createBotContext({ app, clock, log: silent, port, searchThreads: 1 });
    const dispatch = createDispatcher(commands, context);
    expect(await (context.search as typeof pool).ready()).toBe(true);
    const { subscriptions } = context.roundups;
    const subscribe = (channelId: string, topics: string[]) =>
      subscriptions.subscribe("5", channelId, {
        topics,
        maxPapers: 5,
        timeZone: "UTC",
        time: "14:00",
        by: "1",
        now: setUp,
      }).subscription;
    const posting = subscribe("6", ["diffusion", "graph neural networks"]);
    const due = subscribe("7", ["language models"]);
    // Their first windows: everything ingested in the day before they were set up.
    const start = new Date(setUp.getTime() - 24 * 3_600_000).toISOString();
    const tickAt = new Date("2026-11-20T14:00:00Z");
    const expected = (topics: string[], end: Date) =>
      app
        .selectRoundupPapers({ topics, maxPapers: 5 }, { start, end: end.toISOString() }, new Set())
        .papers.map((paper) => paper.paperId)
        .sort((a, b) => a - b);
    const [forNow, forTick] = [expected(posting.topics, setUp), expected(due.topics, tickAt)];
    expect(forNow.length * forTick.length).toBeGreaterThan(0);
    const postedTo = (channelId: string) =>
      app.db
        .prepare("SELECT paper_id FROM posted_papers WHERE channel_id = ? ORDER BY paper_id")
        .pluck()
        .all(channelId);

    const onTheEventLoop = vi.spyOn(app, "selectRoundupPapers");
    try {
      const { response } = await dispatch({
        kind: "command",
        name: "roundup",
        invocation: {
          user: { id: "1", name: "admin" },
          guildId: "5",
          channelId: "6",
          canManageGuild: true,
          subcommand: "now",
          options: {},
        },
      });
      expect(JSON.stringify(response)).toContain("Posted today's roundup");
      await context.roundups.runner.tick(tickAt);
      expect(onTheEventLoop).not.toHaveBeenCalled();
    } finally {
      onTheEventLoop.mockRestore();
      await context.search.close();
    }
    // The same papers as chosen on the event loop, inside the planning transaction.
    expect(postedTo("6")).toEqual(forNow);
    expect(postedTo("7")).toEqual(forTick);
  });

  it("answer what they were given when they are closed, then end; the rest is answered in-process", async () => {
    const closing = createSearchPool({ dbPath: app.db.name, threads: 1, engine: app, log: silent });
    expect(await closing.ready()).toBe(true);
    const inProcess = vi.spyOn(app, "search");
    try {
      const pending = queries.map((query) => closing.search(query));
      await closing.close();
      const answers = await Promise.all(pending);
      // The thread had two (the one it works on and the next): it answered them, not
      // terminated with them, which left them to be searched again here.
      expect(inProcess).toHaveBeenCalledTimes(queries.length - 2);
      // And after: on the calling thread.
      expect(await closing.search("diffusion")).toEqual(app.search("diffusion"));
      inProcess.mockRestore();
      expect(answers).toEqual(queries.map((query) => app.search(query)));
    } finally {
      inProcess.mockRestore();
    }
  });

  it("outlive a thread's uncaught error, and close after one while closing", async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", note);
    const posted = vi.spyOn(Worker.prototype, "postMessage");
    const crashing = createSearchPool({
      dbPath: app.db.name,
      threads: 1,
      engine: app,
      log: silent,
    });
    /** The thread given the last request. */
    const lastThread = () => posted.mock.contexts.at(-1) as Worker;
    // What Node emits for an uncaught exception on a thread (out of memory, say), before "exit".
    const crash = (thread: Worker) => thread.emit("error", new Error("Worker out of memory"));
    try {
      expect(await crashing.ready()).toBe(true);
      expect(await crashing.search("diffusion")).toEqual(app.search("diffusion"));
      const first = lastThread();
      crash(first);
      await first.terminate();
      // Replaced.
      expect(await crashing.ready()).toBe(true);
      expect(await crashing.search("gnn")).toEqual(app.search("gnn"));
      const second = lastThread();
      expect(second).not.toBe(first);
      const closed = crashing.close();
      crash(second);
      await expect(closed).resolves.toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      posted.mockRestore();
      process.off("unhandledRejection", note);
    }
  });
});

describe("without search threads", () => {
  it("searches in-process when no thread can open the database, and says so once", async () => {
    const app = openPaperboy(":memory:");
    try {
      app.ingest([arxivSample], { now: at(ingestTime) });
      const lines: string[] = [];
      const log = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
      const pool = createSearchPool({
        dbPath: join(tempDir(), "missing.db"),
        threads: 2,
        engine: app,
        log,
      });
      expect(await pool.search("diphoton")).toEqual(app.search("diphoton"));
      expect(await pool.ready()).toBe(false);
      expect(await pool.search("diphoton")).toEqual(app.search("diphoton"));
      expect(await pool.suggestTitles("prompt di")).toEqual(app.suggestTitles("prompt di"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("search threads unavailable");
      await pool.close();
    } finally {
      app.close();
    }
  });

  it("is what a bot context over an in-memory database uses", async () => {
    const app = openPaperboy(":memory:");
    try {
      app.ingest([arxivSample], { now: at(ingestTime) });
      const context = createBotContext({ app, clock: realClock, log: silent, port });
      expect(await context.search.search("diphoton")).toEqual(app.search("diphoton"));
      await context.search.close();
    } finally {
      app.close();
    }
  });
});

describe("search threads and the process", () => {
  const root = fileURLToPath(new URL("../", import.meta.url));

  it("never keep it alive once it has nothing else to do", async () => {
    const dir = tempDir();
    const script = [
      `import pino from "pino";`,
      `import { openPaperboy } from ${JSON.stringify(join(root, "src/paperboy.ts"))};`,
      `import { createSearchPool } from ${JSON.stringify(join(root, "src/search/pool.ts"))};`,
      `const app = openPaperboy(${JSON.stringify(join(dir, "p.db"))});`,
      `app.ingest([${JSON.stringify(arxivSample)}]);`,
      `const pool = createSearchPool({ dbPath: app.db.name, threads: 1, engine: app, log: pino() });`,
      `console.log((await pool.search("diphoton")).hits.length);`,
      `console.log(await pool.ready());`,
      `console.log((await pool.search("diphoton")).hits.length);`,
    ].join("\n");
    const result = await runNode(["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
    });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("1\ntrue\n1\n");
    expect(result.code).toBe(0); // null: killed after 20 s, the threads kept it alive
  });
});

describe("PAPERBOY_SEARCH_THREADS", () => {
  it("is a whole number from 0 to 16, or left to the default", () => {
    expect(loadConfig({}).searchThreads).toBeUndefined();
    expect(loadConfig({ PAPERBOY_SEARCH_THREADS: "0" }).searchThreads).toBe(0);
    expect(loadConfig({ PAPERBOY_SEARCH_THREADS: " 3 " }).searchThreads).toBe(3);
    expect(loadConfig({ PAPERBOY_SEARCH_THREADS: "16" }).searchThreads).toBe(16);
    for (const wrong of ["-1", "17", "two", "1.5"]) {
      expect(() => loadConfig({ PAPERBOY_SEARCH_THREADS: wrong }), wrong).toThrow(ConfigError);
      expect(() => loadConfig({ PAPERBOY_SEARCH_THREADS: wrong }), wrong).toThrow(
        /^PAPERBOY_SEARCH_THREADS: expected a whole number from 0/,
      );
    }
  });
});

describe("a search thread's roundup topic searches", () => {
  it("are kept across commits that change no paper, as a tick plans roundups, until papers change", async () => {
    const dir = tempDir();
    const app = openPaperboy(join(dir, "paperboy.db"));
    app.ingest([archiveDir], { now: at(ingestTime) });
    const pool = createSearchPool({ dbPath: app.db.name, threads: 1, engine: app, log: silent });
    try {
      expect(await pool.ready()).toBe(true);
      const window = { start: "2026-11-19T00:00:00.000Z", end: "2026-11-21T00:00:00.000Z" };
      const subscription = { topics: ["diffusion"], maxPapers: 3 };
      const titles = async () =>
        (await pool.selectRoundupPapers(subscription, window, new Set())).papers.map(
          (p) => p.title,
        );
      const before = await titles();
      expect(before.length).toBeGreaterThan(0);
      // Commits that change no paper through the store, as each roundup's planning is: the
      // thread answers from the searches it made (a title edited behind the store's back
      // shows it did not search again). Searching again for each of a tick's 1,000 roundups
      // made the topic searches they share cost a thousand times over.
      app.db.prepare("UPDATE papers SET title = 'Renamed' WHERE title = ?").run(before[0]);
      app.meta.set("unrelated", "1");
      expect(await titles()).toEqual(before);
      // An ingest that adds a paper: searched again.
      const page = join(dir, "more.txt");
      const entry = { title: "Diffusion for Quokka Burrows", abstract: abstractAbout("diffusion") };
      writeFileSync(page, listingPage([entry]));
      expect(app.ingest([page], { now: at(ingestTime) }).added).toBe(1);
      expect(await titles()).toContain(entry.title);
    } finally {
      await pool.close();
      app.close();
    }
  });
});
