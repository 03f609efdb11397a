import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { startScheduler } from "../src/scheduler.ts";

describe("the scheduler", () => {
  const now = new Date("2026-11-24T08:00:00Z");
  const clock = { now: () => now.getTime(), schedule: () => ({ cancel() {} }) };

  function start(jobs: Parameters<typeof startScheduler>[0]) {
    const lines: { msg: string; job?: string }[] = [];
    const log = pino({ level: "error" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const scheduler = startScheduler(jobs, clock, log);
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
});
