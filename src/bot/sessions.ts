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
 * The searches whose buttons still work, in memory: short ids fit in a custom
 * id, and a restart simply expires them (the user searches again).
 */
export function createSearchSessions(clock: Clock) {
  const sessions = new Map<string, SearchSession>();

  /** Forgets expired searches: the oldest first, as they expire in the order they started. */
  function prune(): void {
    const now = clock.now();
    for (const [id, session] of sessions) {
      if (session.expiresAt > now) break; // (a clock set back only delays forgetting: get() checks)
      sessions.delete(id);
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
      return session;
    },
    get(id: string): SearchSession | undefined {
      const session = sessions.get(id);
      return session && session.expiresAt > clock.now() ? session : undefined;
    },
  };
}

export type SearchSessions = ReturnType<typeof createSearchSessions>;
