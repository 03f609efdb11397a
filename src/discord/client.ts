import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  Partials,
  RESTEvents,
} from "discord.js";
import type { Logger } from "pino";
import { createDispatcher } from "../bot/dispatcher.ts";
import type { BotContext, Clock, Command } from "../bot/types.ts";
import { type Config, ConfigError } from "../config.ts";
import type { InFlight } from "../in-flight.ts";
import type { Meta } from "../store/meta.ts";
import { createInteractionHandler } from "./interactions.ts";
import { discordProblem, NotReadyInTime, UnreadableAnswer } from "./problems.ts";
import { type Registration, registerCommands } from "./register.ts";
import { followServersForRoundups } from "./roundup-events.ts";
import { rejectLongMessageWaits } from "./roundup-port.ts";

/**
 * discord.js client options. `rest.api` only when DISCORD_API_URL is set:
 * discord.js spreads `rest` over its defaults, so `{ api: undefined }` would
 * erase the default base URL and break every REST call. A message post Discord asks to wait
 * long for is rejected, not waited for (rejectLongMessageWaits). Partial channels: an
 * interaction's channel, as Discord sends it with the interaction, is kept when the gateway
 * never told of it (a private thread the bot is not in), so its parent is known; otherwise
 * discord.js dropped it, and `/roundup preview` there said the thread had no roundup.
 */
export function clientOptions(config: Pick<Config, "discordApiUrl">): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds],
    partials: [Partials.Channel],
    rest: {
      ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
      rejectOnRateLimit: rejectLongMessageWaits,
    },
  };
}

/**
 * How long logging in may take, the gateway's handshake included: a firewall that lets
 * HTTPS to discord.com through but blocks the websocket would have discord.js try forever.
 */
export const readyTimeoutMs = 60_000;

export interface DiscordBotOptions {
  config: Config;
  commands: readonly Command[];
  /** The handlers' context; built once the client is ready, as roundups post through it. */
  context(client: Client<true>): BotContext;
  meta: Meta;
  clock: Clock;
  log: Logger;
  /**
   * Where the interactions being answered, and the re-checks of the servers Paperboy is in
   * (at start, or added back later), are tracked, for shutdown to let them finish; once it is
   * closing, interactions are turned away and servers added back are left for the next start.
   */
  inFlight?: InFlight;
  /**
   * What the record of the commands registered waits for (see BotContext.writable): written
   * in busy_timeout beside another process's ingest, it held the event loop for 5 s, then
   * failed, and start-up with it. Default: at once.
   */
  writable?: () => Promise<void>;
}

/**
 * Logs in, makes sure the commands are registered, and serves interactions.
 * A guild that removes the bot has its roundups paused until it is back.
 */
export async function startDiscordBot(options: DiscordBotOptions): Promise<Client<true>> {
  const { config, log } = options;
  const client = new Client(clientOptions(config));
  logClientEvents(client, log);
  // Listening from the start: discord.js hands over the interactions it held back until
  // ready as soon as it is ready, and more come while the commands are registered; with no
  // listener yet they were dropped, and Discord showed "The application did not respond".
  const early: Interaction[] = [];
  let handle: ((interaction: Interaction) => void) | undefined;
  client.on(Events.InteractionCreate, (interaction) => {
    if (handle) handle(interaction);
    else early.push(interaction);
  });

  let readyClient: Client<true>;
  let registration: Registration;
  try {
    readyClient = await loggedIn(client, config.discordToken, options.clock);
    // Before anything is served or scheduled, so a registration Discord refuses (a
    // DISCORD_GUILD_ID the bot is not in) stops start-up with one line, nothing to tear down.
    registration = await registerCommands(
      readyClient.rest,
      options.commands,
      { applicationId: readyClient.application.id, guildId: config.discordGuildId },
      options.meta,
      options.writable && { writable: options.writable },
    );
  } catch (error) {
    await client.destroy();
    const guild = config.discordGuildId
      ? { id: config.discordGuildId, setting: "DISCORD_GUILD_ID" }
      : undefined;
    const database = options.meta.file;
    throw new ConfigError(discordProblem(error, { apiUrl: config.discordApiUrl, guild, database }));
  }
  const context = options.context(readyClient);
  const answer = createInteractionHandler(
    options.commands,
    createDispatcher(options.commands, context),
    options.clock,
    log,
    options.inFlight?.closing,
  );
  handle = (interaction) => {
    const answering = answer(interaction);
    options.inFlight?.track(answering);
  };
  for (const interaction of early.splice(0)) handle(interaction);
  // Not waited for: re-checking the servers Paperboy is back in may wait on Discord (a notice
  // to a server, rate-limited), and until start-up is over npm start listens neither for
  // SIGTERM nor for the gateway's close. Shutdown lets each finish, as an interaction, and
  // starts none.
  followServersForRoundups(readyClient, context.roundups, options.clock, log, {
    writable: context.writable,
    ...(options.inFlight && { inFlight: options.inFlight }),
  });
  log.info(
    {
      user: readyClient.user.tag,
      guilds: readyClient.guilds.cache.size,
      commandsRegistered: registration.registered,
      ...(registration.cleared.length ? { commandsRemovedFrom: registration.cleared } : {}),
    },
    "discord bot ready",
  );
  if (registration.globalAlsoShown) {
    log.warn(
      { guild: config.discordGuildId },
      `the global commands registered earlier still show in server ${config.discordGuildId} beside its own, so it lists each command twice; ` +
        "`npx paperboy deploy-commands --remove-global` takes them off every server, or leave DISCORD_GUILD_ID out to go back to them",
    );
  }
  return readyClient;
}

/**
 * discord.js's own account of what it is doing, at the matching levels: LOG_LEVEL=debug shows
 * each try at the gateway (a failed connection is only a debug message to discord.js).
 */
function logClientEvents(client: Client, log: Logger): void {
  client.on(Events.Error, (error) => log.error({ err: error }, "discord client error"));
  client.on(Events.ShardError, (error, shard) =>
    log.error({ err: error, shard }, "discord gateway error"),
  );
  client.on(Events.Warn, (message) => log.warn({ message }, "discord client warning"));
  client.on(Events.Debug, (message) => log.debug({ message }, "discord client"));
  client.rest.on(RESTEvents.Debug, (message) => log.debug({ message }, "discord rest"));
}

/** Logs in and resolves once the client is ready; rejects with NotReadyInTime after readyTimeoutMs. */
function loggedIn(client: Client, token: string | undefined, clock: Clock): Promise<Client<true>> {
  return new Promise((resolve, reject) => {
    const timer = clock.schedule(readyTimeoutMs, () =>
      reject(new NotReadyInTime(readyTimeoutMs, client.ws.gateway)),
    );
    client.once(Events.ClientReady, (ready) => {
      timer.cancel();
      resolve(ready);
    });
    client.login(token).catch((error: unknown) => {
      timer.cancel();
      // discord.js reads the answers it expects without checking them: a web page where
      // Discord's JSON was due fails inside it as a TypeError.
      reject(error instanceof TypeError ? new UnreadableAnswer(error) : error);
    });
  });
}
