import { ApplicationCommandOptionType } from "discord.js";
import {
  adminDefaults,
  adminGuild,
  channelOption,
  now,
  requirePostable,
  targetChannel,
} from "../src/bot/admin.ts";
import { plain } from "../src/bot/limits.ts";
import { previewReply } from "../src/bot/roundup-view.ts";
import type { Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { count } from "../src/text/format.ts";

const channel = channelOption("The channel with the roundup (default: this one)", false);

export const roundup: Command = {
  ephemeral: true,
  writes: ["now"],
  definition: {
    name: "roundup",
    description: "See or post a channel's next roundup",
    ...adminDefaults,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "preview",
        description: "Only you see it: what would be posted next, and why each paper matched",
        options: [channel],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "now",
        description: "Post the roundup now (it counts as today's)",
        options: [channel],
      },
    ],
  },

  async run(context, invocation) {
    const guildId = adminGuild(invocation);
    const channelId = targetChannel(invocation);
    const subscription = context.roundups.subscriptions.required(guildId, channelId);
    const at = now(context);
    if (invocation.subcommand === "preview") {
      return previewReply(
        await context.roundups.runner.preview(subscription, at),
        context.app.papers.get,
      );
    }
    if (invocation.subcommand !== "now")
      throw new UserError("Use /roundup preview or /roundup now.");
    await requirePostable(context, guildId, channelId);
    const posted = await context.roundups.runner.postNow(subscription, at);
    // A roundup of several messages can stop after some are posted: the admin sees those.
    const { sent, refused, total } = context.roundups.outbox.progress(posted.id);
    const part = `Part of the roundup (${sent} of ${count(total, "message")}) was posted in <#${channelId}>`;
    // Messages Discord refused as they were (AutoMod) are not among those a retry sends: said
    // whether the rest went out or waits for a retry, else the admin expected them later.
    const refusals = [...new Set(context.roundups.outbox.refusals(posted.id))].map(plain);
    const notAgain = refused
      ? `; Discord refused ${refused === 1 ? "one message, which is" : `${refused} messages, which are`} not sent again: ${refusals.join("; ")}`
      : "";
    const said = {
      sent: refused ? `${part}${notAgain}.` : `Posted today's roundup in <#${channelId}>.`,
      skipped: `Nothing new on <#${channelId}>'s topics, so nothing was posted (today counts as done).`,
      sending: `${sent ? `${part}; the rest` : `The roundup for <#${channelId}> could not be posted yet; it`} will be retried (${posted.lastError ?? "Discord did not answer"})${notAgain}.`,
      // All refused, the error is the refusal already.
      failed: `${sent ? `${part}; the rest could not be` : `The roundup could not be posted in <#${channelId}>`}: ${posted.lastError ?? "unknown reason"}${refused < total ? notAgain : ""}.`,
    }[posted.status];
    // Resumed by the check that let it post (a refusal since pauses it again).
    const after = context.roundups.subscriptions.byId(subscription.id)?.status;
    const resumed =
      subscription.status !== "active" && after === "active"
        ? ` The roundup was ${subscription.status} and is active again: the next ones come on schedule.`
        : "";
    return { content: said + resumed };
  },
};
