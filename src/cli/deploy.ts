import { REST } from "discord.js";
import { commands } from "../../commands/index.ts";
import { type Config, ConfigError, isSnowflake } from "../config.ts";
import { discordProblem } from "../discord/problems.ts";
import { registerCommands, removeCommands } from "../discord/register.ts";
import { UserError } from "../errors.ts";
import type { Paperboy } from "../paperboy.ts";
import { commandArgs, type Io, type Options } from "./args.ts";

export const deployOptions = {
  guild: { type: "string" },
  "remove-global": { type: "boolean" },
} as const satisfies Options;

/**
 * `paperboy deploy-commands [--guild ID [--remove-global]]`: register the slash
 * commands now, whether or not they changed, taking off the sets registered
 * earlier elsewhere as start-up does.
 */
export async function runDeployCommands(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const { values } = commandArgs(args, deployOptions, { positionals: 0 });
  if (values.guild !== undefined && !isSnowflake(values.guild)) {
    throw new UserError(`--guild: expected a server id (17–20 digits), got "${values.guild}"`);
  }
  const guild =
    values.guild !== undefined
      ? { id: values.guild, setting: "--guild" }
      : config.discordGuildId !== undefined
        ? { id: config.discordGuildId, setting: "DISCORD_GUILD_ID" }
        : undefined;
  const removeGlobal = values["remove-global"] === true;
  if (removeGlobal && !guild) {
    throw new UserError(
      "--remove-global: only with --guild ID (or DISCORD_GUILD_ID), the one server to keep the commands in",
    );
  }
  if (!config.discordToken)
    throw new ConfigError(
      "DISCORD_TOKEN: needed to register commands; set it in the environment or .env",
    );
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(
    config.discordToken,
  );
  const say = (line: string) => io.stdout.write(`${line}\n`);
  try {
    const application = (await rest.get("/applications/@me")) as { id: string };
    const registration = await registerCommands(
      rest,
      commands,
      { applicationId: application.id, guildId: guild?.id },
      app.meta,
      { force: true },
    );
    say(
      `Registered ${commands.length} commands ${guild ? `to server ${guild.id}` : "globally (may take up to an hour to show)"}.`,
    );
    for (const id of registration.cleared)
      say(`Removed the commands registered earlier to server ${id}.`);
    if (removeGlobal) {
      await removeCommands(rest, { applicationId: application.id }, app.meta);
      say("Removed the global commands: only that server lists them now.");
    } else if (registration.globalAlsoShown) {
      say(
        "The global commands registered earlier show there too, so that server lists each command twice; --remove-global removes them (from every server).",
      );
    }
  } catch (error) {
    const database = app.db.name;
    throw new ConfigError(discordProblem(error, { apiUrl: config.discordApiUrl, guild, database }));
  }
  return 0;
}
