import { describe, expect, it } from "vitest";
import {
  createSearchSessions,
  maxSessionsPerUser,
  sessionLifetimeMs,
} from "../../src/bot/sessions.ts";
import type { Clock } from "../../src/bot/types.ts";

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    schedule: () => ({ cancel() {} }),
    advance(ms) {
      now += ms;
    },
  };
}

const fields = (userId: string, query: string) => ({
  userId,
  query,
  hits: [],
  corrections: [],
  unmatched: [],
});

describe("search sessions", () => {
  it("keeps a search's pages for 10 minutes", () => {
    const clock = manualClock();
    const sessions = createSearchSessions(clock);
    const session = sessions.start(fields("1", "graphs"));
    clock.advance(sessionLifetimeMs - 1);
    expect(sessions.get(session.id)?.query).toBe("graphs");
    clock.advance(1);
    expect(sessions.get(session.id)).toBeUndefined();
  });

  it("keeps each member's latest searches only, however many they run", () => {
    const clock = manualClock();
    const sessions = createSearchSessions(clock);
    const other = sessions.start(fields("2", "kept"));
    const started = Array.from({ length: maxSessionsPerUser + 3 }, (_, i) => {
      clock.advance(1_000);
      return sessions.start(fields("1", `query ${i}`));
    });
    const kept = started.filter((session) => sessions.get(session.id) !== undefined);
    expect(kept).toHaveLength(maxSessionsPerUser);
    expect(kept).toEqual(started.slice(3));
    // Another member's search is not one of theirs to push out.
    expect(sessions.get(other.id)?.query).toBe("kept");
    // Expired ones are forgotten, and count no more: the member's next searches are all kept.
    clock.advance(sessionLifetimeMs);
    const later = Array.from({ length: maxSessionsPerUser }, (_, i) =>
      sessions.start(fields("1", `later ${i}`)),
    );
    expect(later.every((session) => sessions.get(session.id) !== undefined)).toBe(true);
  });
});
