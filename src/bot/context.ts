import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import type { RoundupPort } from "../roundup/runner.ts";
import { createRoundups } from "./roundups.ts";
import { createSearchSessions } from "./sessions.ts";
import type { BotContext, Clock } from "./types.ts";

/** What every command handler gets, the same for Discord, the console and tests. */
export function createBotContext(options: {
  app: Paperboy;
  clock: Clock;
  log: Logger;
  port: RoundupPort;
}): BotContext {
  const { app, clock, log, port } = options;
  return {
    app,
    clock,
    log,
    sessions: createSearchSessions(clock),
    roundups: createRoundups(app, port, log),
  };
}
