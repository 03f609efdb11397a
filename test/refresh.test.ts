import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../src/bot/types.ts";
import { loadConfig } from "../src/config.ts";
import { createInFlight } from "../src/in-flight.ts";
import type { Paperboy } from "../src/paperboy.ts";
import { type ArchiveIngest, createArchiveRefresher } from "../src/refresh.ts";
import { startScheduler } from "../src/scheduler.ts";
import { ingestOnThread } from "../src/threads/ingest.ts";
import { createWritable } from "../src/writable.ts";
import {
  kilobyteRecord,
  listingPage,
  lockedElsewhere,
  openApp,
  paperCount,
  settledNow,
  tempDir,
  writeLargeDump,
} from "./helpers.ts";

/** A Hugging Face daily papers answer, in the API's shape (nested paper, authors as objects, wrapped title). */
const recorded = readFileSync(
  new URL("./fixtures/hf/daily_papers-2026-11-20.json", import.meta.url),
  "utf8",
);

/** A local stand-in for huggingface.co: serves the recorded list, or fails when told to. */
let server: Server;
let baseUrl: string;
const requests: string[] = [];
let failWith: number | undefined;
/** The date whose list fails (503), when set. */
let failOn: string | undefined;
/** The Retry-After header of a failed answer, when set. */
let retryAfter: string | undefined;
/** Set: the server takes the request and never answers it (told so when it comes). */
let hold: (() => void) | undefined;
/** What the list of a date answers instead of the recorded one, when set. */
let answer: ((date: string) => string) | undefined;
beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    if (hold) {
      hold();
      return;
    }
    if (failWith || (failOn && request.url?.endsWith(failOn))) {
      response
        .writeHead(failWith ?? 503, retryAfter ? { "retry-after": retryAfter } : {})
        .end("{}");
      return;
    }
    const ok = request.url?.startsWith("/api/daily_papers?date=");
    response
      .writeHead(ok ? 200 : 404, { "content-type": "application/json" })
      .end(ok ? (answer?.(request.url?.slice(-10) ?? "") ?? recorded) : "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections(); // those held
      server.close(() => resolve());
    }),
);

function setup(
  hfDaily: "on" | "off",
  level: pino.Level = "warn",
  ingestOf?: (app: Paperboy) => ArchiveIngest,
  writable?: () => Promise<void>,
  stopping?: AbortSignal,
  clock?: Clock,
) {
  requests.length = 0;
  failWith = undefined;
  failOn = undefined;
  retryAfter = undefined;
  hold = undefined;
  answer = undefined;
  const archive = tempDir();
  writeFileSync(
    join(archive, "page.txt"),
    listingPage([
      { title: "Packet Spraying at Scale", abstract: "We spray packets across paths." },
    ]),
  );
  const config = loadConfig({
    PAPERBOY_ARCHIVE: archive,
    PAPERBOY_HF_DAILY: hfDaily,
    PAPERBOY_HF_API_URL: baseUrl,
  });
  const app = openApp();
  const logged: Record<string, unknown>[] = [];
  const log = pino({ level }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const refresher = createArchiveRefresher(
    app,
    config,
    log,
    ingestOf?.(app),
    writable,
    stopping,
    clock,
  );
  return { app, archive, refresher, logged };
}

const day = new Date("2026-11-20T08:00:00Z");
const minutes = (n: number) => new Date(day.getTime() + n * 60_000);

describe("archive refresh", () => {
  it("ingests new files in the archive folder, and skips unchanged ones", async () => {
    const { app, archive, refresher } = setup("off");
    expect((await refresher.refresh(() => day)).added).toBe(1);
    expect((await refresher.refresh(() => minutes(10))).added).toBe(0);
    writeFileSync(
      join(archive, "later.txt"),
      listingPage([
        { title: "Rectified Flow Editing", abstract: "We edit images with rectified flow." },
      ]),
    );
    const summary = await refresher.refresh(() => minutes(20));
    expect(summary).toMatchObject({ added: 1, unchanged: 0 });
    expect(app.search("rectified flow").hits[0]?.title).toBe("Rectified Flow Editing");
    expect(app.papers.get(app.search("rectified flow").hits[0]?.id as number)?.firstSeen).toBe(
      minutes(20).toISOString(),
    );
    expect(requests).toEqual([]); // off by default: nothing asked of Hugging Face
  });
});

/**
 * Ingests that end when the test says, as one on the ingest thread ends when its file is
 * stored: each refresh's waits in `held`, in order, to be finished (stored, here and now) or
 * to fail.
 */
function heldIngests() {
  const held: { finish(): void; fail(error: Error): void }[] = [];
  const ingestOf =
    (app: Paperboy): ArchiveIngest =>
    (paths, now, onProgress) =>
      new Promise((resolve, reject) => {
        held.push({ finish: () => resolve(app.ingest(paths, { now, onProgress })), fail: reject });
      });
  const next = () => {
    const ingest = held.shift();
    if (!ingest) throw new Error("no ingest is under way");
    return ingest;
  };
  return { ingestOf, next };
}

describe("waiting for the refresh's ingest (idle)", () => {
  it("is over at once when none is under way, and else once it ends, well or not", async () => {
    const ingests = heldIngests();
    const { app, refresher } = setup("off", "warn", ingests.ingestOf);
    expect(await settledNow(refresher.idle())).toBe(true);

    const refreshing = refresher.refresh(() => day);
    const idle = refresher.idle();
    expect(await settledNow(idle)).toBe(false);
    ingests.next().finish();
    expect(await settledNow(idle)).toBe(true);
    expect((await refreshing).added).toBe(1);
    expect(paperCount(app)).toBe(1);

    const failing = refresher.refresh(() => minutes(10)).catch((error: Error) => error.message);
    const afterFailure = refresher.idle();
    expect(await settledNow(afterFailure)).toBe(false);
    ingests.next().fail(new Error("the ingest thread stopped (exit code 1)"));
    expect(await settledNow(afterFailure)).toBe(true);
    expect(await failing).toBe("the ingest thread stopped (exit code 1)");
  });

  it("waits for the ingest of a refresh begun meanwhile too", async () => {
    const ingests = heldIngests();
    const { refresher } = setup("off", "warn", ingests.ingestOf);
    const first = refresher.refresh(() => day);
    const idle = refresher.idle();
    const second = refresher.refresh(() => minutes(1));
    const firstIngest = ingests.next();
    const secondIngest = ingests.next();
    firstIngest.finish();
    await first;
    expect(await settledNow(idle)).toBe(false);
    secondIngest.finish();
    await second;
    expect(await settledNow(idle)).toBe(true);
  });
});

describe.skipIf(process.platform === "win32")(
  "shutdown during a refresh's ingest on its thread (npm start's)",
  () => {
    it("stops its file at the next part, storing nothing of it; the work waiting for its write is answered first", async () => {
      const app = openApp(join(tempDir(), "paperboy.db"));
      // A named pipe as the archive (a file, read as itself): its read waits for the test to
      // write it, so shutdown begins while it is read.
      const dump = join(tempDir(), "dump.jsonl");
      expect(spawnSync("mkfifo", [dump]).status).toBe(0);
      const logged: Record<string, unknown>[] = [];
      const log = pino(
        { level: "info" },
        { write: (line: string) => logged.push(JSON.parse(line)) },
      );
      // Its timers never fire: stop() can only end with the work, not with the grace.
      const clock = { now: () => day.getTime(), schedule: () => ({ cancel() {} }) };
      const inFlight = createInFlight();
      const writable = createWritable(app.db, () => refresher.idle(), clock);
      const refresher = createArchiveRefresher(
        app,
        loadConfig({ PAPERBOY_ARCHIVE: dump }),
        log,
        (paths, _now, onProgress, stopping) =>
          ingestOnThread(app.db.name, paths, onProgress, stopping),
        writable,
        inFlight.closing,
      );
      const scheduler = startScheduler(
        {
          // A roundup's record of a message Discord took, waiting for the ingest's write lock.
          roundups: async () => {
            await writable();
            app.meta.set("roundup:recorded", "yes");
          },
          refreshArchive: () => refresher.refresh(() => day),
          archiveIdle: refresher.idle,
        },
        clock,
        log,
        inFlight,
      );
      const [roundups, archive] = scheduler.tasks;
      const refreshing = archive?.execute();
      // Opened for writing once the ingest thread has opened it to read.
      const writer = await open(dump, "w");
      const tick = roundups?.execute();
      const stopped = scheduler.stop();
      await writer.writeFile(
        Array.from({ length: 10 }, (_, i) => kilobyteRecord(i, `topic ${i}`)).join("\n"),
      );
      await writer.close();
      await Promise.all([stopped, refreshing, tick]);

      expect(app.meta.get("roundup:recorded")).toBe("yes");
      expect(paperCount(app)).toBe(0);
      expect(app.db.prepare("SELECT count(*) FROM sources").pluck().get()).toBe(0);
      expect(logged.map((line) => [line.msg, line.path])).toEqual([
        [
          "archive refresh stopped for shutdown: the file being read is not stored; the next start stores it",
          dump,
        ],
      ]);
    });
  },
);

describe("archive refresh in the log", () => {
  it("says how far a file read in parts has got, at each tenth, and what the refresh did", async () => {
    const { archive, refresher, logged } = setup("off", "info");
    const dump = writeLargeDump(join(archive, "dump.jsonl"));
    await refresher.refresh(() => day);
    const loading = logged.filter((line) => line.msg === "loading archive file");
    // Two parts: the first ends at 79 % of the text (the second, at the end, the summary says).
    expect(loading).toEqual([
      expect.objectContaining({ level: 30, path: dump, records: 3574, percent: 79 }),
    ]);
    expect(logged.at(-1)).toMatchObject({ msg: "archive refreshed", added: 4501 });
    // The page alone: read whole, nothing to say of it until the refresh is done.
    logged.length = 0;
    writeFileSync(
      join(archive, "page.txt"),
      listingPage([{ title: "Sole Paper", abstract: "Words." }]),
    );
    await refresher.refresh(() => minutes(10));
    expect(logged.map((line) => line.msg)).toEqual(["archive refreshed"]);
  });

  it("says its progress is over before it logs anything of the ingest, and when the ingest fails", async () => {
    // `npm start` on a terminal takes its progress line off then: a warning logged before
    // went on at the end of "dump.jsonl: 0 records, 100 %".
    const ingests = heldIngests();
    const { archive, refresher, logged } = setup("off", "warn", ingests.ingestOf);
    writeFileSync(join(archive, "dump.jsonl"), "{broken\n");
    const said: string[] = [];
    const refreshing = refresher.refresh(
      () => day,
      (progress) => said.push(`${progress.kind} (${logged.length} logged)`),
      () => said.push(`over (${logged.length} logged)`),
    );
    ingests.next().finish();
    await refreshing;
    expect(said.at(-1)).toBe("over (0 logged)");
    expect(said.filter((line) => line.startsWith("over"))).toHaveLength(1);
    expect(logged.map((line) => line.msg)).toEqual(["archive file loaded, with warnings"]);

    said.length = 0;
    const failing = refresher.refresh(
      () => minutes(10),
      () => {},
      () => said.push("over"),
    );
    ingests.next().fail(new Error("the ingest thread stopped (exit code 1)"));
    await expect(failing).rejects.toThrow("exit code 1");
    expect(said).toEqual(["over"]);
  });
});

describe("archive problems in the log", () => {
  it("names a missing archive folder on every refresh, and what to do", async () => {
    const { archive, refresher, logged } = setup("off");
    rmSync(archive, { recursive: true });
    await refresher.refresh(() => day);
    await refresher.refresh(() => minutes(10));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({
      level: 40,
      msg: "archive folder missing: create it, or set PAPERBOY_ARCHIVE to the folder that holds the archive files",
      problems: [`${archive}: no such file or folder`],
      count: 1,
    });
  });

  it("names PAPERBOY_ARCHIVE set to what is no folder of archive files as the folder, not a file", async () => {
    // "archive file not loaded" of a README.md or a folder this user may not read: nothing said
    // it was PAPERBOY_ARCHIVE to fix.
    const notes = join(tempDir(), "README.md");
    writeFileSync(notes, "# notes\n");
    const logged: Record<string, unknown>[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const config = loadConfig({ PAPERBOY_ARCHIVE: notes });
    await createArchiveRefresher(openApp(), config, log).refresh(() => day);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "archive folder not read: set PAPERBOY_ARCHIVE to a folder this user may read, which holds the archive files",
        problems: [`${notes}: not an archive file (.txt, .json, .jsonl, or one of them .gz)`],
      }),
    ]);
  });

  it("names an archive folder with no archive file in it once, and again once emptied again", async () => {
    // A new deployment's files not copied in yet, or PAPERBOY_ARCHIVE set to the wrong folder:
    // `npm start` said "0 archive files, 0 papers" and the bot logged nothing at all.
    const { archive, refresher, logged } = setup("off");
    rmSync(join(archive, "page.txt"));
    writeFileSync(join(archive, "notes.md"), "not an archive file");
    await refresher.refresh(() => day);
    await refresher.refresh(() => minutes(10));
    const empty = {
      level: 40,
      folder: archive,
      msg: "archive folder has no archive file (.txt, .json, .jsonl, or one of them .gz): copy the archive's files into it, or set PAPERBOY_ARCHIVE to the folder that holds them",
    };
    expect(logged).toEqual([expect.objectContaining(empty)]);
    const page = join(archive, "page.txt");
    writeFileSync(page, listingPage([{ title: "Sole Paper", abstract: "Words." }]));
    await refresher.refresh(() => minutes(20));
    rmSync(page);
    await refresher.refresh(() => minutes(30));
    expect(logged.filter((line) => line.msg === empty.msg)).toHaveLength(2);
  });

  it("says a file another process's write lock kept out was not loaded, and why, for the next refresh", async () => {
    const fileApp = openApp(join(tempDir(), "paperboy.db"));
    fileApp.db.pragma("busy_timeout = 0"); // 5 s in use
    const { archive, refresher, logged } = setup(
      "off",
      "warn",
      () => (paths, now) => fileApp.ingest(paths, { now }),
    );
    const otherProcess = lockedElsewhere(fileApp.db.name);
    await refresher.refresh(() => day);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "archive file not loaded",
      problems: [
        `${join(archive, "page.txt")}: not stored: another process kept the database locked; ingest it again`,
      ],
    });
    otherProcess.exec("COMMIT");
    expect((await refresher.refresh(() => minutes(10))).added).toBe(1);
  });

  it("names a file's bad lines once, with their line numbers", async () => {
    const { archive, refresher, logged } = setup("off");
    const lines = ['{"id":"2401.00001","title":"Fine","abstract":"Fine words."}', "{broken", "{"];
    writeFileSync(join(archive, "dump.jsonl"), `${lines.join("\n")}\n`);
    await refresher.refresh(() => day);
    await refresher.refresh(() => minutes(10));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      msg: "archive file loaded, with warnings",
      count: 2,
    });
    expect(logged[0]?.problems).toEqual([
      expect.stringMatching(/dump\.jsonl:2: /),
      expect.stringMatching(/dump\.jsonl:3: /),
    ]);
  });
  it("names a file deleted from the folder once, with how to take its papers out", async () => {
    const { app, archive, refresher, logged } = setup("off");
    // Another file stays: a folder left with none is told of too.
    writeFileSync(
      join(archive, "other.txt"),
      listingPage([{ title: "Sole Paper", abstract: "Words." }]),
    );
    await refresher.refresh(() => day);
    rmSync(join(archive, "page.txt"));
    await refresher.refresh(() => minutes(10));
    await refresher.refresh(() => minutes(20));
    const path = join(archive, "page.txt");
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "archive file gone from the folder; its papers stay until it is forgotten",
        path,
        forget: `paperboy forget ${path}`,
      }),
    ]);
    expect(app.search("packet spraying").hits).toHaveLength(1);
  });
});

describe("PAPERBOY_HF_DAILY=on", () => {
  it("saves the day's list into the archive folder and ingests it", async () => {
    const { app, archive, refresher } = setup("on");
    const summary = await refresher.refresh(() => day);
    expect(requests).toEqual(["/api/daily_papers?date=2026-11-20"]);
    expect(readdirSync(archive).sort()).toEqual(["hf-daily-2026-11-20.json", "page.txt"]);
    expect(summary.added).toBe(3);
    const paper = app.papers.lookup("2511.14993");
    expect(paper).toMatchObject({
      title: "Sparse Mixture-of-Experts Routing for Streaming Speech Recognition",
      authorsCount: 3,
      upvotes: 41,
    });
    expect(app.search("moe streaming speech").hits[0]?.id).toBe(paper?.id);
  });

  it("records when it asked once a write can begin (another process's ingest holding the lock, say)", async () => {
    let free = () => {};
    let askedToWrite = () => {};
    const waitsToWrite = new Promise<string>((resolve) => {
      askedToWrite = () => resolve("waits to write");
    });
    const writable = () => {
      askedToWrite();
      return new Promise<void>((resolve) => {
        free = resolve;
      });
    };
    const { app, refresher } = setup("on", "warn", undefined, writable);
    const refreshing = refresher.refresh(() => day);
    // Written at once, it waited for that lock in busy_timeout, holding the bot's event loop,
    // then failed, and the refresh with it.
    expect(await Promise.race([waitsToWrite, refreshing.then(() => "refreshed")])).toBe(
      "waits to write",
    );
    expect(app.meta.get("hf-daily:fetched-at")).toBeUndefined();
    free();
    expect((await refreshing).added).toBe(3);
    expect(app.meta.get("hf-daily:fetched-at")).toBe(String(day.getTime()));
  });

  it("creates the archive folder when it is not there yet, and saves the list into it", async () => {
    const { app, archive, refresher, logged } = setup("on");
    rmSync(archive, { recursive: true });
    const summary = await refresher.refresh(() => day);
    expect(readdirSync(archive)).toEqual(["hf-daily-2026-11-20.json"]);
    expect(summary.added).toBe(2);
    expect(app.papers.lookup("2511.14993")).toBeDefined();
    expect(logged).toEqual([]);
  });

  it("asks again only after an hour, and an unchanged list changes nothing", async () => {
    const { refresher } = setup("on");
    await refresher.refresh(() => day);
    await refresher.refresh(() => minutes(30));
    expect(requests).toHaveLength(1);
    const summary = await refresher.refresh(() => minutes(61));
    expect(requests).toHaveLength(2);
    expect(summary).toMatchObject({ added: 0, updated: 0 });
  });

  it("takes a day's list once more the next day: papers listed in its last hour come too", async () => {
    const { app, refresher } = setup("on");
    const [first] = JSON.parse(recorded) as unknown[];
    answer = () => JSON.stringify([first]);
    expect((await refresher.refresh(() => minutes(15 * 60 + 30))).added).toBe(2); // 23:30
    answer = (date) => (date === "2026-11-20" ? recorded : "[]");
    await refresher.refresh(() => minutes(16 * 60 + 40)); // 00:40 the next day
    expect(requests).toEqual([
      "/api/daily_papers?date=2026-11-20",
      "/api/daily_papers?date=2026-11-20",
      "/api/daily_papers?date=2026-11-21",
    ]);
    expect(app.papers.lookup("2511.15210")).toBeDefined();
    expect(paperCount(app)).toBe(3);
  });

  it("asks for the day before again at the next refresh when it did not come, then today's", async () => {
    const { app, refresher, logged } = setup("on");
    const [first] = JSON.parse(recorded) as unknown[];
    answer = () => JSON.stringify([first]);
    await refresher.refresh(() => minutes(15 * 60 + 30)); // 23:30
    answer = (date) => (date === "2026-11-20" ? recorded : "[]");
    failOn = "2026-11-20";
    await refresher.refresh(() => minutes(16 * 60 + 40)); // 00:40 the next day
    expect(logged).toEqual([expect.objectContaining({ reason: "HTTP 503" })]);
    failOn = undefined;
    requests.length = 0;
    await refresher.refresh(() => minutes(16 * 60 + 50));
    expect(requests.sort()).toEqual([
      "/api/daily_papers?date=2026-11-20",
      "/api/daily_papers?date=2026-11-21",
    ]);
    expect(app.papers.lookup("2511.15210")).toBeDefined();
    // Both came: the next refresh, an hour on, asks for today's alone.
    requests.length = 0;
    await refresher.refresh(() => minutes(17 * 60 + 50));
    expect(requests).toEqual(["/api/daily_papers?date=2026-11-21"]);
  });

  it("asks for a day before that keeps failing no later than the day after, and today's all along", async () => {
    const { refresher } = setup("on");
    await refresher.refresh(() => minutes(15 * 60 + 30)); // 23:30
    failOn = "2026-11-20";
    for (const hour of [16, 17, 18]) {
      requests.length = 0;
      await refresher.refresh(() => minutes(hour * 60 + 40)); // 00:40, 01:40, 02:40 the next day
      expect(requests.sort()).toEqual([
        "/api/daily_papers?date=2026-11-20",
        "/api/daily_papers?date=2026-11-21",
      ]);
    }
    // A day later, it is no longer the day before: tried once more, then left.
    requests.length = 0;
    await refresher.refresh(() => minutes((24 + 16) * 60 + 40));
    expect(requests.sort()).toEqual([
      "/api/daily_papers?date=2026-11-20",
      "/api/daily_papers?date=2026-11-22",
    ]);
    requests.length = 0;
    await refresher.refresh(() => minutes((24 + 17) * 60 + 50));
    expect(requests).toEqual(["/api/daily_papers?date=2026-11-22"]);
  });

  it("saves no file while the day's list is still empty, and warns of none", async () => {
    const { archive, refresher, logged } = setup("on");
    answer = () => "[]";
    await refresher.refresh(() => day);
    expect(readdirSync(archive)).toEqual(["page.txt"]);
    expect(logged).toEqual([]);
    answer = undefined;
    expect((await refresher.refresh(() => minutes(61))).added).toBe(2);
    // Nor does a list that comes back empty later in the day replace the one saved.
    answer = () => "[]";
    await refresher.refresh(() => minutes(122));
    expect(
      JSON.parse(readFileSync(join(archive, "hf-daily-2026-11-20.json"), "utf8")),
    ).toHaveLength(2);
    expect(logged).toEqual([]);
  });

  it("gives up an answer not come in 15 s, says so in one line, and asks again at the next refresh", async () => {
    // Timed on the clock: AbortSignal.timeout, held only by AbortSignal.any's sources, was
    // garbage-collected unfired, and a start-up waited for undici's own 300 s instead.
    const timers: { ms: number; task: () => void }[] = [];
    const clock = {
      now: () => day.getTime(),
      schedule: (ms: number, task: () => void) => {
        timers.push({ ms, task });
        return { cancel() {} };
      },
    };
    const { archive, refresher, logged } = setup(
      "on",
      "warn",
      undefined,
      undefined,
      undefined,
      clock,
    );
    const asked = new Promise<void>((resolve) => {
      hold = resolve;
    });
    const refreshing = refresher.refresh(() => day);
    await asked;
    expect(timers.map((timer) => timer.ms)).toEqual([15_000]);
    timers[0]?.task();
    expect((await refreshing).added).toBe(1); // the folder is still ingested
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "could not pull Hugging Face daily papers; will try again",
        reason: "no whole answer in 15 s",
      }),
    ]);
    hold = undefined;
    expect((await refresher.refresh(() => minutes(10))).added).toBe(2);
    expect(readdirSync(archive)).toContain("hf-daily-2026-11-20.json");
  });

  it("gives up a pull under way once shutdown begins, and ingests nothing after it", async () => {
    // The database is closed 5 s after shutdown begins at most: a download held (Hugging Face
    // slow) kept the process up until its 15 s timeout, then warned of it, started an ingest
    // thread and failed on the closed database ("scheduled job failed", with its stack).
    const shutdown = new AbortController();
    const ingested: string[][] = [];
    const { archive, refresher, logged } = setup(
      "on",
      "info",
      (app) => (paths, now) => {
        ingested.push(paths);
        return app.ingest(paths, { now });
      },
      undefined,
      shutdown.signal,
    );
    const asked = new Promise<void>((resolve) => {
      hold = resolve;
    });
    const refreshing = refresher.refresh(() => day);
    await asked;
    shutdown.abort();
    let over = false;
    for (let turn = 0; turn < 5 && !over; turn++) over = await settledNow(refreshing);
    expect(over).toBe(true);
    expect(ingested).toEqual([]);
    expect(logged).toEqual([]);
    expect(readdirSync(archive)).toEqual(["page.txt"]);
  });

  it("keeps the day's list when an answer lists no paper it can read, and says why", async () => {
    const { archive, refresher, logged } = setup("on");
    expect((await refresher.refresh(() => day)).added).toBe(3);
    // The API's entries in another shape (its fields renamed, say), or a proxy's array.
    answer = () => '[{"paperTitle":"A","paperSummary":"B"},{"error":"rate limited"}]';
    await refresher.refresh(() => minutes(61));
    expect(
      JSON.parse(readFileSync(join(archive, "hf-daily-2026-11-20.json"), "utf8")),
    ).toHaveLength(2);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "could not pull Hugging Face daily papers; will try again",
        reason:
          "the answer lists no paper Paperboy can read (entry 1 has no title and no abstract; skipped)",
      }),
    ]);
  });

  it("writes the list aside under a name of its own process's: another Paperboy pulling into the folder keeps its own", async () => {
    // The bot and a console on one folder pull at the same tick. Both wrote hf-daily-….json.part:
    // one truncated the file the other was writing, or renamed it away half-written (the other
    // then failed with ENOENT), 4 times in 15 simultaneous pulls.
    const { archive, refresher, logged } = setup("on");
    const list = join(archive, "hf-daily-2026-11-20.json");
    const othersParts = [`${list}.part`, `${list}.${process.pid + 1}.part`];
    for (const part of othersParts) writeFileSync(part, '[{"paper":'); // being written
    expect((await refresher.refresh(() => day)).added).toBe(3);
    expect(JSON.parse(readFileSync(list, "utf8"))).toHaveLength(2);
    for (const part of othersParts) expect(readFileSync(part, "utf8")).toBe('[{"paper":');
    expect(readdirSync(archive).sort()).toEqual(
      [
        "page.txt",
        "hf-daily-2026-11-20.json",
        ...othersParts.map((part) => part.slice(archive.length + 1)),
      ].sort(),
    );
    expect(logged).toEqual([]);
  });

  it("leaves nothing aside when the list cannot be saved, and says why", async () => {
    const { archive, refresher, logged } = setup("on");
    mkdirSync(join(archive, "hf-daily-2026-11-20.json", "in-the-way"), { recursive: true });
    await refresher.refresh(() => day);
    expect(readdirSync(archive).sort()).toEqual(["hf-daily-2026-11-20.json", "page.txt"]);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "could not pull Hugging Face daily papers; will try again",
        reason: expect.stringMatching(/^EISDIR: illegal operation on a directory, rename /),
      }),
    ]);
  });

  it("refuses an answer far larger than a day's list, and saves nothing of it", async () => {
    const { archive, refresher, logged } = setup("on");
    answer = () => recorded + " ".repeat(21 * 1024 * 1024);
    await refresher.refresh(() => day);
    expect(readdirSync(archive)).toEqual(["page.txt"]);
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "could not pull Hugging Face daily papers; will try again",
        reason: "the answer is over 20 MiB",
      }),
    ]);
  });

  it("keeps going when Hugging Face fails: the folder is still ingested, and it tries again", async () => {
    const { archive, refresher, logged } = setup("on");
    failWith = 503;
    const summary = await refresher.refresh(() => day);
    expect(summary.added).toBe(1); // the page already in the folder
    // One line saying why, without a stack trace.
    expect(logged).toEqual([
      expect.objectContaining({
        msg: "could not pull Hugging Face daily papers; will try again",
        reason: "HTTP 503",
      }),
    ]);
    expect(JSON.stringify(logged)).not.toContain("at ");
    expect(readdirSync(archive)).toEqual(["page.txt"]);
    failWith = undefined;
    await refresher.refresh(() => minutes(1));
    expect(requests).toHaveLength(2);
    expect(readdirSync(archive)).toContain("hf-daily-2026-11-20.json");
  });
  it.each([
    ["in seconds", 429, "1800"],
    ["as a date", 503, "Fri, 20 Nov 2026 08:30:00 GMT"],
  ])(
    "asks no more while a Retry-After %s says to wait, then asks again",
    async (_form, status, value) => {
      const { archive, refresher, logged } = setup("on");
      failWith = status;
      retryAfter = value;
      await refresher.refresh(() => day);
      expect(logged).toEqual([
        expect.objectContaining({
          reason: `HTTP ${status}; asked to wait until 2026-11-20T08:30:00.000Z`,
        }),
      ]);
      failWith = undefined;
      await refresher.refresh(() => minutes(29));
      expect(requests).toHaveLength(1);
      await refresher.refresh(() => minutes(30));
      expect(requests).toHaveLength(2);
      expect(readdirSync(archive)).toContain("hf-daily-2026-11-20.json");
    },
  );

  it("waits no longer than 6 hours, whatever the Retry-After", async () => {
    const { refresher } = setup("on");
    failWith = 429;
    retryAfter = String(365 * 24 * 60 * 60);
    await refresher.refresh(() => day);
    failWith = undefined;
    await refresher.refresh(() => minutes(6 * 60 - 1));
    expect(requests).toHaveLength(1);
    await refresher.refresh(() => minutes(6 * 60));
    expect(requests).toHaveLength(2);
  });
});
