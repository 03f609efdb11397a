/**
 * What went wrong talking to Discord at start-up or `deploy-commands`, in one line
 * the operator can act on, instead of a stack trace. Never includes the token.
 */
export interface ProblemContext {
  /** DISCORD_API_URL, when set: named when Discord cannot be reached there. */
  apiUrl?: string | undefined;
  /** The server commands were being registered to, and the setting that named it. */
  guild?: { id: string; setting: string } | undefined;
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

export function discordProblem(error: unknown, context: ProblemContext): string {
  const { code, status, message, cause } = error as {
    code?: unknown;
    status?: unknown;
    message?: string;
    cause?: { code?: unknown };
  };
  if (code === "TokenInvalid" || status === 401) {
    return "DISCORD_TOKEN: Discord refused this token; copy it again from the Bot page of the developer portal";
  }
  const { guild } = context;
  if (guild && isNotInGuild(error)) {
    return (
      `${guild.setting}: the bot is not in server ${guild.id}; invite it there first ` +
      `(README, "Going online"), or leave ${guild.setting} out to register the commands globally`
    );
  }
  if (typeof status === "number") {
    return `Discord answered ${status}: ${message ?? "no reason given"}`;
  }
  const where = context.apiUrl ? ` at ${context.apiUrl} (DISCORD_API_URL)` : "";
  if (error instanceof NotReadyInTime) return notReady(error, where);
  const reason = typeof cause?.code === "string" ? `${message} (${cause.code})` : message;
  return `could not reach Discord${where}: ${reason ?? String(error)}`;
}

/** Registering to a server the bot is not in is Missing Access (50001) or Unknown Guild (10004). */
export function isNotInGuild(error: unknown): boolean {
  const { code } = error as { code?: unknown };
  return code === 50001 || code === 10004;
}

function notReady({ ms, gateway }: NotReadyInTime, where: string): string {
  const seconds = `${ms / 1000} s`;
  if (!gateway) return `Discord${where} did not answer within ${seconds}`;
  return (
    `could not connect to the Discord gateway at ${gateway} within ${seconds}: is its websocket ` +
    "blocked (a firewall or proxy that lets HTTPS through)? LOG_LEVEL=debug shows each try"
  );
}
