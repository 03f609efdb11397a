import { type Client, Events, type Guild } from "discord.js";
import type { Logger } from "pino";
import type { Roundups } from "../bot/roundups.ts";
import type { Clock } from "../bot/types.ts";
import { isSnowflake } from "../config.ts";
import type { InFlight } from "../in-flight.ts";
import { notInServer } from "./roundup-port.ts";

/** Why a server's roundups are paused while Paperboy is out of it: what resumes them. */
const removedFromServer = "Paperboy was removed from the server; add it again to resume.";

/**
 * Keeps the roundups in step with what the gateway says of servers and channels: a server
 * that removed Paperboy pauses its roundups until it is back; a deleted channel takes its
 * roundup with it. Returns once it follows them, without waiting for its writes or the
 * re-checks of the servers Paperboy is in (at start, or added back later), which may wait on
 * Discord: each is tracked in `inFlight` (it never rejects: what fails is logged), for
 * shutdown to let it finish. Once shutdown has begun (`inFlight.closing`), a server added
 * back is not re-checked: the database could close under the re-check, a server told of a
 * missing permission and the telling not recorded; the next start re-checks every server
 * Paperboy is in.
 * A deleted channel never comes back, and /unsubscribe cannot name one, so its roundup,
 * only disabled, stayed listed in /subscriptions for good.
 * Each write waits for `writable` (see BotContext.writable), in the order the gateway told
 * of them, and is tracked in `inFlight` too.
 */
export function followServersForRoundups(
  client: Client<true>,
  { subscriptions, runner }: Pick<Roundups, "subscriptions" | "runner">,
  clock: Clock,
  log: Logger,
  { writable = async () => {}, inFlight }: { writable?: () => Promise<void>; inFlight?: InFlight },
): void {
  /**
   * The writes asked for so far, one after the other: a server removed then added back must
   * be paused before its re-check reads what is paused, or it stayed paused while back.
   */
  let written = Promise.resolve();
  /** Thrown back into discord.js's gateway dispatch, an error would stop the process. */
  const guarded = (what: string, ids: Record<string, string>, act: () => void) => {
    written = written.then(async () => {
      try {
        await writable();
        act();
      } catch (error) {
        log.error({ err: error, ...ids }, `could not ${what}`);
      }
    });
    inFlight?.track(written);
  };
  const forget = (guildId: string, channelId: string) => {
    if (subscriptions.forgetChannel(guildId, channelId))
      log.info({ guild: guildId, channel: channelId }, "roundup removed with its deleted channel");
  };
  /**
   * The roundups of channels a server no longer has, as a whole server's channels come (at
   * start, back from an outage, added again): deleted while Paperboy was not listening.
   * The gateway lists every channel of a server, those Paperboy may not view too.
   * Its channels are read as they are once the write can begin: a server that removed
   * Paperboy meanwhile has none left in discord.js's cache, and every roundup of it was
   * deleted, not paused (added back since, it is another Guild, its channels listed anew).
   */
  const forgetDeleted = ({ id: guildId }: Guild) =>
    guarded("remove the roundups of deleted channels", { guild: guildId }, () => {
      const channels = client.guilds.cache.get(guildId)?.channels.cache;
      if (!channels) return; // removed: its removal pauses them
      for (const { channelId } of subscriptions.forGuild(guildId))
        if (!channels.has(channelId)) forget(guildId, channelId);
    });

  /**
   * Paperboy is in the server (again): the roundups paused when it was removed are re-checked
   * now, not on their next day's re-check, which left /subscriptions saying "add it again to
   * resume" to the admin who just had. At start too: it may have been added back while stopped.
   * Those a daily re-check found it out of the server since are paused for that, and are
   * re-checked too: among them, one paused for a missing permission before the removal stays
   * paused, saying what is missing.
   */
  const resumeRemoved = async (guild: Guild) => {
    try {
      await written;
      const reasons = [removedFromServer, notInServer];
      const { checked, resumed } = await runner.recheckPausedFor(
        guild.id,
        reasons,
        new Date(clock.now()),
      );
      if (checked)
        log.info({ guild: guild.id, checked, resumed }, "roundups re-checked: Paperboy is back");
    } catch (error) {
      log.error(
        { err: error, guild: guild.id },
        "could not resume the roundups of a guild that is back",
      );
    }
  };
  const arrived = (guild: Guild) => {
    forgetDeleted(guild);
    if (inFlight?.closing.aborted) return;
    const recheck = resumeRemoved(guild);
    inFlight?.track(recheck);
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
