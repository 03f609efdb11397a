import {
  type APIApplicationCommandChannelOption,
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { UserError } from "../errors.ts";
import { parseTopics } from "../roundup/subscriptions.ts";
import type { TopicReading } from "../search/engine.ts";
import { asTyped } from "../text/format.ts";
import { quotingWord, withStraightQuotes } from "../text/quotes.ts";
import { words } from "../text/tokens.ts";
import { limits, plain } from "./limits.ts";
import { brandColor } from "./render.ts";
import type { BotContext, Invocation, Reply } from "./types.ts";

/** Admin commands: offered to Manage Server holders by default, and only in servers. */
export const adminDefaults: Pick<
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  "default_member_permissions" | "contexts"
> = {
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  // Servers only; Discord's `contexts` replaced the deprecated dm_permission.
  contexts: [InteractionContextType.Guild],
};

/** A text channel option (announcement channels are text channels too). */
export function channelOption(
  description: string,
  required = true,
): APIApplicationCommandChannelOption {
  return {
    type: ApplicationCommandOptionType.Channel,
    name: "channel",
    description,
    required,
    channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement],
  };
}

/**
 * The guild an admin command acts on. Checked here as well as by Discord's
 * default permissions, which a server can override for any role or member.
 */
export function adminGuild(invocation: Invocation): string {
  if (!invocation.guildId)
    throw new UserError("Roundups belong to a server: use this command in one.");
  if (!invocation.canManageGuild) {
    throw new UserError("Only members with the Manage Server permission can change roundups.");
  }
  return invocation.guildId;
}

/** The channel option, or the channel the command was used in; none when neither is known. */
export function channelMeant(invocation: Pick<Invocation, "options" | "channelId">): string | null {
  const channel = invocation.options.channel ?? invocation.channelId;
  return typeof channel === "string" && channel ? channel : null;
}

/** The channel an admin command acts on (see channelMeant). */
export function targetChannel(invocation: Invocation): string {
  const channel = channelMeant(invocation);
  if (!channel) throw new UserError("Pick a channel.");
  return channel;
}

/**
 * The topics typed in an option. Typing only spaces or separators is a mistake to
 * point out, not "no topics": `parseTopics` alone would quietly drop it.
 */
export function typedTopics(text: string): string[] {
  const topics = parseTopics(text);
  if (topics.length === 0) {
    throw new UserError(
      "A topic cannot be empty: type a search phrase, like `graph neural networks`, or several separated by commas.",
    );
  }
  return topics;
}

/**
 * What to tell an admin of the topics just given, on a search thread (a typo's corrections are
 * looked up in the whole vocabulary). How their typos are read, when any are: a topic is
 * searched every day, and a misreading ("modles" as "modules") would fill the roundup with the
 * wrong papers unseen. And the words no paper has yet: a topic with one matches nothing until
 * papers with it come in, and accepted without a word, a channel waited for roundups that
 * never came.
 */
export async function topicReadings(
  context: BotContext,
  topics: readonly string[],
): Promise<string[]> {
  if (topics.length === 0) return [];
  let readings: Awaited<ReturnType<BotContext["search"]["readTopics"]>>;
  try {
    readings = await context.search.readTopics(topics);
  } catch (error) {
    // The topics are saved by now: a failure to read them must not say the change failed.
    context.log.error({ err: error }, "could not read the topics just saved");
    return [];
  }
  const notes: string[] = [];
  const read = readWords(readings);
  if (read) notes.push(read);
  // One note for them all, as for the words no paper has: a note each, twenty topics left
  // /subscribe no room for the roundup's schedule.
  const broad = readings.filter((reading) => reading.broad !== undefined);
  if (broad.length) {
    const share = Math.floor(Math.min(...broad.map((reading) => reading.broad as number)) * 100);
    const its = broad.length === 1 ? "its" : "their";
    notes.push(
      `Every word of ${broad.map((reading) => quotedTopic(reading.topic)).join(", ")} is in ${share} % or more of the archive's papers: ${its} roundups take the best of a great many; a word that says what it is about narrows it, like \`graph neural networks\`.`,
    );
  }
  const untitled = await namedInNoTitle(
    context,
    readings.filter((reading) => reading.broad === undefined && reading.unknown.length === 0),
  );
  if (untitled.length) {
    const which = untitled.length === 1 ? "it" : "they";
    notes.push(
      `No title in the archive names ${untitled.map(quotedTopic).join(" or ")} yet: a roundup takes the papers whose titles have most of a topic's words, not those that only mention it, so ${which} will take papers titled so as they come in.`,
    );
  }
  const waiting = readings.filter((reading) => reading.unknown.length);
  if (waiting.length) {
    const unknown = [...new Set(waiting.flatMap((reading) => reading.unknown))];
    // "zorblax" is "it"; "graph zorblax" is named, as it is not the word no paper has.
    const alone = waiting.every((r) => words(r.topic).join(" ") === r.unknown.join(" "));
    const which = alone
      ? waiting.length === 1
        ? "it"
        : "they"
      : waiting.map((reading) => quotedTopic(reading.topic)).join(", ");
    notes.push(
      `No paper in the archive has ${unknown.map(quotedTopic).join(" or ")} yet; ${which} will match papers that come in with ${unknown.length === 1 ? "it" : "them"}.`,
    );
  }
  return notes;
}

/**
 * How the words of the topics were read as others, when any were, and how to keep one as typed:
 * in quotes, with an example to add again (`"surgical" robotics`: "surgical", in no paper of the
 * shipped archive yet, was read as "survival", and the admin could not keep it). /topics add
 * gives a topic followed already its new quotes.
 */
function readWords(readings: readonly TopicReading[]): string | undefined {
  const read = readings.flatMap(({ topic, corrections, alsoRead }) => [
    ...corrections.map((correction) => ({ topic, correction, too: "" })),
    // A word a paper or two has as typed is read as it too: those papers are not left out.
    ...alsoRead.map((correction) => ({ topic, correction, too: " too" })),
  ]);
  const [first] = read;
  if (!first) return undefined;
  // Each once: topics given together often share a word ("retreival, retreival models").
  const said = new Set(
    read.map(
      ({ correction: { from, to }, too }) =>
        `“${plain(from)}” as “${to.map(plain).join("” or “")}”${too}`,
    ),
  );
  const example = asTyped(quotingWord(first.topic, first.correction.from));
  const keep =
    new Set(read.map(({ correction }) => correction.from)).size === 1
      ? `to keep it as typed, put it in quotes and add the topic again with /topics add: ${example}`
      : `to keep a word as typed, put it in quotes and add its topic again with /topics add, like ${example}`;
  return `Read ${[...said].join(", ")}; ${keep}.`;
}

/**
 * The answer of /subscribe or /topics add: what was done (`lead`), then `notes` on the topics
 * given (see topicReadings), each whole. As a message's text while all of it fits in its 2,000
 * characters; else as an embed's description, which holds 4,096: cut at 2,000, 25 topics'
 * notes lost the topics named last, and what the admin should do about them ("…"). `lead(room)`
 * fits itself in `room` characters as it can (a roundup's topics are cut, never its schedule).
 */
export function answerWithNotes(lead: (room: number) => string, notes: readonly string[]): Reply {
  const after = notes.map((note) => `\n${note}`).join("");
  const whole = lead(Number.POSITIVE_INFINITY) + after;
  if (whole.length <= limits.content) return { content: whole };
  const description = lead(limits.embedDescription - after.length) + after;
  return { embeds: [{ description, color: brandColor }] };
}

/**
 * The topics of `readings` that no paper stored is about, by the roundups' rule (its title has
 * most of the topic): the shipped archive has "kv cache" and "llm agents" in abstracts only,
 * and a channel following them got "Nothing new" each day with nothing to say why. Empty when
 * that cannot be looked up: the topics are saved by then.
 */
async function namedInNoTitle(
  context: BotContext,
  readings: readonly TopicReading[],
): Promise<string[]> {
  const everyPaper = { start: "", end: now(context).toISOString() };
  try {
    const about = await Promise.all(
      readings.map(({ topic }) =>
        context.search.selectRoundupPapers({ topics: [topic], maxPapers: 1 }, everyPaper, none),
      ),
    );
    return readings.filter((_, i) => about[i]?.matched === 0).map(({ topic }) => topic);
  } catch (error) {
    context.log.error({ err: error }, "could not look for the papers of the topics just saved");
    return [];
  }
}
const none: ReadonlySet<number> = new Set();

/** Refuses a channel the bot cannot post a roundup in, saying why. */
export async function requirePostable(context: BotContext, guildId: string, channelId: string) {
  const access = await context.roundups.port.checkChannel(guildId, channelId);
  if (!access.ok) throw new UserError(access.reason);
}

export const now = (context: BotContext) => new Date(context.clock.now());

/**
 * A topic (or a word of one) as replies name it, between “ and ”, escaped; its own quote marks
 * straight, so that `“graph” mamba` typed on a phone reads “"graph" mamba”, not ““graph” mamba”.
 */
export const quotedTopic = (topic: string): string => `“${plain(withStraightQuotes(topic))}”`;
