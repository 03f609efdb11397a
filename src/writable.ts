import type { Logger } from "pino";
import type { Clock } from "./bot/types.ts";
import type { Db } from "./store/db.ts";
import { isBusy } from "./store/ingest.ts";

/** How often a write waiting for another connection's lock asks again. */
const pollMs = 50;

/**
 * How long a write waits for another connection's lock before it begins anyway, to wait in
 * busy_timeout and fail as it did before: a lock held that long is not an ingest ending soon
 * (100k papers take 12 s) but a stuck program, and a roundup's record of a posted message
 * should be tried, not held back for good.
 */
export const lockPatienceMs = 60_000;

/**
 * Whether a connection other than `db`'s holds the database's write lock right now, asked
 * without waiting: `db` takes the lock and gives it back at once, its busy_timeout off for it.
 * Call outside any transaction of `db`'s.
 */
export function writeLockTakenElsewhere(db: Db): () => boolean {
  const begin = db.prepare("BEGIN IMMEDIATE");
  const rollback = db.prepare("ROLLBACK");
  return () => {
    const timeout = db.pragma("busy_timeout", { simple: true }) as number;
    db.pragma("busy_timeout = 0");
    try {
      begin.run();
      rollback.run();
      return false;
    } catch (error) {
      if (isBusy(error)) return true;
      throw error;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
  };
}

/**
 * A wait for the moment a write on `db` can begin without waiting for the write lock: once
 * `ownIngestIdle` resolves (the bot's own archive ingest, on a thread of its own) and no other
 * connection holds the lock (`paperboy ingest` from another process, whose big file holds it
 * for seconds). Begun beside either, a write on the bot's event loop waited in busy_timeout,
 * holding the loop, every interaction and heartbeat with it, for up to 5 s, then failed.
 * The lock is asked after every `pollMs`, each wait on a timer of `clock`'s, so the event
 * loop is free meanwhile; after `lockPatienceMs` of another connection's lock, the write
 * begins anyway (see lockPatienceMs), as once the database is closed (shutdown, whose
 * grace is over), to fail as such. Resolves in the turn the write is to begin in.
 * `log` hears of each stretch of another connection's lock that writes waited for, once as
 * it is met and once as it is found free: else a start-up or a /subscribe waiting on it
 * looked like a hang, with nothing said why. A stretch whose writes all stopped waiting
 * without finding it free (their patience out, the database closed) is over too: the next
 * write to meet the lock is told of afresh, its `waitedMs` counted from then, not from a lock
 * met hours before, and whether it was freed meanwhile unknown.
 */
export function createWritable(
  db: Db,
  ownIngestIdle: () => Promise<void>,
  clock: Clock,
  log?: Logger,
) {
  const lockTaken = writeLockTakenElsewhere(db);
  const pause = () => new Promise<void>((resolve) => clock.schedule(pollMs, resolve));
  /** When the writes now waiting first met another connection's lock, if they did. */
  let lockMetAt: number | undefined;
  /** How many writes that met another connection's lock are waiting still. */
  let waiting = 0;
  const met = () => {
    if (lockMetAt !== undefined) return;
    lockMetAt = clock.now();
    log?.info(
      "another process holds the database's write lock (a paperboy ingest?): writes wait for it",
    );
  };
  const freed = () => {
    if (lockMetAt === undefined) return;
    log?.info(
      { waitedMs: clock.now() - lockMetAt },
      "the database's write lock is free: writes go on",
    );
    lockMetAt = undefined;
  };
  /** The last write waiting gives up on the lock (see lockPatienceMs): said once, at warn. */
  const wentAhead = () => {
    if (waiting > 1 || lockMetAt === undefined) return;
    const busyMs = db.pragma("busy_timeout", { simple: true }) as number;
    log?.warn(
      { waitedMs: clock.now() - lockMetAt },
      `another process has held the database's write lock for ${lockPatienceMs / 1000} s: writes begin anyway, and fail if it is held ${busyMs / 1000} s more`,
    );
  };
  return async function writable(): Promise<void> {
    /** When another connection's lock was first met: the bot's own ingest does not count. */
    let since: number | undefined;
    let counted = false;
    try {
      for (;;) {
        await ownIngestIdle();
        if (!db.open) return;
        if (!lockTaken()) return freed();
        if (!counted) {
          counted = true;
          waiting += 1;
        }
        met();
        since ??= clock.now();
        if (clock.now() - since >= lockPatienceMs) return wentAhead();
        await pause();
      }
    } finally {
      // The last write waiting is gone without finding the lock free: the stretch is over.
      if (counted && --waiting === 0) lockMetAt = undefined;
    }
  };
}
