import { once } from "node:events";
import { commands } from "../../commands/index.ts";
import { createDispatcher } from "../bot/dispatcher.ts";
import { createSearchSessions } from "../bot/sessions.ts";
import { type BotContext, realClock } from "../bot/types.ts";
import type { Config } from "../config.ts";
import { runConsole } from "../console/console.ts";
import { startDiscordBot } from "../discord/client.ts";
import { createLogger } from "../log.ts";
import type { Paperboy } from "../paperboy.ts";
import { formatSummary } from "./ingest.ts";
import type { Io } from "./main.ts";

/**
 * `npm start`: bring the archive up to date, then serve — as a Discord bot
 * with a token, as the offline console without one.
 */
export async function runStart(
  app: Paperboy,
  _args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const log = createLogger(config);
  const summary = app.ingest([config.archiveDir]);
  if (summary.added + summary.updated + summary.filesFailed + summary.warnings > 0)
    io.stderr.write(formatSummary(summary));
  const context: BotContext = {
    app,
    sessions: createSearchSessions(realClock),
    clock: realClock,
    log,
  };
  const dispatch = createDispatcher(commands, context);

  if (!config.discordToken) {
    io.stderr.write(
      `Offline console: ${summary.files.length} archive files, ${app.stats().papers} papers. Type /help, or exit.\n` +
        "To go online, set DISCORD_TOKEN (in the environment or .env) and run npm start again.\n",
    );
    await runConsole({
      context,
      dispatch,
      commands,
      input: io.stdin,
      output: io.stdout,
      prompt: io.stdin === process.stdin && process.stdin.isTTY === true,
    });
    return 0;
  }
  const client = await startDiscordBot({
    config,
    commands,
    dispatch,
    meta: app.meta,
    clock: realClock,
    log,
  });
  const signal = await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  log.info({ signal }, "shutting down");
  await client.destroy();
  return 0;
}
