import { createHash } from "node:crypto";
import type { REST } from "discord.js";
import { Routes } from "discord.js";
import type { Command } from "../bot/types.ts";
import type { Meta } from "../store/meta.ts";

export interface RegisterTarget {
  applicationId: string;
  /** A server to register to (instant, for development); global otherwise. */
  guildId?: string | undefined;
}

/**
 * Registers the slash commands with one bulk overwrite — unless exactly these
 * definitions were registered to the same place before, so a restart costs no
 * API call. Returns whether it registered.
 */
export async function registerCommands(
  rest: REST,
  commands: readonly Command[],
  target: RegisterTarget,
  meta: Meta,
  { force = false } = {},
): Promise<boolean> {
  const body = commands.map((command) => command.definition);
  const scope = target.guildId ? `guild:${target.guildId}` : "global";
  const fingerprint = createHash("sha256")
    .update(JSON.stringify({ scope, app: target.applicationId, body }))
    .digest("hex");
  const key = `commands:${scope}`;
  if (!force && meta.get(key) === fingerprint) return false;
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  await rest.put(route, { body });
  meta.set(key, fingerprint);
  return true;
}
