import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import type { RoundupPort } from "../roundup/runner.ts";
import {
  createSearchPool,
  defaultSearchThreads,
  inProcessSearcher,
  type Searcher,
} from "../search/pool.ts";
import { databaseVersion } from "../store/db.ts";
import type { Paper } from "../store/papers.ts";
import { createRoundups } from "./roundups.ts";
import { createSearchSessions } from "./sessions.ts";
import type { BotContext, Clock } from "./types.ts";

/** What every command handler gets, the same for Discord, the console and tests. */
export function createBotContext(options: {
  app: Paperboy;
  clock: Clock;
  log: Logger;
  port: RoundupPort;
  /**
   * Threads that run searches off the event loop (see createSearchPool); 0 searches on the
   * calling thread. Default: one per spare core, at most four; 0 for an in-memory database,
   * which other threads cannot open.
   */
  searchThreads?: number;
  /** See BotContext.writable (createWritable). Default: at once, for tests that need no wait. */
  writable?: () => Promise<void>;
}): BotContext {
  const { app, clock, log, port, writable = async () => {} } = options;
  const search = createSearcher(app, log, options.searchThreads);
  return {
    app,
    clock,
    log,
    search,
    recentPapers: createRecentPapers(app),
    sessions: createSearchSessions(clock),
    roundups: createRoundups(app, port, log, search, writable),
    writable,
  };
}

function createSearcher(app: Paperboy, log: Logger, threads?: number): Searcher {
  const count = app.db.memory || !app.db.name ? 0 : (threads ?? defaultSearchThreads());
  if (count <= 0) return inProcessSearcher(app);
  return createSearchPool({ dbPath: app.db.name, threads: count, engine: app, log });
}

/**
 * app.papers.recent, remembered until the database changes: a commit by another connection
 * (data_version) or any change by this one (total_changes). Every /paper starts with it (the
 * autocomplete before anything is typed). It sorted the whole table then (35–140 ms at 41k
 * papers, after any write); it reads an index now (migration 4), and its 25 papers, abstracts
 * and all, are still not read again for each /paper while nothing changed.
 */
function createRecentPapers(app: Paperboy): BotContext["recentPapers"] {
  const currentVersion = databaseVersion(app.db);
  let kept: { version: string; limit: number; papers: readonly Paper[] } | undefined;
  return (limit) => {
    const version = currentVersion();
    if (kept?.version !== version || kept.limit !== limit) {
      kept = { version, limit, papers: app.papers.recent(limit) };
    }
    return kept.papers;
  };
}
