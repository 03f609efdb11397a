import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config.ts";
import { withoutUrlCredentials } from "./text/format.ts";

/**
 * An interaction's token in a REST path (`/interactions/<id>/<token>/callback`, or
 * `/webhooks/<application>/<token>/…` after a defer): for 15 minutes it lets anyone answer
 * as the bot, and discord.js's errors carry the URL. Its debug lines (LOG_LEVEL=debug) name
 * a webhook's queue `<hash>:<application>/<token>` too, and its "Major parameter: …" the same.
 */
const interactionToken = /((?:\/(?:interactions|webhooks)\/|:\s*)\d{17,20}\/)[^/?"\s\\\]]+/g; // not into a JSON escape

/**
 * Structured JSON logs on stderr (stdout belongs to the console and CLI output).
 * The bot token, interaction tokens and the user:password of URLs (a DISCORD_API_URL through
 * an authenticating proxy, in every discord.js error's `url`) are scrubbed from every line,
 * wherever a library might have put them.
 * The bot's are written asynchronously: a line per interaction never blocks the event loop
 * on a slow reader of stderr (a full pipe to a log collector). pino flushes what is still
 * buffered when the process exits, whether it ends, exits or crashes. Without a token (the
 * offline console, the CLI) they are written at once: their operator reads them between the
 * console's own lines, and a warning of the first ingest, written a moment later, landed on
 * the console's prompt.
 */
export function createLogger(
  config: Pick<Config, "logLevel" | "discordToken">,
  destination: DestinationStream = stderr({ sync: config.discordToken === undefined }),
): Logger {
  const token = config.discordToken;
  return pino(
    {
      level: config.logLevel,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        streamWrite: (line) => {
          const scrubbed = withoutUrlCredentials(line.replace(interactionToken, "$1[redacted]"));
          return token ? scrubbed.replaceAll(token, "[redacted]") : scrubbed;
        },
      },
    },
    destination,
  );
}

/**
 * stderr, written asynchronously, where a write that fails (stderr a file on a full or failing
 * disk) loses lines, not the bot. pino let the failure through as an uncaught error, which ended
 * the process at its first line; and its flush of the lines still buffered at exit retried a
 * failing write forever (sonic-boom's flushSync), so the process never ended. A write that fails
 * is tried again with the next line, and the lines go on once there is room; at exit, after a
 * write failed and none went through since, what is buffered is left unwritten.
 */
function stderr({ sync }: { sync: boolean }): DestinationStream {
  const stream = pino.destination({ dest: 2, sync });
  let failing = false;
  stream.on("error", () => {
    failing = true;
  });
  stream.on("write", () => {
    failing = false;
  });
  const flushSync = stream.flushSync.bind(stream);
  stream.flushSync = () => {
    if (!failing) flushSync();
  };
  return stream;
}
