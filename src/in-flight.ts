import type { Clock } from "./bot/types.ts";

/** Promises counted as under way until they settle, and a wait for none to be. */
export function createUnderWay() {
  const running = new Set<Promise<unknown>>();
  return {
    /** Counts `work` as under way until it settles, fulfilled or not. */
    track(work: Promise<unknown>): void {
      const done = () => running.delete(work);
      running.add(work);
      work.then(done, done);
    },
    /** Resolves once nothing is under way (at once when nothing is), work begun meanwhile too. */
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled(running);
    },
  };
}

/**
 * Work under way that shutdown lets finish before the database is closed: a scheduler job,
 * an interaction being answered. /roundup now posts a roundup inside its interaction, and a
 * post Discord made while the database was closed under it was never recorded: after a
 * restart past Discord's few minutes of nonce memory, it was posted again.
 */
export function createInFlight() {
  const running = createUnderWay();
  const shutdown = new AbortController();
  return {
    /**
     * Aborted once shutdown has begun. Interactions keep coming until the connection closes,
     * after the grace: work they began then could be cut off by the database closing, as
     * above, so they start none.
     */
    closing: shutdown.signal,

    /** Shutdown has begun: see `closing`. */
    close(): void {
      shutdown.abort();
    },

    /** Counts `work` as under way until it settles, fulfilled or not. */
    track: running.track,

    /**
     * Resolves once nothing is under way, work begun meanwhile included, or once `graceMs`
     * have passed; true when it all ended.
     */
    async settled(graceMs: number, clock: Clock): Promise<boolean> {
      let timer: { cancel(): void } | undefined;
      const graceOver = new Promise<false>((resolve) => {
        timer = clock.schedule(graceMs, () => resolve(false));
      });
      const allEnded = running.idle().then(() => true);
      try {
        return await Promise.race([allEnded, graceOver]);
      } finally {
        timer?.cancel();
      }
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;
