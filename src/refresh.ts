import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Logger } from "pino";
import { parseHfDaily } from "./archive/hf.ts";
import { archiveKinds } from "./archive/read.ts";
import { type Clock, realClock } from "./bot/types.ts";
import type { Config } from "./config.ts";
import { createUnderWay } from "./in-flight.ts";
import type { Paperboy } from "./paperboy.ts";
import {
  atEachTenth,
  type FileReport,
  type IngestProgress,
  type IngestSummary,
  nothingIngested,
  problemLines,
} from "./store/ingest.ts";

/** Daily Papers grow during the day: fetch today's list again after this long. */
const hfRefetchMs = 60 * 60 * 1000;
const hfTimeoutMs = 15_000;
const dayMs = 24 * 60 * 60 * 1000;
/**
 * A day's list is a few hundred KiB. Read whole, a runaway answer (a proxy's, a broken
 * server's) took the bot's memory with it: 300 MiB of it grew the process by 1 GiB.
 */
const hfMaxBytes = 20 * 1024 * 1024;
/**
 * The longest a Retry-After holds pulls back: one from a broken proxy ("a year") must not
 * stop them for good, and the day before's list is only asked for while it is yesterday.
 */
const hfMaxRetryAfterMs = 6 * 60 * 60 * 1000;

/**
 * How a refresh stores the archive folder's files: by default here and now, stamping papers
 * with the refresh's clock. `npm start` passes ingestOnThread (src/threads/ingest.ts).
 * `stopping` aborted (shutdown) stops it before the next file or part of one, the file being
 * read rolled back (IngestOptions.stopRequested).
 */
export type ArchiveIngest = (
  paths: string[],
  now: () => Date,
  onProgress: (progress: IngestProgress) => void,
  stopping: AbortSignal,
) => IngestSummary | Promise<IngestSummary>;

/**
 * Keeps the archive current: optionally saves today's Hugging Face daily papers
 * list into the archive folder, then ingests whatever is new or changed there
 * (unchanged files are skipped by their hash, so this is cheap to run often).
 * `writable`: what its write on the bot's event loop, when the list was last asked for,
 * waits for (see BotContext.writable); none, it waits for nothing. `stopping`: shutdown has
 * begun (InFlight.closing): a pull under way is given up, no ingest begins after it, and one
 * under way stops before its next file or part of one (the file is stored by the next start).
 * `clock` times the pull out.
 */
export function createArchiveRefresher(
  app: Paperboy,
  config: Config,
  log: Logger,
  ingest: ArchiveIngest = (paths, now, onProgress, stopping) =>
    app.ingest(paths, { now, onProgress, stopRequested: () => stopping.aborted }),
  writable: () => Promise<void> = async () => {},
  stopping: AbortSignal = new AbortController().signal,
  clock: Clock = realClock,
) {
  /** This refresher's ingests under way: one, or more when a refresh began while one ran. */
  const ingests = createUnderWay();
  /**
   * No pull before this time (ms): Hugging Face answered 429 or 503 with a Retry-After. Asked
   * again at every refresh (each 10 minutes) regardless, a rate-limited bot kept adding to
   * the load that limited it.
   */
  let notBefore = 0;

  async function pullHfDaily(now: Date): Promise<void> {
    const last = Number(app.meta.get("hf-daily:fetched-at") ?? 0);
    if (now.getTime() - last < hfRefetchMs || now.getTime() < notBefore) return;
    const today = dayOf(now);
    // A day's list grows until the day ends, after the last hourly pull of it: the first pull
    // of a new day takes that day's list once more, or its last hour's papers never came.
    // Both at once: with Hugging Face out of reach, a start waits for one timeout, not two.
    const lastDay = last > 0 ? dayOf(new Date(last)) : today;
    const [caughtUp, pulled] = await Promise.all([
      lastDay === today || pullList(lastDay, now),
      pullList(today, now),
    ]);
    if (!pulled) return;
    // Until the day before's list comes, nothing is recorded, and each refresh asks for it
    // again; but only while it is the day before: a date that kept failing held back every
    // pull after it, for good.
    if (!caughtUp && lastDay === dayOf(new Date(now.getTime() - dayMs))) return;
    await writable();
    app.meta.set("hf-daily:fetched-at", String(now.getTime()));
  }

  /** Saves the list of `date` (YYYY-MM-DD) into the archive folder; false when it could not. */
  async function pullList(date: string, now: Date): Promise<boolean> {
    const url = `${config.hfApiUrl}/api/daily_papers?date=${date}`;
    const giveUp = abortOnTimeOrStop(clock, hfTimeoutMs, stopping);
    try {
      const response = await fetch(url, { signal: giveUp.signal });
      if (!response.ok) {
        const waitMs = retryAfterMs(response, now.getTime());
        if (waitMs !== undefined) {
          notBefore = Math.max(notBefore, now.getTime() + Math.min(waitMs, hfMaxRetryAfterMs));
          throw new Error(
            `HTTP ${response.status}; asked to wait until ${new Date(notBefore).toISOString()}`,
          );
        }
        throw new Error(`HTTP ${response.status}`);
      }
      const list: unknown = JSON.parse(await textUpTo(response, hfMaxBytes));
      if (!Array.isArray(list)) throw new Error("the answer is not a JSON array");
      // Early in the day the list is still empty. Saved, it was a file warned of as holding no
      // papers, every morning, and it replaced the day's list should the API blink.
      if (list.length === 0) {
        log.info({ date }, "no Hugging Face daily papers listed yet; will ask again");
        return true;
      }
      // Nor is one in which no entry is a paper (the API's entries in another shape, a proxy's
      // array): saved, it replaced the day's list with one that loads nothing, a warning for
      // each of its entries.
      const text = JSON.stringify(list);
      const { records, warnings } = parseHfDaily(text);
      if (records.length === 0) {
        throw new Error(`the answer lists no paper Paperboy can read (${warnings[0]?.message})`);
      }
      // A new deployment's folder may not be there yet, as the database's need not be: without
      // it, every pull failed and was retried hourly, the list downloaded and never saved.
      mkdirSync(config.archiveDir, { recursive: true });
      // Written aside and renamed, so an ingest never reads half a file; aside under this
      // process's name, for the bot and a console on one folder pull at the same tick, and
      // with one name each truncated the file the other was writing, or renamed it away half
      // written. One a failed write leaves (a full disk) is taken away.
      const path = join(config.archiveDir, `hf-daily-${date}.json`);
      const part = `${path}.${process.pid}.part`;
      try {
        writeFileSync(part, text);
        renameSync(part, path);
      } finally {
        rmSync(part, { force: true });
      }
      log.info({ date, papers: list.length }, "pulled Hugging Face daily papers");
      return true;
    } catch (error) {
      if (stopping.aborted) return false; // nothing went wrong, nor is it tried again soon
      // Offline, this is every refresh: why in a few words, not a stack trace.
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
      const reason = `${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.message})` : ""}`;
      log.warn({ url, reason }, "could not pull Hugging Face daily papers; will try again");
      return false;
    } finally {
      giveUp.release();
    }
  }

  const sourcePaths = app.db.prepare("SELECT path FROM sources").pluck();
  const goneTold = new Set<string>();
  /**
   * Deleting a file from the folder takes none of its papers out (they may have been posted,
   * and a folder that is briefly not there must not empty the archive); the operator who
   * deleted it to be rid of them hears how, once a run.
   */
  function tellOfGoneFiles(): void {
    const folder = resolve(config.archiveDir);
    if (!existsSync(folder)) return;
    for (const path of sourcePaths.all() as string[]) {
      if (dirname(path) !== folder || existsSync(path) || goneTold.has(path)) continue;
      goneTold.add(path);
      log.warn(
        { path, forget: `paperboy forget ${path}` },
        "archive file gone from the folder; its papers stay until it is forgotten",
      );
    }
  }

  let emptyTold = false;
  /**
   * A folder with no archive file loads nothing, and said nothing: a new deployment's files
   * not copied in yet, or PAPERBOY_ARCHIVE naming the wrong folder. Said once while it stays
   * so: papers may come from elsewhere (`paperboy ingest` of other folders).
   */
  function tellOfEmptyFolder(summary: IngestSummary): void {
    const empty = summary.emptyFolders.length > 0;
    if (empty && !emptyTold) {
      log.warn(
        { folder: config.archiveDir },
        `archive folder has no archive file (${archiveKinds}): copy the archive's files into it, or set PAPERBOY_ARCHIVE to the folder that holds them`,
      );
    }
    emptyTold = empty;
  }

  /** What a file's problems are, for the operator to act on. */
  function headingOf(file: FileReport): string {
    if (!file.error) return "archive file loaded, with warnings";
    // The folder itself, not there: a new deployment's not made yet, or PAPERBOY_ARCHIVE mistyped.
    if (file.path === config.archiveDir && !existsSync(file.path)) {
      return "archive folder missing: create it, or set PAPERBOY_ARCHIVE to the folder that holds the archive files";
    }
    // There, but not a folder to read (another user's, or PAPERBOY_ARCHIVE set to a README):
    // "archive file not loaded" did not say the setting was the thing to fix.
    if (file.path === config.archiveDir) {
      return "archive folder not read: set PAPERBOY_ARCHIVE to a folder this user may read, which holds the archive files";
    }
    // Unreadable, or not stored (another process kept the database locked): the problem says.
    return "archive file not loaded";
  }

  /** A big file takes seconds (12 s for 100k papers): a line at each tenth, for the log. */
  const logEachTenth = () =>
    atEachTenth(({ path, done, share }) =>
      log.info({ path, records: done, percent: Math.floor(share * 100) }, "loading archive file"),
    );

  return {
    /**
     * Resolves once no ingest of this refresher's is under way (at once when none is), ended
     * well or not; one a refresh begins meanwhile is waited for too. For writes on the bot's
     * event loop to wait for: an ingest holds the database's write lock for a whole file (4 s
     * for 41k papers, 12 s for 100k, then the index merge), and a write begun beside it waits
     * in busy_timeout, holding the event loop, for up to 5 s, then fails (SQLITE_BUSY).
     */
    idle: ingests.idle,

    /**
     * `now` is read again after the download: papers must be stamped first seen when they
     * are stored, or a roundup planned during the download would close its window before them.
     * `progressOver` is called once the ingest is over, well or not, before anything is logged
     * of it: a progress line on a terminal is taken off first, or the first warning (a file's
     * bad lines, a file gone) went on at its end.
     */
    async refresh(
      now: () => Date,
      onProgress: (progress: IngestProgress) => void = logEachTenth(),
      progressOver: () => void = () => {},
    ): Promise<IngestSummary> {
      if (config.hfDaily) await pullHfDaily(now());
      // Shutdown began during the pull: the database is closed once the grace is over, under
      // an ingest begun now; the folder is the next start's to ingest.
      if (stopping.aborted) return nothingIngested();
      let summary: IngestSummary;
      try {
        const ingesting = Promise.resolve(ingest([config.archiveDir], now, onProgress, stopping));
        ingests.track(ingesting);
        summary = await ingesting;
      } finally {
        progressOver();
      }
      if (summary.stopped) {
        log.info(
          { path: summary.stopped.path },
          "archive refresh stopped for shutdown: the file being read is not stored; the next start stores it",
        );
      }
      // A file that cannot be read (a wrong PAPERBOY_ARCHIVE) is told on every refresh;
      // its warnings (bad lines, no papers at all) once, as unchanged files are skipped.
      for (const file of summary.files) {
        const problems = problemLines([file]);
        if (problems.length === 0) continue;
        log.warn({ problems: problems.slice(0, 5), count: problems.length }, headingOf(file));
      }
      tellOfEmptyFolder(summary);
      tellOfGoneFiles();
      if (summary.added + summary.updated + summary.filesFailed + summary.warnings > 0) {
        log.info(
          {
            added: summary.added,
            updated: summary.updated,
            filesFailed: summary.filesFailed,
            warnings: summary.warnings,
          },
          "archive refreshed",
        );
      }
      return summary;
    },
  };
}

/**
 * A signal aborted once `ms` have passed on `clock`, or once `stopping` is, for a whole
 * download, answer and body; `release` when it is over. Not AbortSignal.any with
 * AbortSignal.timeout: Node holds a timeout signal weakly, and one held only by another's
 * sources was garbage-collected unfired, so that a start-up waited for undici's own 300 s.
 */
function abortOnTimeOrStop(clock: Clock, ms: number, stopping: AbortSignal) {
  const controller = new AbortController();
  const stop = () => controller.abort(stopping.reason);
  if (stopping.aborted) stop();
  stopping.addEventListener("abort", stop);
  const timer = clock.schedule(ms, () =>
    controller.abort(new Error(`no whole answer in ${ms / 1000} s`)),
  );
  return {
    signal: controller.signal,
    release(): void {
      timer.cancel();
      stopping.removeEventListener("abort", stop);
    },
  };
}

/**
 * How long a 429 or 503 answer asks to be left alone, from its Retry-After (seconds, or an
 * HTTP date: RFC 9110 §10.2.3); undefined when it does not say, or says nothing readable.
 */
function retryAfterMs(response: Response, now: number): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const value = response.headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The UTC day of `date`, as the API names its lists: YYYY-MM-DD. */
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** The body as text, refused (and no longer downloaded) once it passes `maxBytes`. */
async function textUpTo(response: Response, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop cancels the download.
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`the answer is over ${maxBytes / 1024 / 1024} MiB`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
