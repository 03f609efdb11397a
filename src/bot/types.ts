import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
  ApplicationCommandOptionChoiceData,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import type { Searcher } from "../search/pool.ts";
import type { Paper } from "../store/papers.ts";
import type { Roundups } from "./roundups.ts";
import type { SearchSessions } from "./sessions.ts";

/** What a handler answers: a Discord message body as plain data, shown by Discord or the console alike. */
export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Only the person who asked sees it. */
  ephemeral?: boolean;
}

/** A component's answer: replace the message it is on, or send a new reply. */
export type ComponentReply = { update: Reply } | { reply: Reply };

export type OptionValue = string | number | boolean;

/** Who asked, where, and with what options; the same whether from Discord or the console. */
export interface Invocation {
  user: { id: string; name: string };
  guildId: string | null;
  /** Where it was used; in a thread, the channel the thread is in (threads have no roundups). */
  channelId: string | null;
  /** Whether the member may manage the server, as Discord computed it (the console's user may). */
  canManageGuild: boolean;
  /** "add" in `/topics add …`. */
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
}

export interface ComponentInvocation extends Omit<Invocation, "options"> {
  /** The parts of the custom id after the command name and action. */
  args: string[];
  /** Selected values, for select menus. */
  values: string[];
}

/** Time, injectable so tests never wait: `now` for expiries, `schedule` for later clean-ups. */
export interface Clock {
  now(): number;
  schedule(ms: number, task: () => void): { cancel(): void };
}

export interface BotContext {
  app: Paperboy;
  /** app.search and app.suggestTitles, off the event loop when the database allows it. */
  search: Searcher;
  /** app.papers.recent, remembered while the papers stay as they are. */
  recentPapers(limit: number): readonly Paper[];
  sessions: SearchSessions;
  clock: Clock;
  log: Logger;
  roundups: Roundups;
  /**
   * Resolves once a write can begin without waiting for the database's write lock, for it to
   * begin in that turn: the bot's own archive ingest is over, and no other process holds the
   * lock (`paperboy ingest`). Either holds it for a whole file (seconds for a big one), and a
   * write begun beside it waited for the lock in busy_timeout, holding the event loop and
   * every interaction with it for up to 5 s, then failed. See createWritable.
   */
  writable(): Promise<void>;
}

/**
 * A slash command: its definition as data (what is registered with Discord)
 * and its handlers. Components it posts carry custom ids
 * `<command>:<action>:<args…>` and are routed back to `components[action]`.
 */
export interface Command {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /**
   * Every answer to the command is only for its asker (admin commands, /help): the
   * dispatcher marks its replies ephemeral, and a slow one is deferred ephemerally, so
   * the channel never sees a "Paperboy is thinking…" for it.
   */
  ephemeral?: true;
  /**
   * Answering it writes to the database: every use of it (true; its components' too), or of
   * the subcommands listed. The dispatcher runs such an answer once `writable` resolves;
   * a handler that awaits something else (Discord) before it writes awaits `writable`
   * again first, as an ingest may have begun meanwhile.
   */
  writes?: true | readonly string[];
  /** May be async (posting a roundup): the Discord edge defers when an answer is slow. */
  run(context: BotContext, invocation: Invocation): Reply | Promise<Reply>;
  /** Never deferred: Discord drops choices not sent within 3 s, so keep it quick. */
  autocomplete?(
    context: BotContext,
    focused: { name: string; value: string },
    invocation: Invocation,
  ): ApplicationCommandOptionChoiceData[] | Promise<ApplicationCommandOptionChoiceData[]>;
  components?: Record<
    string,
    (
      context: BotContext,
      invocation: ComponentInvocation,
    ) => ComponentReply | Promise<ComponentReply>
  >;
}

export const realClock: Clock = {
  now: () => Date.now(),
  schedule(ms, task) {
    const timer = setTimeout(task, ms);
    timer.unref(); // a pending clean-up never keeps the process alive
    return { cancel: () => clearTimeout(timer) };
  },
};
