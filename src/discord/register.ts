import { createHash } from "node:crypto";
import type { REST } from "discord.js";
import { Routes } from "discord.js";
import type { Command } from "../bot/types.ts";
import type { Meta } from "../store/meta.ts";
import { isNotInGuild } from "./problems.ts";

export interface RegisterTarget {
  applicationId: string;
  /** A server to register to (instant, for development); global otherwise. */
  guildId?: string | undefined;
}

export interface Registration {
  /** False when exactly these definitions were registered to the same place before. */
  registered: boolean;
  /** Servers whose set, registered there earlier, was taken off. */
  cleared: string[];
  /** Registered to a server while the global set registered earlier stays: that server lists each command twice. */
  globalAlsoShown: boolean;
}

/** "global" or "guild:<id>"; meta key `commands:<scope>` holds the fingerprint of what was registered there. */
const scopeOf = ({ guildId }: Pick<RegisterTarget, "guildId">) =>
  guildId ? `guild:${guildId}` : "global";
const metaKeyOf = (target: Pick<RegisterTarget, "guildId">) => `commands:${scopeOf(target)}`;
const guildKeyPrefix = "commands:guild:";

/**
 * Registers the slash commands with one bulk overwrite — unless exactly these
 * definitions were registered to the same place before, so a restart costs no
 * API call — then takes off the sets registered earlier to other servers:
 * Discord shows a server's own set beside the global one, so each command twice.
 * Registering to a server leaves the global set alone: other servers use it.
 */
export async function registerCommands(
  rest: REST,
  commands: readonly Command[],
  target: RegisterTarget,
  meta: Meta,
  {
    force = false,
    writable = async () => {},
  }: {
    force?: boolean;
    /**
     * What the record of a registration waits for: the bot's (BotContext.writable), beside
     * another process's ingest holding the write lock. Default: at once (paperboy deploy-commands).
     */
    writable?: () => Promise<void>;
  } = {},
): Promise<Registration> {
  const body = commands.map((command) => command.definition);
  const scope = scopeOf(target);
  const key = metaKeyOf(target);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ scope, app: target.applicationId, body }))
    .digest("hex");
  const registered = force || meta.get(key) !== fingerprint;
  if (registered) {
    await rest.put(commandsRoute(target), { body });
    await writable();
    meta.set(key, fingerprint);
  }
  const cleared: string[] = [];
  for (const earlier of meta.keysStartingWith(guildKeyPrefix)) {
    const guildId = earlier.slice(guildKeyPrefix.length);
    if (guildId === target.guildId) continue;
    await removeCommands(rest, { applicationId: target.applicationId, guildId }, meta, writable);
    cleared.push(guildId);
  }
  const globalAlsoShown = target.guildId !== undefined && meta.get(metaKeyOf({})) !== undefined;
  return { registered, cleared, globalAlsoShown };
}

/**
 * Takes Paperboy's commands off one place (a server, or globally) and forgets
 * they were there. A server the bot is no longer in shows none of them anyway.
 */
export async function removeCommands(
  rest: REST,
  target: RegisterTarget,
  meta: Meta,
  writable: () => Promise<void> = async () => {},
): Promise<void> {
  try {
    await rest.put(commandsRoute(target), { body: [] });
  } catch (error) {
    if (!(target.guildId && isNotInGuild(error))) throw error;
  }
  await writable();
  meta.delete(metaKeyOf(target));
}

function commandsRoute({ applicationId, guildId }: RegisterTarget) {
  return guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
}
