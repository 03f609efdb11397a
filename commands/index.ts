import type { Command } from "../src/bot/types.ts";
import { help } from "./help.ts";
import { paper } from "./paper.ts";
import { roundup } from "./roundup.ts";
import { search } from "./search.ts";
import { stats } from "./stats.ts";
import { subscribe } from "./subscribe.ts";
import { subscriptions } from "./subscriptions.ts";
import { topics } from "./topics.ts";
import { unsubscribe } from "./unsubscribe.ts";

/** Every slash command, in the order /help and registration list them. */
export const commands: readonly Command[] = [
  search,
  paper,
  stats,
  help,
  subscribe,
  unsubscribe,
  topics,
  roundup,
  subscriptions,
];
