import { adminDefaults, adminGuild, now } from "../src/bot/admin.ts";
import { limits } from "../src/bot/limits.ts";
import { brandColor } from "../src/bot/render.ts";
import { subscriptionLine } from "../src/bot/roundup-view.ts";
import type { Command } from "../src/bot/types.ts";
import { truncate } from "../src/text/format.ts";

export const subscriptions: Command = {
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
        ephemeral: true,
        content: "No roundups in this server yet; set one up with /subscribe.",
      };
    }
    const blocks = all.map((s) => subscriptionLine(s, outbox, at));
    return {
      ephemeral: true,
      embeds: [
        {
          title: `Roundups in this server (${all.length})`,
          description: truncate(blocks.join("\n\n"), limits.embedDescription),
          color: brandColor,
        },
      ],
    };
  },
};
