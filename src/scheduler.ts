import cron from "node-cron";
import type { Logger } from "pino";
import type { Clock } from "./bot/types.ts";
import { createInFlight, type InFlight } from "./in-flight.ts";

export interface SchedulerJobs {
  /** Plans and sends the roundups that are due (every minute); ends early once `stopping` is. */
  roundups(now: Date, stopping: AbortSignal): Promise<void>;
  /** Ingests new or changed archive files (every ten minutes); reads the clock itself. */
  refreshArchive(): Promise<unknown>;
  /**
   * Resolves once the archive refresh's ingest, if one is under way, is over (the refresher's
   * idle): stop() lets it finish before its grace. Default: at once.
   */
  archiveIdle?(): Promise<void>;
}

/**
 * How late node-cron may start a job and still run it (its default is one second): the
 * event loop can be held for seconds (a write that waited a minute for another process's
 * write lock then waits for it in busy_timeout, see createWritable), and a dropped minute
 * is a lost roundup when that minute is 23:59. Under a minute, so a late tick never
 * runs beside the next one.
 */
const lateTickToleranceMs = 59_000;

const minuteOf = (date: Date) => Math.floor(date.getTime() / 60_000);

/**
 * How long stop() waits for work still under way: closing the database under a tick made it
 * fail ("scheduled job failed"), yet shutdown must not wait on Discord's rate limits, and
 * container runtimes kill what has not stopped after 10 s. Counted once the bot's own ingest
 * is over (see stop).
 */
const stopGraceMs = 5_000;

/**
 * node-cron drives the jobs; the jobs read time from the injected clock, so
 * tests call them directly. `noOverlap`: a slow tick is never run twice at once.
 * `inFlight` is the work stop() waits for: the jobs', and what else the caller tracks there;
 * stop() closes it, which tells a roundup tick to end (shutdown has begun for all of it).
 */
export function startScheduler(
  jobs: SchedulerJobs,
  clock: Clock,
  log: Logger,
  inFlight: InFlight = createInFlight(),
) {
  const guarded = (name: string, job: (now: Date) => Promise<unknown>) => () => {
    const run = (async () => {
      try {
        await job(new Date(clock.now()));
      } catch (error) {
        log.error({ err: error, job: name }, "scheduled job failed");
      }
    })();
    inFlight.track(run);
    return run;
  };
  /**
   * Ticks `job` again at once while a tick outlasted the minute it began in (Discord's
   * rate limits and retries can hold one for minutes): node-cron drops the ticks due
   * meanwhile (noOverlap), and a roundup due in one of those minutes — 23:59 — would not
   * go out that day, the next tick being the next local day.
   */
  const untilCaughtUp =
    (job: SchedulerJobs["roundups"]) =>
    async (now: Date): Promise<void> => {
      for (let at = now; ; ) {
        await job(at, inFlight.closing);
        const after = new Date(clock.now());
        if (inFlight.closing.aborted || minuteOf(after) === minuteOf(at)) return;
        at = after;
      }
    };
  const options = { noOverlap: true, missedExecutionTolerance: lateTickToleranceMs };
  const tasks = [
    cron.schedule("* * * * *", guarded("roundups", untilCaughtUp(jobs.roundups)), {
      name: "roundups",
      ...options,
    }),
    cron.schedule("*/10 * * * *", guarded("archive", jobs.refreshArchive), {
      name: "archive",
      ...options,
    }),
  ];
  let stopped: Promise<void> | undefined;
  return {
    tasks,
    /**
     * No more runs; a roundup tick still running is told to end after its current roundup,
     * and it and the rest of `inFlight` are waited for (`stopGraceMs` at most), so the
     * database is not closed under them. The bot's own ingest, if one is under way, is waited
     * for first, however long: work under way may be waiting for it to write (a command, a
     * roundup's record of a message Discord took), and its thread keeps the process alive
     * until it ends anyway. Counted from the stop, the grace ran out under a big file (12 s
     * at 100k papers), and that work then ran into the closed database: the command failed,
     * the message posted was not recorded. npm start's refresher hears the stop (its
     * `stopping` is `inFlight.closing`) and stops its file at the next 4 MiB part, rolled back
     * and stored at the next start: waited for whole, a big file outlasted a container's 10 s.
     */
    stop(): Promise<void> {
      stopped ??= (async () => {
        inFlight.close();
        await Promise.all(tasks.map((task) => task.destroy()));
        await jobs.archiveIdle?.();
        await inFlight.settled(stopGraceMs, clock);
      })();
      return stopped;
    },
  };
}
