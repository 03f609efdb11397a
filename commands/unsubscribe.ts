import { adminDefaults, adminGuild, channelOption, targetChannel } from "../src/bot/admin.ts";
import type { Command } from "../src/bot/types.ts";

export const unsubscribe: Command = {
  ephemeral: true,
  writes: true,
  definition: {
    name: "unsubscribe",
    description: "Stop a channel's daily roundup (its topics and settings are deleted)",
    ...adminDefaults,
    options: [channelOption("The channel whose roundup to stop")],
  },

  run(context, invocation) {
    const guildId = adminGuild(invocation);
    const removed = context.roundups.subscriptions.unsubscribe(guildId, targetChannel(invocation));
    return {
      content: `<#${removed.channelId}> gets no more roundups. /subscribe sets one up again.`,
    };
  },
};
