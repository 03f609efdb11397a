import { ApplicationCommandOptionType } from "discord.js";
import {
  adminDefaults,
  adminGuild,
  answerWithNotes,
  channelOption,
  now,
  targetChannel,
  topicReadings,
  typedTopics,
} from "../src/bot/admin.ts";
import { wholeNumber } from "../src/bot/options.ts";
import { subscriptionBlocks } from "../src/bot/roundup-view.ts";
import type { Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { normalizeZone, parseTime, suggestZones } from "../src/roundup/schedule.ts";
import {
  type Days,
  type Settings,
  type SubscriptionStatus,
  subscriptionLimits,
} from "../src/roundup/subscriptions.ts";

/**
 * Why a roundup whose settings changed still does not go out, and what brings it back. A
 * paused or disabled one shows why above it, as stored with the change.
 */
function cannotPost(status: SubscriptionStatus, reason: string): string {
  return {
    active: `Paperboy cannot post there now, so its next roundup will not go out until that is fixed: ${reason}`,
    paused:
      "It stays paused until Paperboy can post there (it resumes by itself on a roundup day once fixed, or at once with /roundup now).",
    disabled:
      "It stays disabled until Paperboy can post there (then /roundup now or /subscribe restarts it).",
  }[status];
}

export const subscribe: Command = {
  ephemeral: true,
  writes: true,
  definition: {
    name: "subscribe",
    description:
      "Post a daily roundup of new papers on some topics in a channel (or change its settings)",
    ...adminDefaults,
    options: [
      channelOption("The text channel for the roundup"),
      {
        type: ApplicationCommandOptionType.String,
        name: "topics",
        description:
          "Search phrases, separated by commas (replacing any it has), e.g. graph neural networks",
        max_length: 1000,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "time",
        description: "When to post: HH:MM on a 24-hour clock, or with am/pm (default 09:00)",
        max_length: 10,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "timezone",
        description: "The time's zone, e.g. Europe/Paris (default UTC)",
        autocomplete: true,
        max_length: 64,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "days",
        description: "Every day (default) or Monday to Friday",
        choices: [
          { name: "every day", value: "every" },
          { name: "weekdays", value: "weekdays" },
        ],
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: "max",
        description: `Most papers per roundup (default 10, at most ${subscriptionLimits.maxPapers})`,
        min_value: 1,
        max_value: subscriptionLimits.maxPapers,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: "post_empty",
        description: "On a day with nothing new, say so (default: post nothing)",
      },
    ],
  },

  async run(context, invocation) {
    const guildId = adminGuild(invocation);
    const channelId = targetChannel(invocation);
    const { options } = invocation;
    const settings: Partial<Settings> = {};
    if (options.time !== undefined) {
      const { hour, minute } = parseTime(String(options.time));
      settings.time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
    }
    if (options.timezone !== undefined) settings.timeZone = normalizeZone(String(options.timezone));
    if (options.days !== undefined) {
      if (options.days !== "every" && options.days !== "weekdays")
        throw new UserError("`days` must be every or weekdays.");
      settings.days = options.days as Days;
    }
    if (options.max !== undefined) {
      settings.maxPapers = wholeNumber("max", options.max, 1, subscriptionLimits.maxPapers);
    }
    if (options.post_empty !== undefined) settings.postWhenEmpty = options.post_empty === true;
    const topics = options.topics === undefined ? undefined : typedTopics(String(options.topics));

    // This server's roundup there, if any: another server's channel has none here, and is refused
    // as not in this server by the check below, whether or not that server has a roundup in it.
    const existing = context.roundups.subscriptions.get(guildId, channelId);
    // A roundup is set up only where it can be posted. One already there keeps changing where
    // it cannot (yet), as /topics does: refused, a paused roundup's time could not be changed
    // until the permission it waited for was back.
    const access = await context.roundups.port.checkChannel(guildId, channelId);
    if (!access.ok && !existing) throw new UserError(access.reason);
    // While Discord answered, an archive refresh may have begun an ingest (see Command.writes).
    await context.writable();
    const at = now(context);
    const { subscription, created } = context.roundups.subscriptions.subscribe(guildId, channelId, {
      ...settings,
      topics,
      by: invocation.user.id,
      now: at,
      ...(access.ok ? {} : { cannotPost: access.reason }),
    });
    const hint = subscription.topics.length
      ? "Preview the next one with /roundup preview."
      : "It has no topics yet: add some with /topics add.";
    const heading = created ? "Subscribed. Daily roundup:" : "Roundup updated:";
    const blocked = access.ok ? [] : [cannotPost(subscription.status, access.reason)];
    // The topics as kept: of the same words given twice, quoted otherwise, the last.
    const kept = topics === undefined ? [] : subscription.topics;
    const notes = [...blocked, ...(await topicReadings(context, kept)), hint];
    // Long topics are cut, never the schedule and next run after them.
    return answerWithNotes(
      (room) =>
        `${heading}\n${subscriptionBlocks([subscription], context.roundups.outbox, at, room - heading.length - 1)}`,
      notes,
    );
  },

  autocomplete(_context, focused) {
    if (focused.name !== "timezone") return [];
    return suggestZones(focused.value).map((zone) => ({ name: zone, value: zone }));
  },
};
