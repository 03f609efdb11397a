import cron from "node-cron";
import type { Logger } from "pino";
import type { Clock } from "./bot/types.ts";

export interface SchedulerJobs {
  /** Plans and sends the roundups that are due (every minute). */
  roundups(now: Date): Promise<void>;
  /** Ingests new or changed archive files (every ten minutes); reads the clock itself. */
  refreshArchive(): Promise<unknown>;
}

/**
 * node-cron drives the jobs; the jobs read time from the injected clock, so
 * tests call them directly. `noOverlap`: a slow tick is never run twice at once.
 */
export function startScheduler(jobs: SchedulerJobs, clock: Clock, log: Logger) {
  const guarded = (name: string, job: (now: Date) => Promise<unknown>) => async () => {
    try {
      await job(new Date(clock.now()));
    } catch (error) {
      log.error({ err: error, job: name }, "scheduled job failed");
    }
  };
  const tasks = [
    cron.schedule("* * * * *", guarded("roundups", jobs.roundups), {
      name: "roundups",
      noOverlap: true,
    }),
    cron.schedule("*/10 * * * *", guarded("archive", jobs.refreshArchive), {
      name: "archive",
      noOverlap: true,
    }),
  ];
  return {
    tasks,
    async stop(): Promise<void> {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}
