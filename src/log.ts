import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";

/**
 * Structured JSON logs on stderr (stdout belongs to the console and CLI output).
 * The bot token is scrubbed from every line, wherever a library might have put it.
 */
export function createLogger(config: Pick<Config, "logLevel" | "discordToken">): Logger {
  const token = config.discordToken;
  return pino(
    {
      level: config.logLevel,
      formatters: { level: (label) => ({ level: label }) },
      hooks: token ? { streamWrite: (line) => line.replaceAll(token, "[redacted]") } : {},
    },
    pino.destination(2),
  );
}
