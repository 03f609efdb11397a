import { ApplicationCommandOptionType } from "discord.js";
import {
  adminDefaults,
  adminGuild,
  channelOption,
  now,
  requirePostable,
  targetChannel,
  topicReadings,
  typedTopics,
} from "../src/bot/admin.ts";
import { limits } from "../src/bot/limits.ts";
import { wholeNumber } from "../src/bot/options.ts";
import { subscriptionBlocks } from "../src/bot/roundup-view.ts";
import type { Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { normalizeZone, parseTime, suggestZones } from "../src/roundup/schedule.ts";
import { type Days, type Settings, subscriptionLimits } from "../src/roundup/subscriptions.ts";
import { truncate } from "../src/text/format.ts";

export const subscribe: Command = {
  ephemeral: true,
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
        description: "When to post, HH:MM on a 24-hour clock (default 09:00)",
        max_length: 5,
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

    // Looked up first so another guild's channel is refused before anything else is said about it.
    context.roundups.subscriptions.get(guildId, channelId);
    await requirePostable(context, guildId, channelId);
    const at = now(context);
    const { subscription, created } = context.roundups.subscriptions.subscribe(guildId, channelId, {
      ...settings,
      topics,
      by: invocation.user.id,
      now: at,
    });
    const hint = subscription.topics.length
      ? "Preview the next one with /roundup preview."
      : "It has no topics yet: add some with /topics add.";
    const heading = created ? "Subscribed. Daily roundup:" : "Roundup updated:";
    const notes = [...(await topicReadings(context, topics ?? [])), hint].map((note) =>
      truncate(note, limits.content / 4),
    );
    // Long topics are cut, never the schedule and next run after them.
    const room = limits.content - heading.length - notes.join("\n").length - 2;
    return {
      content: [
        heading,
        subscriptionBlocks([subscription], context.roundups.outbox, at, room),
        ...notes,
      ].join("\n"),
    };
  },

  autocomplete(_context, focused) {
    if (focused.name !== "timezone") return [];
    return suggestZones(focused.value).map((zone) => ({ name: zone, value: zone }));
  },
};
