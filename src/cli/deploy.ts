import { REST } from "discord.js";
import { commands } from "../../commands/index.ts";
import { type Config, ConfigError, isSnowflake } from "../config.ts";
import { discordProblem } from "../discord/problems.ts";
import { registerCommands } from "../discord/register.ts";
import { UserError } from "../errors.ts";
import type { Paperboy } from "../paperboy.ts";
import { commandArgs, type Io } from "./main.ts";

/** `paperboy deploy-commands [--guild ID]`: register the slash commands now, whether or not they changed. */
export async function runDeployCommands(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const { values } = commandArgs(args, { guild: { type: "string" } }, { positionals: 0 });
  if (values.guild !== undefined && !isSnowflake(values.guild)) {
    throw new UserError(`--guild: expected a server id (17–20 digits), got "${values.guild}"`);
  }
  if (!config.discordToken)
    throw new ConfigError(
      "DISCORD_TOKEN: needed to register commands; set it in the environment or .env",
    );
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(
    config.discordToken,
  );
  const guild =
    values.guild !== undefined
      ? { id: values.guild, setting: "--guild" }
      : config.discordGuildId !== undefined
        ? { id: config.discordGuildId, setting: "DISCORD_GUILD_ID" }
        : undefined;
  try {
    const application = (await rest.get("/applications/@me")) as { id: string };
    await registerCommands(
      rest,
      commands,
      { applicationId: application.id, guildId: guild?.id },
      app.meta,
      { force: true },
    );
  } catch (error) {
    throw new ConfigError(discordProblem(error, { apiUrl: config.discordApiUrl, guild }));
  }
  io.stdout.write(
    `Registered ${commands.length} commands ${guild ? `to server ${guild.id}` : "globally (may take up to an hour to show)"}.\n`,
  );
  return 0;
}
