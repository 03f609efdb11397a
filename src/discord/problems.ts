import Database from "better-sqlite3";
import { GatewayCloseCodes } from "discord.js";
import { storageProblem } from "../store/db.ts";
import { isBusy, isStorageError } from "../store/ingest.ts";
import { withoutUrlCredentials } from "../text/format.ts";

/**
 * What went wrong talking to Discord at start-up or `deploy-commands`, in one line
 * the operator can act on, instead of a stack trace. Never includes the token, nor the
 * user:password of a DISCORD_API_URL (a proxy's), which the line names.
 */
export interface ProblemContext {
  /** DISCORD_API_URL, when set: named when Discord cannot be reached there. */
  apiUrl?: string | undefined;
  /** The server commands were being registered to, and the setting that named it. */
  guild?: { id: string; setting: string } | undefined;
  /** The database file the commands registered are recorded in. */
  database: string;
}

/** Logging in took longer than start-up waits; `gateway` is the websocket URL, once Discord gave it. */
export class NotReadyInTime extends Error {
  override name = "NotReadyInTime";
  constructor(
    readonly ms: number,
    readonly gateway: string | null,
  ) {
    super(`not ready within ${ms / 1000} s`);
  }
}

/** discord.js could not read an answer to logging in: not what Discord sends (a web page, say). */
export class UnreadableAnswer extends Error {
  override name = "UnreadableAnswer";
  constructor(cause: unknown) {
    super(`the answer to logging in could not be read (${(cause as Error).message})`, { cause });
  }
}

const tokenRefused =
  "DISCORD_TOKEN: Discord refused this token; copy it again from the Bot page of the developer portal";

/**
 * Why Discord ended the gateway connection for good, from its close code: discord.js
 * reconnects after every other one (and after these says so only at debug level).
 */
export function gatewayClosedProblem(code: number): string {
  if (code === GatewayCloseCodes.AuthenticationFailed) return tokenRefused;
  const name = GatewayCloseCodes[code];
  return `Discord closed the gateway connection for good (close code ${code}${name ? `, ${name}` : ""})`;
}

export function discordProblem(error: unknown, context: ProblemContext): string {
  return withoutUrlCredentials(problemWith(error, context));
}

const { SqliteError } = Database;

function problemWith(error: unknown, context: ProblemContext): string {
  // Recording the commands registered, not Discord: it was said to be unreachable.
  if (error instanceof SqliteError) {
    if (isBusy(error))
      return "the database stayed locked by another process (a paperboy ingest of a big file?) while the commands registered were recorded; try again once it is done";
    const failed = "the database could not record the commands registered";
    const { message } = error;
    return isStorageError(error)
      ? `${failed}: ${storageProblem(error, context.database)}`
      : `${failed} (${message})`;
  }
  const { code, status, message, cause, name } = error as {
    code?: unknown;
    status?: unknown;
    message?: string;
    cause?: { code?: unknown };
    name?: unknown;
  };
  if (code === "TokenInvalid" || status === 401) {
    return tokenRefused;
  }
  const { guild, apiUrl } = context;
  if (guild && isNotInGuild(error)) {
    return (
      `${guild.setting}: the bot is not in server ${guild.id}; invite it there first ` +
      `(README, "Going online"), or leave ${guild.setting} out to register the commands globally`
    );
  }
  if (apiUrl && isNotDiscord(error)) {
    return (
      `DISCORD_API_URL: ${apiUrl} does not answer as Discord's API does (${notDiscordBecause(error)}); ` +
      "set it to the API's base URL, such as https://discord.com/api (discord.js adds /v10 itself)"
    );
  }
  const where = apiUrl ? ` at ${apiUrl} (DISCORD_API_URL)` : "";
  if (error instanceof NotReadyInTime) return notReady(error, where);
  if (name === "AbortError") return `Discord${where} did not answer in time`;
  if (typeof status === "number") {
    return `Discord${where} answered ${status}: ${withoutStatus(message, status) || "no reason given"}`;
  }
  const reason = typeof cause?.code === "string" ? `${message} (${cause.code})` : message;
  return `could not reach Discord${where}: ${reason ?? String(error)}`;
}

/** Registering to a server the bot is not in is Missing Access (50001) or Unknown Guild (10004). */
export function isNotInGuild(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 50001 || code === 10004;
}

/**
 * What only a server other than Discord's API answers: a route it does not know (404 or
 * 405 without one of Discord's error codes: its own unknown route is "404: Not Found", code 0),
 * or an answer discord.js cannot read (a web page where JSON was due).
 */
function isNotDiscord(error: unknown): boolean {
  const { code, status } = error as { code?: unknown; status?: unknown };
  return ((status === 404 || status === 405) && !code) || error instanceof UnreadableAnswer;
}

function notDiscordBecause(error: unknown): string {
  const { status, message, method, url } = error as {
    status?: unknown;
    message?: string;
    method?: string;
    url?: string;
  };
  if (typeof status !== "number") return "it answered, but not with what Discord sends";
  return `${method} ${url} answered ${status} ${withoutStatus(message, status)}`.trimEnd();
}

/** Discord's own messages repeat the status ("404: Not Found"): once is enough. */
function withoutStatus(message: string | undefined, status: number): string {
  return (message ?? "").replace(new RegExp(`^${status}:\\s*`), "");
}

function notReady({ ms, gateway }: NotReadyInTime, where: string): string {
  const seconds = `${ms / 1000} s`;
  if (!gateway) return `Discord${where} did not answer within ${seconds}`;
  return (
    `could not connect to the Discord gateway at ${gateway} within ${seconds}: is its websocket ` +
    "blocked (a firewall or proxy that lets HTTPS through)? LOG_LEVEL=debug shows each try"
  );
}
