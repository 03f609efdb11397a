import { adminDefaults, adminGuild, now } from "../src/bot/admin.ts";
import { limits } from "../src/bot/limits.ts";
import { brandColor } from "../src/bot/render.ts";
import { subscriptionBlocks } from "../src/bot/roundup-view.ts";
import type { Command } from "../src/bot/types.ts";

export const subscriptions: Command = {
  ephemeral: true,
  definition: {
    name: "subscriptions",
    description: "This server's roundups: channel, topics, next run, last delivery, status",
    ...adminDefaults,
  },

  run(context, invocation) {
    const guildId = adminGuild(invocation);
    const { outbox } = context.roundups;
    const at = now(context);
    const all = context.roundups.subscriptions.forGuild(guildId);
    if (all.length === 0) {
      return {
        content: "No roundups in this server yet; set one up with /subscribe.",
      };
    }
    return {
      embeds: [
        {
          title: `Roundups in this server (${all.length})`,
          description: subscriptionBlocks(all, outbox, at, limits.embedDescription),
          color: brandColor,
        },
      ],
    };
  },
};
