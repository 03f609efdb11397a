import type { Reply } from "../bot/types.ts";
import type { RoundupPort } from "../roundup/runner.ts";
import { renderReply } from "./render.ts";
import type { Screen } from "./screen.ts";

/** The console's one channel (and server): `/subscribe channel: console …`. */
export const consoleChannel = "console";

/** What a command naming another channel is told: the console has no other. */
export const oneChannelOnly = `The console has one channel, \`${consoleChannel}\`: use channel: ${consoleChannel}.`;

/** Roundups in the console: printed to the terminal, in the console's one channel. */
export function createConsoleRoundupPort(screen: Pick<Screen, "print" | "color">): RoundupPort {
  let sent = 0;
  const style = { color: screen.color };
  return {
    serves: (guildId) => guildId === consoleChannel,
    async checkChannel(_guildId, channelId) {
      if (channelId === consoleChannel) return { ok: true };
      return {
        ok: false,
        problem: "gone",
        reason: oneChannelOnly,
      };
    },
    async send(_channelId, body) {
      screen.print(`${renderReply(body as Reply, style).text}\n`);
      sent += 1;
      return `console-${sent}`;
    },
    async tellStopped({ channelId, status, reason }) {
      screen.print(`Paperboy's daily roundup for #${channelId} is ${status}: ${reason}\n\n`);
    },
  };
}
