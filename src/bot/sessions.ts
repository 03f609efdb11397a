import { randomBytes } from "node:crypto";
import type { SearchHit } from "../search/engine.ts";
import type { Clock } from "./types.ts";

/** How long search buttons work; Discord's interaction tokens last 15 minutes. */
export const sessionLifetimeMs = 10 * 60 * 1000;

export interface SearchSession {
  id: string;
  userId: string;
  query: string;
  /** Every result, in rank order, so pages stay the same while paging. */
  hits: SearchHit[];
  corrections: { from: string; to: string[] }[];
  unmatched: string[];
  expiresAt: number;
}

/**
 * A member's searches whose pages are kept: a search holds every result's abstract (some
 * 40 KB), and a member scripting searches could otherwise fill memory for 10 minutes. Their
 * oldest search's buttons then say the search is over, as after 10 minutes.
 */
export const maxSessionsPerUser = 10;

/**
 * The searches whose buttons still work, in memory: short ids fit in a custom
 * id, and a restart simply expires them (the user searches again).
 */
export function createSearchSessions(clock: Clock) {
  const sessions = new Map<string, SearchSession>();
  /** Each member's kept searches' ids, oldest first. */
  const idsByUser = new Map<string, string[]>();

  /** Forgets a member's oldest search. */
  function forgetOldest(userId: string): void {
    const ids = idsByUser.get(userId) ?? [];
    sessions.delete(ids.shift() ?? "");
    if (ids.length === 0) idsByUser.delete(userId);
  }

  /** Forgets expired searches: the oldest first, as they expire in the order they started. */
  function prune(): void {
    const now = clock.now();
    for (const session of sessions.values()) {
      if (session.expiresAt > now) break; // (a clock set back only delays forgetting: get() checks)
      forgetOldest(session.userId); // this one: started before the member's others
    }
  }

  return {
    start(fields: Omit<SearchSession, "id" | "expiresAt">): SearchSession {
      prune();
      const session = {
        ...fields,
        id: randomBytes(6).toString("base64url"),
        expiresAt: clock.now() + sessionLifetimeMs,
      };
      sessions.set(session.id, session);
      const ids = idsByUser.get(session.userId) ?? [];
      idsByUser.set(session.userId, ids);
      ids.push(session.id);
      if (ids.length > maxSessionsPerUser) forgetOldest(session.userId);
      return session;
    },
    get(id: string): SearchSession | undefined {
      const session = sessions.get(id);
      return session && session.expiresAt > clock.now() ? session : undefined;
    },
  };
}

export type SearchSessions = ReturnType<typeof createSearchSessions>;
