import { createRoundups } from "../bot/roundups.ts";
import type { Reply } from "../bot/types.ts";
import type { Config } from "../config.ts";
import { renderReply } from "../console/render.ts";
import { createConsoleRoundupPort } from "../console/roundup-port.ts";
import { createScreen } from "../console/screen.ts";
import { UserError } from "../errors.ts";
import { createLogger } from "../log.ts";
import type { Paperboy } from "../paperboy.ts";
import { count } from "../text/format.ts";
import { commandArgs, type Io, type Options } from "./args.ts";

export const roundupOptions = {
  "dry-run": { type: "boolean" },
  channel: { type: "string" },
} as const satisfies Options;

/**
 * `paperboy roundup --dry-run [--channel ID]`: what each subscription's next
 * roundup would post now, as text. Nothing is sent or recorded.
 */
export async function runRoundup(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const { values } = commandArgs(args, roundupOptions, { positionals: 0 });
  if (!values["dry-run"]) {
    throw new UserError(
      "roundup: only --dry-run is supported; `npm start` posts roundups on schedule.",
    );
  }
  const { subscriptions, runner } = createRoundups(
    app,
    createConsoleRoundupPort(createScreen(io.stdout)),
    createLogger(config),
  );
  const chosen = subscriptions
    .live()
    .filter((s) => values.channel === undefined || s.channelId === values.channel);
  if (chosen.length === 0) {
    io.stderr.write(
      values.channel === undefined
        ? "No subscriptions yet: admins create them with /subscribe.\n"
        : `No live subscription for channel ${values.channel}.\n`,
    );
    return values.channel === undefined ? 0 : 1;
  }
  const style = { color: io.stdout.isTTY === true };
  for (const subscription of chosen) {
    const draft = await runner.preview(subscription, new Date());
    io.stdout.write(
      `== channel ${subscription.channelId} (guild ${subscription.guildId}) · ${draft.localDate} · ${count(draft.papers.length, "paper")} · ${count(draft.messages.length, "message")}\n`,
    );
    if (subscription.status === "paused") {
      const why = subscription.statusReason ? ` ${subscription.statusReason}` : "";
      io.stdout.write(`(paused: nothing is posted until Paperboy can post there again.${why})\n`);
    }
    if (draft.messages.length === 0) io.stdout.write("(nothing would be posted)\n");
    for (const message of draft.messages) {
      io.stdout.write(`${renderReply(message.body as Reply, style).text}\n`);
    }
  }
  return 0;
}
