import { REST } from "discord.js";
import { commands } from "../../commands/index.ts";
import { type Config, ConfigError } from "../config.ts";
import { registerCommands } from "../discord/register.ts";
import type { Paperboy } from "../paperboy.ts";
import { commandArgs, type Io } from "./main.ts";

/** `paperboy deploy-commands [--guild ID]`: register the slash commands now, whether or not they changed. */
export async function runDeployCommands(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const { values } = commandArgs(args, { guild: { type: "string" } });
  if (!config.discordToken)
    throw new ConfigError(
      "DISCORD_TOKEN: needed to register commands; set it in the environment or .env",
    );
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(
    config.discordToken,
  );
  const application = (await rest.get("/applications/@me")) as { id: string };
  const guildId = values.guild ?? config.discordGuildId;
  await registerCommands(rest, commands, { applicationId: application.id, guildId }, app.meta, {
    force: true,
  });
  io.stdout.write(
    `Registered ${commands.length} commands ${guildId ? `to server ${guildId}` : "globally (may take up to an hour to show)"}.\n`,
  );
  return 0;
}
