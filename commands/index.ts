import type { Command } from "../src/bot/types.ts";
import { help } from "./help.ts";
import { paper } from "./paper.ts";
import { search } from "./search.ts";
import { stats } from "./stats.ts";

/** Every slash command, in the order /help and registration list them. */
export const commands: readonly Command[] = [search, paper, stats, help];
