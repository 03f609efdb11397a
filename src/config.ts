import { homedir } from "node:os";
import { resolve } from "node:path";
import { withoutUrlCredentials } from "./text/format.ts";

/** Everything Paperboy can be told from the environment (and `.env`), validated. */
export interface Config {
  dbPath: string;
  archiveDir: string;
  discordToken: string | undefined;
  discordGuildId: string | undefined;
  discordApiUrl: string | undefined;
  /** Pull each day's Hugging Face daily papers list into the archive. */
  hfDaily: boolean;
  hfApiUrl: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Threads that run searches off the event loop; undefined: one per spare core (see createBotContext). */
  searchThreads: number | undefined;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** A Discord id (a snowflake): 17–20 digits. */
export const isSnowflake = (value: string): boolean => /^\d{17,20}$/.test(value);

/**
 * Reads the configuration from `env`. A wrong value throws a ConfigError whose
 * message names the variable and what is expected, for one clear line at start.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const token = optional(env.DISCORD_TOKEN);
  if (token !== undefined && /\s/.test(token)) {
    throw new ConfigError(
      "DISCORD_TOKEN: expected the bot token from the Discord developer portal, without spaces",
    );
  }
  const guildId = optional(env.DISCORD_GUILD_ID);
  if (guildId !== undefined && !isSnowflake(guildId)) {
    throw new ConfigError(
      `DISCORD_GUILD_ID: expected a server id (17–20 digits), got "${guildId}"`,
    );
  }
  const apiUrl = optional(env.DISCORD_API_URL);
  if (apiUrl !== undefined && !isHttpUrl(apiUrl)) {
    throw new ConfigError(
      `DISCORD_API_URL: expected an http(s) URL such as https://discord.com/api, got "${withoutUrlCredentials(apiUrl)}"`,
    );
  }
  // Quoted as written, not as compared: "YES" was said to be "yes".
  const hfDailyGiven = optional(env.PAPERBOY_HF_DAILY);
  const hfDaily = hfDailyGiven?.toLowerCase() ?? "off";
  if (!["on", "off"].includes(hfDaily)) {
    throw new ConfigError(`PAPERBOY_HF_DAILY: expected on or off, got "${hfDailyGiven}"`);
  }
  const hfApiUrl = optional(env.PAPERBOY_HF_API_URL) ?? "https://huggingface.co";
  if (!isHttpUrl(hfApiUrl)) {
    throw new ConfigError(
      `PAPERBOY_HF_API_URL: expected an http(s) URL such as https://huggingface.co, got "${withoutUrlCredentials(hfApiUrl)}"`,
    );
  }
  // The offline console's terminal is for its replies: only warnings and errors by default.
  // Any case, as PAPERBOY_HF_DAILY: LOG_LEVEL=INFO is how many other tools spell it.
  const logLevelGiven = optional(env.LOG_LEVEL);
  const logLevel = logLevelGiven?.toLowerCase() ?? (token ? "info" : "warn");
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL: expected one of ${logLevels.join(", ")}, got "${logLevelGiven}"`,
    );
  }
  const threads = optional(env.PAPERBOY_SEARCH_THREADS);
  if (threads !== undefined && !/^(?:[0-9]|1[0-6])$/.test(threads)) {
    throw new ConfigError(
      `PAPERBOY_SEARCH_THREADS: expected a whole number from 0 (search on the main thread) to 16, got "${threads}"`,
    );
  }
  return {
    dbPath: resolve(withHome(optional(env.PAPERBOY_DB) ?? "data/paperboy.db")),
    archiveDir: resolve(withHome(optional(env.PAPERBOY_ARCHIVE) ?? "data/archive")),
    discordToken: token,
    discordGuildId: guildId,
    discordApiUrl: apiUrl?.replace(/\/+$/, ""),
    hfDaily: hfDaily === "on",
    hfApiUrl: hfApiUrl.replace(/\/+$/, ""),
    logLevel: logLevel as Config["logLevel"],
    searchThreads: threads === undefined ? undefined : Number(threads),
  };
}

/**
 * A path with a leading `~` read as the home folder, as a shell reads it. No shell reads `.env`
 * (nor `--db=~/…`): `PAPERBOY_DB=~/paperboy.db` there made a folder named "~" in the working
 * folder, and the database in it.
 */
export function withHome(path: string): string {
  return path.replace(/^~(?=$|[/\\])/, homedir());
}

function optional(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
