import pino from "pino";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { Clock } from "../src/bot/types.ts";
import { startScheduler } from "../src/scheduler.ts";

describe("the scheduler", () => {
  const now = new Date("2026-11-24T08:00:00Z");
  const clock = { now: () => now.getTime(), schedule: () => ({ cancel() {} }) };

  function start(jobs: Parameters<typeof startScheduler>[0], jobClock: Clock = clock) {
    const lines: { msg: string; job?: string }[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const scheduler = startScheduler(jobs, jobClock, log);
    onTestFinished(() => scheduler.stop());
    return { scheduler, lines };
  }

  it("runs roundups every minute and the archive refresh every ten, with the injected time", async () => {
    const seen: Date[] = [];
    let refreshed = 0;
    const { scheduler } = start({
      roundups: async (at) => {
        seen.push(at);
      },
      refreshArchive: async () => {
        refreshed += 1;
      },
    });
    const [roundups, archive] = scheduler.tasks;
    expect(roundups?.getPattern()).toBe("* * * * *");
    expect(archive?.getPattern()).toBe("*/10 * * * *");
    await roundups?.execute();
    await archive?.execute();
    expect(seen).toEqual([now]);
    expect(refreshed).toBe(1);
  });

  it("logs a failing job instead of throwing, and keeps the other running", async () => {
    let ticks = 0;
    const { scheduler, lines } = start({
      roundups: async () => {
        ticks += 1;
      },
      refreshArchive: async () => {
        throw new Error("disk gone");
      },
    });
    const [roundups, archive] = scheduler.tasks;
    await archive?.execute();
    await roundups?.execute();
    expect(lines).toMatchObject([{ msg: "scheduled job failed", job: "archive" }]);
    expect(ticks).toBe(1);
  });

  it("stops by telling a running tick to end, and waits for it: the database is not closed under it", async () => {
    let release = () => {};
    const told: boolean[] = [];
    const { scheduler, lines } = start({
      roundups: async (_at, stopping) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        told.push(stopping.aborted);
      },
      refreshArchive: async () => {},
    });
    const tick = scheduler.tasks[0]?.execute();
    let stopped = false;
    const stop = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await Promise.all([stop, tick]);
    expect(told).toEqual([true]);
    expect(lines).toEqual([]);
  });

  it("waits 5 s at most for a tick held up (by Discord's rate limits, say)", async () => {
    const grace: { ms: number; task: () => void }[] = [];
    const graceClock = {
      now: clock.now,
      schedule: (ms: number, task: () => void) => {
        grace.push({ ms, task });
        return { cancel() {} };
      },
    };
    const { scheduler } = start(
      { roundups: () => new Promise<void>(() => {}), refreshArchive: async () => {} },
      graceClock,
    );
    void scheduler.tasks[0]?.execute();
    let stopped = false;
    const stop = scheduler.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    expect(grace.map((g) => g.ms)).toEqual([5_000]);
    grace[0]?.task();
    await stop;
    expect(stopped).toBe(true);
  });

  it("lets the bot's own ingest finish, then the work that waited for it, before the database is closed", async () => {
    const grace: (() => void)[] = [];
    const graceClock = {
      now: clock.now,
      schedule: (_ms: number, task: () => void) => {
        grace.push(task);
        return { cancel() {} };
      },
    };
    // A big file being stored, and a roundup tick whose write waits for it.
    let ingestOver = () => {};
    const ingesting = new Promise<void>((resolve) => {
      ingestOver = resolve;
    });
    const wrote: boolean[] = [];
    const { scheduler } = start(
      {
        roundups: async (_at, stopping) => {
          await ingesting;
          wrote.push(stopping.aborted);
        },
        refreshArchive: async () => {},
        archiveIdle: () => ingesting,
      },
      graceClock,
    );
    const tick = scheduler.tasks[0]?.execute();
    let stopped = false;
    const stop = scheduler.stop().then(() => {
      stopped = true;
    });
    // The ingest outlasts the grace (12 s at 100k papers): the database must stay open.
    for (let i = 0; i < 3; i++) {
      for (const over of grace.splice(0)) over();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(stopped).toBe(false);
    ingestOver();
    await Promise.all([stop, tick]);
    expect(wrote).toEqual([true]);
  });

  describe("on node-cron's own timers (faked, with the Date they read)", () => {
    /** The time is the faked Date's, from `iso`; the jobs' clock reads it too. */
    function startAt(iso: string, jobs: Parameters<typeof startScheduler>[0]) {
      vi.useFakeTimers({ now: new Date(iso) });
      onTestFinished(() => {
        vi.useRealTimers();
      });
      return start(jobs, { now: () => Date.now(), schedule: clock.schedule }).scheduler;
    }

    it("runs a tick the event loop held up for seconds, late, instead of dropping its minute", async () => {
      const seen: string[] = [];
      const scheduler = startAt("2026-11-24T22:58:58.000Z", {
        roundups: async (at) => {
          seen.push(at.toISOString());
        },
        refreshArchive: async () => {},
      });
      // Busy for 5 s across 22:59:00 (23:59 in Paris, the last minute of that day's roundup).
      vi.setSystemTime(new Date("2026-11-24T22:59:03.000Z"));
      await vi.advanceTimersByTimeAsync(2_000);
      await scheduler.stop();
      expect(seen).toEqual(["2026-11-24T22:59:05.000Z"]);
    });

    it("ticks again at once after a tick that outlasted its minute, for the minutes it held up", async () => {
      const seen: string[] = [];
      const scheduler = startAt("2026-11-24T22:57:59.000Z", {
        // The 22:58 tick waits 90 s on Discord, past 22:59 (23:59 in Paris).
        roundups: async (at) => {
          seen.push(at.toISOString());
          if (seen.length === 1) await new Promise((resolve) => setTimeout(resolve, 90_000));
        },
        refreshArchive: async () => {},
      });
      await vi.advanceTimersByTimeAsync(150_000);
      await scheduler.stop();
      expect(seen).toEqual([
        "2026-11-24T22:58:00.000Z",
        "2026-11-24T22:59:30.000Z",
        "2026-11-24T23:00:00.000Z",
      ]);
    });
  });
});
