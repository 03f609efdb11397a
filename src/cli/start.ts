import { once } from "node:events";
import { Events } from "discord.js";
import { commands } from "../../commands/index.ts";
import { createBotContext } from "../bot/context.ts";
import { createDispatcher } from "../bot/dispatcher.ts";
import { type BotContext, realClock } from "../bot/types.ts";
import { type Config, ConfigError } from "../config.ts";
import { runConsole } from "../console/console.ts";
import { createConsoleRoundupPort } from "../console/roundup-port.ts";
import { createScreen } from "../console/screen.ts";
import { startDiscordBot } from "../discord/client.ts";
import { gatewayClosedProblem } from "../discord/problems.ts";
import { createDiscordRoundupPort } from "../discord/roundup-port.ts";
import { createInFlight } from "../in-flight.ts";
import { createLogger } from "../log.ts";
import type { Paperboy } from "../paperboy.ts";
import { createArchiveRefresher } from "../refresh.ts";
import { startScheduler } from "../scheduler.ts";
import { lockBot } from "../store/bot-lock.ts";
import type { IngestSummary } from "../store/ingest.ts";
import { count } from "../text/format.ts";
import { ingestOnThread } from "../threads/ingest.ts";
import { createWritable } from "../writable.ts";
import { commandArgs, type Io } from "./args.ts";
import { clearProgress, progressReporter } from "./progress.ts";
import { hearStopSignals, type StopSignal, stoppedExitCode, stoppedLines } from "./stop-signals.ts";

/**
 * How long a bot started on a database another bot serves waits for that one to stop: a
 * restart's old process may still be finishing its shutdown (5 s at most).
 */
const otherBotStopMs = 10_000;

/**
 * `npm start`: bring the archive up to date, then serve — as a Discord bot
 * with a token, as the offline console without one — with the roundup
 * scheduler running either way.
 */
export async function runStart(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  commandArgs(args, {}, { positionals: 0 });
  const log = createLogger(config);
  // A promise nobody awaited that fails (a library's, say) is logged; it must not stop the bot.
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));
  const clock = realClock;
  // Before anything else: a second bot on this database waits for the first to stop, or goes.
  const botLock =
    config.discordToken && !app.db.memory
      ? await lockBot(app.db.name, {
          waitMs: otherBotStopMs,
          onWait: () =>
            log.warn(
              { db: app.db.name },
              `another Paperboy bot is running on this database; waiting up to ${otherBotStopMs / 1000} s for it to stop`,
            ),
        })
      : undefined;
  // What stopping lets finish: the scheduler's jobs, and the interactions being answered.
  // Those that come once it has begun are turned away, a refresh's pull is given up, and its
  // ingest stops before its next file or 4 MiB part of one (see createArchiveRefresher).
  const inFlight = createInFlight();
  // Waits for the refresher's ingests, and the refresher's own write waits for it.
  const writable = createWritable(app.db, () => refresher.idle(), clock, log);
  // Off the event loop, so that answers go on while a big dump loads; the thread reads the
  // real clock, as this does. An in-memory database cannot be opened by another thread.
  const refresher = createArchiveRefresher(
    app,
    config,
    log,
    app.db.memory
      ? undefined
      : (paths, _now, onProgress, stopping) =>
          ingestOnThread(app.db.name, paths, onProgress, stopping),
    writable,
    inFlight.closing,
  );
  const now = () => new Date(clock.now());
  const { summary, heard } = await firstLoad(refresher, now, io, {
    online: Boolean(config.discordToken),
    shutDown: inFlight.close,
  });
  if (heard) {
    botLock?.release();
    io.stderr.write(stoppedLines(summary, heard, "npm start"));
    return stoppedExitCode(heard);
  }
  // Roundups start once there is somewhere to post them: the console, or a ready client.
  const schedule = (context: BotContext) =>
    startScheduler(
      {
        roundups: context.roundups.runner.tick,
        refreshArchive: () => refresher.refresh(now),
        archiveIdle: refresher.idle,
      },
      clock,
      log,
      inFlight,
    );

  if (!config.discordToken) {
    io.stderr.write(
      `Offline console: ${count(summary.filesRead, "archive file")}, ${count(app.stats().papers, "paper")}. Type /help, or exit.\n` +
        "To go online, set DISCORD_TOKEN (in the environment or .env) and run npm start again.\n",
    );
    const screen = createScreen(io.stdout);
    const context = createBotContext({
      app,
      clock,
      log,
      port: createConsoleRoundupPort(screen),
      searchThreads: config.searchThreads,
      writable,
    });
    const scheduler = schedule(context);
    await runConsole({
      context,
      dispatch: createDispatcher(commands, context),
      commands,
      input: io.stdin,
      screen,
      prompt: io.stdin === process.stdin && process.stdin.isTTY === true,
    });
    await scheduler.stop();
    await context.search.close();
    return 0;
  }

  let scheduler: ReturnType<typeof startScheduler> | undefined;
  let botContext: BotContext | undefined;
  const client = await startDiscordBot({
    config,
    commands,
    context: (ready) => {
      botContext = createBotContext({
        app,
        clock,
        log,
        port: createDiscordRoundupPort(ready, clock.now),
        searchThreads: config.searchThreads,
        writable,
      });
      scheduler = schedule(botContext);
      return botContext;
    },
    meta: app.meta,
    clock,
    log,
    inFlight,
    writable,
  });
  // Discord ending the connection for good (the token reset in the developer portal, say)
  // leaves nothing to serve: staying up would answer no one, and tell no one why.
  const ended = await Promise.race([
    once(process, "SIGINT").then(() => ({ signal: "SIGINT" })),
    once(process, "SIGTERM").then(() => ({ signal: "SIGTERM" })),
    once(client, Events.ShardDisconnect).then(([event]) => ({
      closed: (event as { code: number }).code,
    })),
  ]);
  if ("signal" in ended) log.info({ signal: ended.signal }, "shutting down");
  inFlight.close();
  await scheduler?.stop();
  await client.destroy();
  await botContext?.search.close();
  botLock?.release();
  if ("closed" in ended) throw new ConfigError(gatewayClosedProblem(ended.closed));
  return 0;
}

/**
 * The archive brought up to date before anything is served. Ctrl-C or SIGTERM meanwhile (a
 * first load takes 12 s at 100k papers) begins shutdown (`shutDown`), which stops the load
 * before its next file or part of one: killed, the process said nothing of what it kept.
 * `heard`: the signal, when one was.
 */
async function firstLoad(
  refresher: ReturnType<typeof createArchiveRefresher>,
  now: () => Date,
  io: Io,
  { online, shutDown }: { online: boolean; shutDown: () => void },
): Promise<{ summary: IngestSummary; heard?: StopSignal }> {
  const signals = hearStopSignals(io.stderr, shutDown);
  try {
    // The offline console logs warnings only: its operator sees a big first load as
    // `paperboy ingest` shows it, the line on a terminal taken off before any is logged.
    const summary = online
      ? await refresher.refresh(now)
      : await refresher.refresh(now, progressReporter(io.stderr, { eachFile: false }), () =>
          clearProgress(io.stderr),
        );
    return { summary, heard: signals.heard() };
  } finally {
    signals.release();
  }
}
