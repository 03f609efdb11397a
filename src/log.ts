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
 * Written asynchronously: a line per interaction never blocks the event loop on a slow
 * reader of stderr (a full pipe to a log collector). pino flushes what is still buffered
 * when the process exits, whether it ends, exits or crashes.
 */
export function createLogger(
  config: Pick<Config, "logLevel" | "discordToken">,
  destination: DestinationStream = pino.destination({ dest: 2, sync: false }),
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
