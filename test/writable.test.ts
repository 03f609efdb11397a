import { join } from "node:path";
import Database from "better-sqlite3";
import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import type { Clock } from "../src/bot/types.ts";
import { openDatabase } from "../src/store/db.ts";
import { createWritable, lockPatienceMs, writeLockTakenElsewhere } from "../src/writable.ts";
import { settledNow, tempDir } from "./helpers.ts";

/** The database file Paperboy's connection uses, and a second one: another process's. */
function twoConnections() {
  const path = join(tempDir(), "paperboy.db");
  const db = openDatabase(path);
  const other = new Database(path);
  onTestFinished(() => {
    other.close();
    if (db.open) db.close();
  });
  return { db, other };
}

/** A clock whose timers run only when the test moves it on. */
function steppedClock() {
  let now = 0;
  const timers = new Set<{ due: number; task: () => void }>();
  const clock: Clock = {
    now: () => now,
    schedule(ms, task) {
      const timer = { due: now + ms, task };
      timers.add(timer);
      return { cancel: () => void timers.delete(timer) };
    },
  };
  return {
    clock,
    pending: () => timers.size,
    /** Moves `ms` on, running the timers then due, and lets what they resolved run. */
    async advance(ms: number): Promise<void> {
      now += ms;
      for (const timer of [...timers].filter((t) => t.due <= now)) {
        timers.delete(timer);
        timer.task();
      }
      await new Promise(setImmediate);
    },
  };
}

/** A write waiting for another connection's lock, which it has met: held until the test ends. */
async function aWriteBesideAnotherLock() {
  const { db, other } = twoConnections();
  const { clock, advance } = steppedClock();
  const writable = createWritable(db, async () => {}, clock);
  other.exec("BEGIN IMMEDIATE");
  const waiting = writable();
  expect(await settledNow(waiting)).toBe(false);
  return { db, advance, waiting };
}

/** An archive ingest of the bot's own, under way until the test ends it: `idle` as the refresher's. */
function ownIngest() {
  let end = () => {};
  let ingesting: Promise<void> | undefined = new Promise<void>((resolve) => {
    end = () => {
      ingesting = undefined;
      resolve();
    };
  });
  return { idle: async () => ingesting, end: () => end() };
}

describe("writeLockTakenElsewhere", () => {
  it("says whether another connection holds the write lock, without waiting, and keeps the busy timeout", () => {
    const { db, other } = twoConnections();
    const taken = writeLockTakenElsewhere(db);
    expect(taken()).toBe(false);
    // Readers do not count: a write can begin beside them (WAL).
    other.exec("BEGIN; SELECT count(*) FROM papers;");
    expect(taken()).toBe(false);
    other.exec("COMMIT; BEGIN IMMEDIATE");
    const asked = performance.now();
    expect(taken()).toBe(true);
    expect(performance.now() - asked).toBeLessThan(1000); // not the 5 s busy timeout
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    other.exec("COMMIT");
    expect(taken()).toBe(false);
    expect(db.inTransaction).toBe(false);
  });
});

describe("createWritable", () => {
  it("waits for the bot's own ingest, then for another connection's lock, on the clock's timers", async () => {
    const { db, other } = twoConnections();
    const { clock, advance, pending } = steppedClock();
    const ingest = ownIngest();
    const writable = createWritable(db, ingest.idle, clock);
    other.exec("BEGIN IMMEDIATE");

    const waiting = writable();
    expect(await settledNow(waiting)).toBe(false);
    expect(pending()).toBe(0); // the ingest is waited for first, not polled
    ingest.end();
    expect(await settledNow(waiting)).toBe(false);
    expect(pending()).toBe(1); // the other connection's lock: asked again on a timer
    await advance(50);
    expect(await settledNow(waiting)).toBe(false);

    other.exec("COMMIT");
    await advance(50);
    expect(await settledNow(waiting)).toBe(true);
    // At once when nothing holds the lock.
    expect(await settledNow(writable())).toBe(true);
  });

  it("logs each stretch of another connection's lock its writes waited for, once as met and once as freed", async () => {
    const { db, other } = twoConnections();
    const { clock, advance } = steppedClock();
    const lines: { msg: string; waitedMs?: number }[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const writable = createWritable(db, async () => {}, clock, log);
    await writable(); // nothing in the way: nothing to say
    other.exec("BEGIN IMMEDIATE");
    const waiting = [writable(), writable()];
    await new Promise(setImmediate); // both meet the lock at 0
    await advance(50);
    other.exec("COMMIT");
    await advance(50);
    await Promise.all(waiting);
    expect(lines.map(({ msg, waitedMs }) => ({ msg, waitedMs }))).toEqual([
      {
        msg: "another process holds the database's write lock (a paperboy ingest?): writes wait for it",
        waitedMs: undefined,
      },
      { msg: "the database's write lock is free: writes go on", waitedMs: 100 },
    ]);
  });

  it("ends a stretch its writes gave up on, saying so, and tells of the next lock met afresh", async () => {
    const { db, other } = twoConnections();
    const { clock, advance } = steppedClock();
    const lines: { level: number; msg: string; waitedMs?: number }[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const writable = createWritable(db, async () => {}, clock, log);
    other.exec("BEGIN IMMEDIATE");
    const first = [writable(), writable()];
    await new Promise(setImmediate);
    await advance(lockPatienceMs); // both go ahead, into a lock held 60 s: they fail
    await Promise.all(first);
    other.exec("COMMIT"); // freed with no write to see it
    await advance(10 * 60_000);
    other.exec("BEGIN IMMEDIATE"); // a later ingest of another process's
    const second = writable();
    await new Promise(setImmediate);
    await advance(50);
    other.exec("COMMIT");
    await advance(50);
    await second;
    const met =
      "another process holds the database's write lock (a paperboy ingest?): writes wait for it";
    expect(lines.map(({ level, msg, waitedMs }) => ({ level, msg, waitedMs }))).toEqual([
      { level: 30, msg: met, waitedMs: undefined },
      {
        level: 40,
        msg: "another process has held the database's write lock for 60 s: writes begin anyway, and fail if it is held 5 s more",
        waitedMs: lockPatienceMs,
      },
      { level: 30, msg: met, waitedMs: undefined },
      { level: 30, msg: "the database's write lock is free: writes go on", waitedMs: 100 },
    ]);
  });

  it("lets a write begin anyway once another connection has held the lock for lockPatienceMs", async () => {
    const { advance, waiting } = await aWriteBesideAnotherLock(); // its patience starts now
    await advance(lockPatienceMs - 50);
    expect(await settledNow(waiting)).toBe(false);
    await advance(50);
    expect(await settledNow(waiting)).toBe(true);
  });

  it("counts its patience from the other connection's lock, not from the bot's own ingest before it", async () => {
    const { db, other } = twoConnections();
    const { clock, advance } = steppedClock();
    const ingest = ownIngest();
    const writable = createWritable(db, ingest.idle, clock);
    const waiting = writable();
    await advance(lockPatienceMs); // a long ingest of the bot's own (100k papers and more)
    other.exec("BEGIN IMMEDIATE"); // then another process's, as it ends
    ingest.end();
    await advance(50);
    expect(await settledNow(waiting)).toBe(false);
    other.exec("COMMIT");
    await advance(50);
    expect(await settledNow(waiting)).toBe(true);
  });

  it("stops waiting once the database is closed (shutdown's grace over), for the write to fail as such", async () => {
    const { db, advance, waiting } = await aWriteBesideAnotherLock();
    db.close();
    await advance(50);
    await expect(waiting).resolves.toBeUndefined();
  });
});
