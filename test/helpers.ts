import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import pino from "pino";
import { afterAll, beforeAll, onTestFinished } from "vitest";
import { loadConfig } from "../src/config.ts";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import { type ArchiveIngest, createArchiveRefresher } from "../src/refresh.ts";
import type { IngestSummary } from "../src/store/ingest.ts";
import { writeLockTakenElsewhere } from "../src/writable.ts";
import pageTitlesJson from "./fixtures/archive/daily-papers-titles.json" with { type: "json" };

/**
 * A fresh temporary folder. Asked for in a test, it is removed when that test
 * finishes; asked for in a describe body, after the describe block's tests.
 * (Not from a beforeAll hook: vitest ignores hooks registered there.)
 */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-test-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    afterAll(remove); // not inside a test
  }
  return dir;
}

export const archiveDir = fileURLToPath(new URL("../data/archive/", import.meta.url));
export const fixturesDir = fileURLToPath(new URL("./fixtures/archive/", import.meta.url));
/** The first ten records of the arXiv metadata snapshot (ids 0704.0001 to 0704.0010). */
export const arxivSample = join(fixturesDir, "arxiv-sample-10.jsonl");

/** What `run` throws; fails the test when it does not. */
export function thrownBy(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, none was thrown");
}

/** A fixed ingest time, so year-less dates resolve the same on every run. */
export const ingestTime = new Date("2026-11-20T12:00:00Z");
export const at = (date: Date) => () => date;

/** Every title of data/archive, page by page, in page order, repeats included (counted by hand). */
export const pageTitles: Record<string, string[]> = pageTitlesJson;
export const archivePages = Object.keys(pageTitles);
export const distinctArchiveTitles = [...new Set(Object.values(pageTitles).flat())];
/** 381 entries on the five pages, 44 of them repeats. */
export const archivePaperCount = 337;

/** Opens Paperboy on `path` (default: in memory), closed when the calling test finishes. */
export function openApp(path = ":memory:"): Paperboy {
  const app = openPaperboy(path);
  onTestFinished(() => {
    app.close();
  });
  return app;
}

/** Opens Paperboy in memory and ingests data/archive at `ingestTime`. */
export function openArchiveApp(): Paperboy {
  const app = openApp();
  app.ingest([archiveDir], { now: at(ingestTime) });
  return app;
}

/**
 * For read-only tests: one in-memory Paperboy with data/archive ingested,
 * shared by a describe block. Call in the describe body; use the getter in tests.
 */
export function sharedArchiveApp(): () => Paperboy {
  let app: Paperboy | undefined;
  beforeAll(() => {
    app = openPaperboy(":memory:");
    app.ingest([archiveDir], { now: at(ingestTime) });
  });
  afterAll(() => app?.close());
  return () => {
    if (!app) throw new Error("sharedArchiveApp: used outside a test");
    return app;
  };
}

/** A copy of data/archive that a test may edit. */
export function copyOfArchive(): string {
  const dir = tempDir();
  cpSync(archiveDir, dir, { recursive: true });
  return dir;
}

/**
 * Whether some connection holds the write lock of the database at `path` right now,
 * asked through a connection of its own (as another process would see it).
 */
export function writeLockProbe(path: string): () => boolean {
  const probe = new Database(path);
  onTestFinished(() => {
    probe.close();
  });
  return writeLockTakenElsewhere(probe);
}

/**
 * Another process's write transaction on the database at `path`, as a big file's ingest holds
 * it: a connection of its own that has taken the write lock, until the test commits it
 * (`exec("COMMIT")`). Closed when the test ends.
 */
export function lockedElsewhere(path: string): Database.Database {
  const connection = new Database(path);
  onTestFinished(() => {
    if (connection.open) connection.close();
  });
  connection.exec("BEGIN IMMEDIATE");
  return connection;
}

/**
 * Another process's write, as this thread would meet it: a worker thread takes the write
 * lock of `path`, runs `statements`, and commits `holdMs` later. Resolves once it holds the
 * lock (this thread is free then to run into it); `done` resolves when it has committed.
 */
export async function writeElsewhere(
  path: string,
  { statements = [] as string[], holdMs = 300 } = {},
): Promise<{ done: Promise<unknown> }> {
  const writer = new Worker(
    `const { workerData, parentPort } = require("node:worker_threads");
     const db = new (require("better-sqlite3"))(workerData.path);
     db.exec("BEGIN IMMEDIATE");
     for (const sql of workerData.statements) db.exec(sql);
     parentPort.postMessage("holding");
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec("COMMIT");
     db.close();`,
    { eval: true, workerData: { path, statements, holdMs } },
  );
  const done = once(writer, "exit");
  await once(writer, "message");
  return { done };
}

/**
 * The archive refresh `npm start` runs, over `app`'s database file, ingesting as the ingest
 * thread does a big file: when the refresh calls it, a connection of its own takes the write
 * lock, as that file's transaction does, and holds it until the test commits. `start()`
 * begins such a refresh, holding the lock once it returns; its `commit()` resolves once the
 * ingest and the refresh are over. `idle` is the refresher's, as `npm start` hands it the bot.
 */
export function slowIngestRefresh(app: Paperboy) {
  const commits: (() => void)[] = [];
  const ingest: ArchiveIngest = () => {
    const connection = lockedElsewhere(app.db.name);
    return new Promise<IngestSummary>((resolve) => {
      commits.push(() => {
        connection.exec("COMMIT");
        connection.close();
        resolve(nothingIngested);
      });
    });
  };
  const config = loadConfig({ PAPERBOY_ARCHIVE: tempDir(), PAPERBOY_HF_DAILY: "off" });
  const refresher = createArchiveRefresher(app, config, pino({ level: "silent" }), ingest);
  return {
    idle: refresher.idle,
    start(): { commit(): Promise<void> } {
      const refreshing = refresher.refresh(() => new Date());
      const commit = commits.shift();
      if (!commit) throw new Error("the refresh did not begin its ingest");
      return {
        async commit() {
          commit();
          await refreshing;
        },
      };
    },
  };
}

const nothingIngested: IngestSummary = {
  files: [],
  filesRead: 0,
  filesFailed: 0,
  filesUnchanged: 0,
  added: 0,
  updated: 0,
  unchanged: 0,
  duplicates: 0,
  warnings: 0,
  emptyFolders: [],
};

/** Whether `promise` has settled once what is due now has run. */
export async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  const done = () => {
    settled = true;
  };
  promise.then(done, done);
  await new Promise(setImmediate);
  return settled;
}

/** The id of the one stored paper with exactly this title; fails loudly otherwise. */
export function paperIdByTitle(app: Paperboy, title: string): number {
  const ids = app.db
    .prepare("SELECT id FROM papers WHERE title = ?")
    .pluck()
    .all(title) as number[];
  if (ids.length !== 1)
    throw new Error(`expected one paper titled "${title}", found ${ids.length}`);
  return ids[0] as number;
}

export function paperCount(app: Paperboy): number {
  return app.db.prepare("SELECT count(*) FROM papers").pluck().get() as number;
}

/**
 * An abstract as long and as sentence-like as real ones, so a listing page
 * reads it as an abstract, not a title. `topic` should be made-up words,
 * so that searching for them finds only this paper.
 */
export function abstractAbout(topic: string): string {
  return (
    `We study ${topic}. Existing methods for ${topic} are slow and brittle, and they rarely ` +
    "scale beyond small problems. We propose a simple alternative that is faster, more " +
    "accurate and easier to deploy, and we analyse when it helps. Experiments on six " +
    "benchmarks show consistent gains over strong baselines. Code is public."
  );
}

export interface PageEntry {
  title: string;
  abstract: string;
  /** Lines after the abstract, e.g. ["• 3 authors", "·", "Nov 7, 2024 3"]. */
  details?: string[];
}

/** A saved Daily Papers listing: page chrome, the listing's date, then the papers. */
export function listingPage(
  entries: PageEntry[],
  { date = "Mar 11", eol = "\n" }: { date?: string; eol?: string } = {},
): string {
  const chrome = ["new", "Get trending papers in your email inbox!", "Subscribe"];
  const body = entries.flatMap((e) => [e.title, e.abstract, ...(e.details ?? [])]);
  return [...chrome, "byAK and the research community", date, ...body].join(eol + eol) + eol;
}

/**
 * Two listing pages in a folder, ingested at `ingestTime`: `first` has an okapi paper that
 * `second` has too, and a tapir paper only it has.
 */
export function pagesSharingAPaper() {
  const dir = tempDir();
  const shared = { title: "Okapi Gait Analysis", abstract: abstractAbout("okapi gaits") };
  const only = { title: "Tapir Snout Mechanics", abstract: abstractAbout("tapir snouts") };
  const first = join(dir, "first.txt");
  const second = join(dir, "second.txt");
  writeFileSync(first, listingPage([shared, only]));
  writeFileSync(second, listingPage([shared]));
  const app = openApp();
  app.ingest([dir], { now: at(ingestTime) });
  return { app, dir, first, second, shared, only };
}

/** One line of the arXiv metadata snapshot (`.jsonl`), with the fields Paperboy reads. */
export function arxivLine(fields: {
  id?: string;
  title?: string;
  abstract?: string;
  authors?: string;
  update_date?: string;
  upvotes?: number;
  venue?: string;
  "journal-ref"?: string;
}): string {
  return JSON.stringify({
    submitter: "A. Submitter",
    comments: "10 pages",
    categories: "cs.LG",
    license: null,
    versions: [{ version: "v1", created: "Mon, 2 Apr 2007 19:18:42 GMT" }],
    ...fields,
  });
}

/** A JSON Lines record a kilobyte long, arXiv id 2401.<i>; `topic` in its title and abstract. */
export function kilobyteRecord(i: number, topic: string, fields: { upvotes?: number } = {}) {
  return arxivLine({
    id: `2401.${String(i).padStart(5, "0")}`,
    title: `Paper ${i} on ${topic}`,
    abstract: `${abstractAbout(topic)} ${"We add more detail here. ".repeat(25)}`,
    ...fields,
  });
}

/** A JSON Lines file of 4,500 kilobyte records: over 4 MiB, so read in parts. */
export function writeLargeDump(path: string): string {
  writeFileSync(
    path,
    Array.from({ length: 4500 }, (_, i) => kilobyteRecord(i, `topic ${i}`)).join("\n"),
  );
  return path;
}

/** One entry of the Hugging Face daily papers API (`.json`: an array of these). */
export function hfDailyEntry(paper: {
  id: string;
  title: string;
  summary: string;
  authors: string[];
  publishedAt: string;
  upvotes: number;
}) {
  return {
    paper: { ...paper, authors: paper.authors.map((name) => ({ _id: "x", name, hidden: false })) },
    publishedAt: paper.publishedAt,
    title: paper.title,
    numComments: 0,
  };
}

/** A writable stream that keeps what is written to it. */
class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process, as `paperboy ...argv`, with `stdin` as its input.
 * (Imported when first used, so that only tests of the CLI load all of it.)
 */
export async function runCli(argv: string[], stdin = ""): Promise<CliRun> {
  const { main } = await import("../src/cli/main.ts");
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { stdout, stderr, stdin: Readable.from(stdin ? [stdin] : []) });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Who a child process runs as for file modes to count: this user, or under root (who may
 * read and write whatever the modes say, as in CI) `nobody`. Undefined when root may not
 * switch users: the tests of permissions are skipped then.
 */
export const modesCount: { uid?: number; gid?: number } | undefined = (() => {
  if (process.getuid?.() !== 0) return {};
  const nobody = { uid: 65534, gid: 65534 };
  return spawnSync(process.execPath, ["-e", ""], nobody).status === 0 ? nobody : undefined;
})();

/**
 * Whether tests may give a process a disk of its own to fill (a tmpfs, mounted in a mount
 * namespace of its own: root, allowed to mount). A full disk is SQLITE_FULL to SQLite, where a
 * file size limit (ulimit -f), which any user may set, is SQLITE_IOERR.
 */
export function canMountDisks(): boolean {
  mountable ??=
    spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", mountTmpfs, tmpdir()], {
      timeout: 10_000,
    }).status === 0;
  return mountable;
}
let mountable: boolean | undefined;
const mountTmpfs = 'mount -t tmpfs -o size=64k tmpfs "$0"';

/**
 * Whether tests may make a disk fail: strace is there, and allowed to trace (ptrace), to inject
 * an I/O error (EIO) into the writes to one file. No file system makes one on demand.
 */
export function canInjectFaults(): boolean {
  injectable ??=
    spawnSync("strace", ["-f", "-o", "/dev/null", "-e", "inject=pwrite64:error=EIO", "true"], {
      timeout: 10_000,
    }).status === 0;
  return injectable;
}
let injectable: boolean | undefined;

/** The environment without any Paperboy or Discord settings (a developer's shell may have them). */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (/^(DISCORD_|PAPERBOY_|LOG_LEVEL$)/.test(key)) delete env[key];
  return { ...env, ...extra };
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * What a child process writes on stderr, kept as it comes, to wait on: a test of a real
 * process waits for what it says (that it listens for signals, say), never a fixed time.
 */
export function watchStderr(child: ChildProcessWithoutNullStreams) {
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  return {
    text: () => stderr,
    /** Resolves once stderr has `text`; fails after `timeoutMs`, or if the process exits first. */
    said(text: string, timeoutMs = 15_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const settle = (outcome: () => void) => {
          clearTimeout(deadline);
          child.stderr.off("data", check);
          child.off("exit", exitedFirst);
          outcome();
        };
        const check = () => {
          if (stderr.includes(text)) settle(resolve);
        };
        const exitedFirst = () =>
          settle(() => reject(new Error(`exited before saying "${text}":\n${stderr}`)));
        const deadline = setTimeout(
          () => settle(() => reject(new Error(`never said "${text}":\n${stderr}`))),
          timeoutMs,
        );
        child.stderr.on("data", check);
        child.on("exit", exitedFirst);
        check();
      });
    },
  };
}

/**
 * `attempt`, lines of an ES module run with tsx in a child process (as `options.user` when
 * given), inside a try whose catch prints the message of what it threw: what a call prints
 * on success is the test's, as are its imports (`await import(…)`, in the try).
 */
export function runAttempt(
  attempt: string[],
  options: { user?: { uid?: number; gid?: number }; killAfterMs?: number } = {},
): Promise<ProcessRun> {
  const script = ["try {", ...attempt, "} catch (error) {", "  console.log(error.message);", "}"];
  const root = fileURLToPath(new URL("../", import.meta.url));
  return runNode(["--import", "tsx", "--input-type=module", "-e", script.join("\n")], {
    cwd: root,
    ...options,
  });
}

/**
 * Runs `node …args` to its end with `stdin` as its input; killed after `killAfterMs`
 * (code null then), so a process that would never exit fails its test instead of hanging it.
 */
export function runNode(
  args: string[],
  options: {
    cwd: string;
    env?: NodeJS.ProcessEnv;
    stdin?: string;
    killAfterMs?: number;
    /** Another user to run as (see modesCount). */
    user?: { uid?: number; gid?: number } | undefined;
    /**
     * The size in KiB its files may grow to, as on a disk that fills or with a quota. XFSZ
     * ignored, a write past it fails (EFBIG, which SQLite calls SQLITE_IOERR) rather than
     * killing the process.
     */
    fileLimitKib?: number;
  },
): Promise<ProcessRun> {
  const limited = `trap "" XFSZ; ulimit -f ${options.fileLimitKib}; exec "$@"`;
  const [command, commandArgs] =
    options.fileLimitKib === undefined
      ? [process.execPath, args]
      : ["bash", ["-c", limited, "bash", process.execPath, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      ...options.user,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
