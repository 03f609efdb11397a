import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";

/**
 * Structured JSON logs on stderr (stdout belongs to the console and CLI output).
 * The bot token is scrubbed from every line, wherever a library might have put it.
 * Written asynchronously: a line per interaction never blocks the event loop on a slow
 * reader of stderr (a full pipe to a log collector). pino flushes what is still buffered
 * when the process exits, whether it ends, exits or crashes.
 */
export function createLogger(config: Pick<Config, "logLevel" | "discordToken">): Logger {
  const token = config.discordToken;
  return pino(
    {
      level: config.logLevel,
      formatters: { level: (label) => ({ level: label }) },
      hooks: token ? { streamWrite: (line) => line.replaceAll(token, "[redacted]") } : {},
    },
    pino.destination({ dest: 2, sync: false }),
  );
}
