import { type Client, Events, type Guild } from "discord.js";
import type { Logger } from "pino";
import type { Clock } from "../bot/types.ts";
import { isSnowflake } from "../config.ts";
import type { SubscriptionStore } from "../roundup/subscriptions.ts";
import { notInServer } from "./roundup-port.ts";

/** Why a server's roundups are paused while Paperboy is out of it: what resumes them. */
const removedFromServer = "Paperboy was removed from the server; add it again to resume.";

/**
 * Keeps the roundups in step with what the gateway says of servers and channels: a server
 * that removed Paperboy pauses its roundups until it is back; a deleted channel takes its
 * roundup with it.
 * A deleted channel never comes back, and /unsubscribe cannot name one, so its roundup,
 * only disabled, stayed listed in /subscriptions for good.
 */
export function followServersForRoundups(
  client: Client<true>,
  subscriptions: SubscriptionStore,
  clock: Clock,
  log: Logger,
): void {
  /** Thrown back into discord.js's gateway dispatch, an error would stop the process. */
  const guarded = (what: string, ids: Record<string, string>, act: () => void) => {
    try {
      act();
    } catch (error) {
      log.error({ err: error, ...ids }, `could not ${what}`);
    }
  };
  const forget = (guildId: string, channelId: string) => {
    if (subscriptions.forgetChannel(guildId, channelId))
      log.info({ guild: guildId, channel: channelId }, "roundup removed with its deleted channel");
  };
  /**
   * The roundups of channels a server no longer has, as a whole server's channels come (at
   * start, back from an outage, added again): deleted while Paperboy was not listening.
   * The gateway lists every channel of a server, those Paperboy may not view too.
   */
  const forgetDeleted = (guild: Guild) =>
    guarded("remove the roundups of deleted channels", { guild: guild.id }, () => {
      for (const { channelId } of subscriptions.forGuild(guild.id))
        if (!guild.channels.cache.has(channelId)) forget(guild.id, channelId);
    });

  /**
   * Paperboy is in the server (again): the roundups paused when it was removed resume now,
   * not on their next day's re-check, which left /subscriptions saying "add it again to
   * resume" to the admin who just had. At start too: it may have been added back while stopped.
   * Those a daily re-check found it out of the server since are paused for that: they resume too.
   */
  const resumeRemoved = (guild: Guild) =>
    guarded("resume the roundups of a guild that is back", { guild: guild.id }, () => {
      const reasons = [removedFromServer, notInServer];
      if (subscriptions.resumeGuild(guild.id, reasons, new Date(clock.now())))
        log.info({ guild: guild.id }, "roundups resumed: Paperboy is back in the server");
    });
  const arrived = (guild: Guild) => {
    forgetDeleted(guild);
    resumeRemoved(guild);
  };

  const pauseRemoved = (guildId: string) =>
    guarded("pause the roundups of a guild that left", { guild: guildId }, () =>
      subscriptions.pauseGuild(guildId, removedFromServer, new Date(clock.now())),
    );

  for (const guild of client.guilds.cache.values()) if (guild.available) arrived(guild);
  // Removed while Paperboy was stopped: no GUILD_DELETE came, and READY lists every server it
  // is in (those in an outage too), not that one. Its roundups were sent into refusals, and
  // paused as if a permission were missing. (The offline console's are no server's.)
  const servers = new Set(subscriptions.live().map((subscription) => subscription.guildId));
  for (const guildId of servers)
    if (isSnowflake(guildId) && !client.guilds.cache.has(guildId)) pauseRemoved(guildId);
  client.on(Events.GuildCreate, arrived);
  client.on(Events.GuildAvailable, forgetDeleted);
  client.on(Events.GuildDelete, (guild) => {
    if (guild.available !== false) pauseRemoved(guild.id); // not an outage: a removal
  });
  client.on(Events.ChannelDelete, (channel) => {
    if (channel.isDMBased()) return;
    const ids = { guild: channel.guildId, channel: channel.id };
    guarded("remove the roundup of a deleted channel", ids, () => forget(ids.guild, ids.channel));
  });
}
