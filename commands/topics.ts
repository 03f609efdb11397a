import { ApplicationCommandOptionType } from "discord.js";
import {
  adminDefaults,
  adminGuild,
  answerWithNotes,
  channelMeant,
  channelOption,
  quotedTopic,
  targetChannel,
  topicReadings,
  typedTopics,
} from "../src/bot/admin.ts";
import { limits, plain } from "../src/bot/limits.ts";
import { brandColor } from "../src/bot/render.ts";
import type { Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import {
  subscriptionLimits,
  type TopicsAdded,
  topicIdentity,
} from "../src/roundup/subscriptions.ts";
import { count } from "../src/text/format.ts";

const topicOption = (description: string, autocomplete: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  name: "topic",
  description,
  required: true,
  max_length: autocomplete ? subscriptionLimits.topicLength : 1000,
  autocomplete,
});

const listed = (topics: readonly string[]) => topics.map(quotedTopic).join(", ");

/**
 * What /topics add did with each topic given. Those already followed are named when others were
 * added or changed: "Added “b”." alone left the admin who typed "a, b" wondering whether "a" was
 * refused.
 */
function whatWasAdded({ added, requoted, already }: TopicsAdded): string {
  const was = already.length === 1 ? "was" : "were";
  const alreadyNamed = already.length ? `${listed(already)} ${was} already followed` : "";
  return [
    added.length ? `Added ${[listed(added), alreadyNamed].filter(Boolean).join("; ")}.` : "",
    ...requoted.map(({ from, to }) => `Changed ${quotedTopic(from)} to ${quotedTopic(to)}.`),
    added.length || !already.length
      ? ""
      : requoted.length
        ? `${alreadyNamed}.`
        : `${already.length === 1 ? "That topic was" : "Those topics were"} already followed.`,
  ]
    .filter(Boolean)
    .join(" ");
}

export const topics: Command = {
  ephemeral: true,
  writes: ["add", "remove"],
  definition: {
    name: "topics",
    description: "Add, remove or list the topics of a channel's roundup",
    ...adminDefaults,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "add",
        description: "Follow more topics in a channel's roundup",
        options: [
          channelOption("The channel with the roundup"),
          topicOption("Search phrases, separated by commas, e.g. LLM agents, retrieval", false),
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "remove",
        description: "Stop following a topic",
        options: [
          channelOption("The channel with the roundup"),
          topicOption("The topic to remove", true),
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "list",
        description: "The topics a channel's roundup follows",
        options: [channelOption("The channel with the roundup")],
      },
    ],
  },

  async run(context, invocation) {
    const guildId = adminGuild(invocation);
    const channelId = targetChannel(invocation);
    const store = context.roundups.subscriptions;
    const topic = String(invocation.options.topic ?? "");
    switch (invocation.subcommand) {
      case "add": {
        const result = store.addTopics(guildId, channelId, typedTopics(topic));
        const all = store.required(guildId, channelId).topics;
        const changed = [...result.added, ...result.requoted.map(({ to }) => to)];
        return answerWithNotes(
          () => `${whatWasAdded(result)} <#${channelId}> follows ${count(all.length, "topic")}.`,
          await topicReadings(context, changed),
        );
      }
      case "remove": {
        const followed = store.removeTopic(guildId, channelId, topic);
        if (followed === undefined) {
          throw new UserError(
            `<#${channelId}> does not follow ${quotedTopic(topic)}; see /topics list.`,
          );
        }
        const removed = `<#${channelId}> no longer follows ${quotedTopic(followed)}.`;
        // Without topics no roundup goes out, and a day whose time passes meanwhile is not
        // made up: an admin replacing the last topic must not find that out by its absence.
        if (store.required(guildId, channelId).topics.length > 0) return { content: removed };
        return {
          content: `${removed} It follows no topics now, so no roundup goes out until you add some with /topics add.`,
        };
      }
      case "list": {
        const followed = store.required(guildId, channelId).topics;
        if (followed.length === 0) {
          return {
            content: `<#${channelId}> follows no topics yet; add some with /topics add.`,
          };
        }
        // An embed: 25 topics of 100 characters are more than a message's 2,000.
        const lines = followed.map((t, i) => `${i + 1}. ${plain(t)}`);
        return {
          embeds: [
            {
              description: [
                `<#${channelId}> follows ${followed.length} of at most ${subscriptionLimits.topics} topics:`,
                ...lines,
              ].join("\n"),
              color: brandColor,
            },
          ],
        };
      }
      default:
        throw new UserError("Use /topics add, /topics remove or /topics list.");
    }
  },

  /**
   * Removing: the channel's own topics, filtered by what is typed. Before `channel:` is picked
   * (Discord lets options be filled in any order), those of the channel it is used in, the
   * likeliest meant: offering nothing looked as if the roundup followed nothing.
   */
  autocomplete(context, focused, invocation) {
    const channel = channelMeant(invocation);
    if (focused.name !== "topic" || invocation.subcommand !== "remove") return [];
    if (!invocation.guildId || !invocation.canManageGuild || !channel) return [];
    // Its words typed with or without the quotes the topic has.
    const typed = topicIdentity(focused.value);
    return (context.roundups.subscriptions.get(invocation.guildId, channel)?.topics ?? [])
      .filter((t) => topicIdentity(t).includes(typed))
      .slice(0, limits.choices)
      .map((t) => ({ name: t, value: t }));
  },
};
