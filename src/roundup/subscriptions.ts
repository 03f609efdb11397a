import { UserError } from "../errors.ts";
import type { Db } from "../store/db.ts";
import { asTyped, truncate } from "../text/format.ts";
import { withoutQuoteMarks, wordsInQuotes } from "../text/quotes.ts";
import { stopwords } from "../text/stopwords.ts";
import { words } from "../text/tokens.ts";

export type Days = "every" | "weekdays";
export type SubscriptionStatus = "active" | "paused" | "disabled";

/** What an admin chooses for a channel's roundup. */
export interface Settings {
  time: string;
  timeZone: string;
  days: Days;
  maxPapers: number;
  postWhenEmpty: boolean;
}

export interface Subscription extends Settings {
  id: number;
  guildId: string;
  channelId: string;
  topics: string[];
  status: SubscriptionStatus;
  statusReason: string | null;
  statusSince: string | null;
  createdBy: string;
  createdAt: string;
}

export const subscriptionLimits = {
  topics: 25,
  topicLength: 100,
  maxPapers: 25,
} as const;

const defaultSettings: Settings = {
  time: "09:00",
  timeZone: "UTC",
  days: "every",
  maxPapers: 10,
  postWhenEmpty: false,
};

// The table's admins_told column (migration 3) is neither read nor written: nothing needs it.
const columns = `id, guild_id AS guildId, channel_id AS channelId, time, time_zone AS timeZone,
  days, max_papers AS maxPapers, post_when_empty AS postWhenEmpty, status,
  status_reason AS statusReason, status_since AS statusSince,
  created_by AS createdBy, created_at AS createdAt`;

type Row = Omit<Subscription, "topics" | "postWhenEmpty"> & { postWhenEmpty: number };

/**
 * A topic typed in single quotes: `'diffusion models'`. They mean nothing (double quotes keep
 * the words in them as typed: see src/text/quotes.ts), and the topic was another for them:
 * `diffusion models` was added beside it. An apostrophe within is a word's (`'rock 'n' roll'`).
 */
const inSingleQuotes = /^['‘’‚‹]\s*(.*?)\s*['‘’›]$/;

const tidySpaces = (text: string): string => text.replace(/\s+/g, " ").trim();

/** White space tidied and single quotes around it taken off: how a topic is stored. */
const tidyTopic = (text: string): string => tidySpaces(text).replace(inSingleQuotes, "$1");

/**
 * A topic as compared with another: in any case, and with its words in quotes or not. The same
 * words quoted otherwise are the same topic read otherwise, which /topics add changes in place
 * and /topics remove removes typed either way: a channel follows them once.
 */
export const topicIdentity = (topic: string): string =>
  tidySpaces(withoutQuoteMarks(tidyTopic(topic))).toLowerCase();

/** Which of a topic's words are in quotes, in any order (see `wordsInQuotes`). */
const quoting = (topic: string): string => [...wordsInQuotes(topic)].sort().join(" ");

/**
 * A topic as stored: white space tidied, single quotes around it taken off (double quotes kept:
 * they mean something), within the length limit, with at least one searchable word that is not
 * a stop word. Throws a UserError saying what to type otherwise.
 */
export function normalizeTopic(text: string): string {
  const topic = tidyTopic(text);
  if (!topic)
    throw new UserError(
      "A topic cannot be empty: type a search phrase, like `graph neural networks`.",
    );
  if (topic.length > subscriptionLimits.topicLength) {
    throw new UserError(
      `A topic is at most ${subscriptionLimits.topicLength} characters; ${asTyped(truncate(topic, 41))} is ${topic.length}.`,
    );
  }
  const typed = words(topic);
  if (typed.length === 0) {
    throw new UserError(`${asTyped(topic)} has no words to search for; use letters or digits.`);
  }
  // /search refuses such a query; as a topic it matched nearly every paper ("a" put every
  // title with "A" in the roundup).
  if (typed.every((word) => stopwords.has(word))) {
    throw new UserError(
      `${asTyped(topic)} has only words nearly every paper has, or words that only ask (“can you tell me about …”); add one that says what it is about, like \`graph neural networks\`.`,
    );
  }
  return topic;
}

/** "graph neural networks, diffusion; LLM agents" → three topics. */
export function parseTopics(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .filter((part) => part.trim())
    .map(normalizeTopic);
}

/** Topics that differ only in case (or quotes) as one, where first typed, in the spelling typed last. */
function distinct(topics: readonly string[]): string[] {
  return [...new Map(topics.map((t) => [topicIdentity(t), t])).values()];
}

/**
 * Refuses more topics than a channel may follow, given to /subscribe, which replace the
 * channel's. Refused as /topics add refuses them, a channel with topics was told "this one
 * has 0 … remove some with /topics remove", advice that could not help.
 */
function refuseTooMany(topics: readonly string[]): void {
  const given = distinct(topics).length;
  if (given > subscriptionLimits.topics) {
    throw new UserError(
      `A channel can follow at most ${subscriptionLimits.topics} topics, and \`topics\` gives ${given}; give at most ${subscriptionLimits.topics} (they replace the channel's topics).`,
    );
  }
}

/**
 * Subscriptions, always looked up through the guild that owns them: a guild can
 * neither see nor change another guild's, even knowing its channel ids.
 */
export function createSubscriptionStore(db: Db) {
  const selectByChannel = db.prepare(`SELECT ${columns} FROM subscriptions WHERE channel_id = ?`);
  const selectById = db.prepare(`SELECT ${columns} FROM subscriptions WHERE id = ?`);
  const selectByGuild = db.prepare(
    `SELECT ${columns} FROM subscriptions WHERE guild_id = ? ORDER BY created_at, id`,
  );
  const selectLive = db.prepare(
    `SELECT ${columns} FROM subscriptions WHERE status != 'disabled' ORDER BY id`,
  );
  const selectTopics = db
    .prepare("SELECT topic FROM subscription_topics WHERE subscription_id = ? ORDER BY position")
    .pluck();
  const insert = db.prepare(
    `INSERT INTO subscriptions (guild_id, channel_id, time, time_zone, days, max_papers,
       post_when_empty, created_by, created_at)
     VALUES (@guildId, @channelId, @time, @timeZone, @days, @maxPapers, @postWhenEmpty, @createdBy, @createdAt)`,
  );
  const update = db.prepare(
    `UPDATE subscriptions SET time = @time, time_zone = @timeZone, days = @days,
       max_papers = @maxPapers, post_when_empty = @postWhenEmpty WHERE id = @id`,
  );
  const insertTopic = db.prepare(
    `INSERT INTO subscription_topics (subscription_id, topic, position)
     VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM subscription_topics WHERE subscription_id = ?))
     ON CONFLICT DO NOTHING`,
  );
  const clearTopics = db.prepare("DELETE FROM subscription_topics WHERE subscription_id = ?");
  const deleteTopic = db.prepare(
    "DELETE FROM subscription_topics WHERE subscription_id = ? AND topic = ?",
  );
  const renameTopic = db.prepare(
    "UPDATE subscription_topics SET topic = ? WHERE subscription_id = ? AND topic = ?",
  );
  const deleteSubscription = db.prepare("DELETE FROM subscriptions WHERE id = ?");
  const deleteChannel = db.prepare(
    "DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?",
  );
  // A new reason for the same status keeps its since: paused since the first refusal.
  const updateStatus = db.prepare(
    `UPDATE subscriptions SET status = @status, status_reason = @reason,
       status_since = CASE WHEN status = @status THEN status_since ELSE @since END
     WHERE id = @id`,
  );
  const pauseAll = db.prepare(
    `UPDATE subscriptions SET status = 'paused', status_reason = ?, status_since = ?
     WHERE guild_id = ? AND status = 'active'`,
  );

  function hydrate(row: Row | undefined): Subscription | undefined {
    if (!row) return undefined;
    return {
      ...row,
      postWhenEmpty: row.postWhenEmpty === 1,
      topics: selectTopics.all(row.id) as string[],
    };
  }

  /**
   * The guild's subscription for a channel, if it has one. Another guild's is none of its
   * business, and answered as none: refused as "not in this server" while a channel without
   * a roundup was "no roundup", a channel id from another server told whether it had one.
   */
  function owned(guildId: string, channelId: string): Subscription | undefined {
    const found = selectByChannel.get(channelId) as Row | undefined;
    return found?.guildId === guildId ? hydrate(found) : undefined;
  }

  function required(guildId: string, channelId: string): Subscription {
    const found = owned(guildId, channelId);
    if (!found) {
      throw new UserError("That channel has no roundup; set one up with /subscribe.");
    }
    return found;
  }

  /**
   * Adds the topics the subscription does not follow. One it follows with its words quoted
   * otherwise takes their quotes, in its place: typed again with a word in quotes, as the reply
   * to /subscribe or /topics add suggests, to keep that word as typed.
   */
  function addTo(subscription: Subscription, topics: string[]): TopicsAdded {
    const followed = new Map(subscription.topics.map((topic) => [topicIdentity(topic), topic]));
    const added: string[] = [];
    const requoted: TopicsAdded["requoted"] = [];
    const already: string[] = [];
    for (const topic of distinct(topics)) {
      const before = followed.get(topicIdentity(topic));
      if (before === undefined) added.push(topic);
      else if (quoting(before) !== quoting(topic)) requoted.push({ from: before, to: topic });
      else already.push(topic);
    }
    if (subscription.topics.length + added.length > subscriptionLimits.topics) {
      throw new UserError(
        `A channel can follow at most ${subscriptionLimits.topics} topics; this one has ${subscription.topics.length} and this adds ${added.length}. Add fewer, or remove some with /topics remove.`,
      );
    }
    for (const topic of added) insertTopic.run(subscription.id, topic, subscription.id);
    for (const { from, to } of requoted) renameTopic.run(to, subscription.id, from);
    return { added, requoted, already };
  }

  return {
    get: owned,
    required,
    forGuild: (guildId: string): Subscription[] =>
      (selectByGuild.all(guildId) as Row[]).map((row) => hydrate(row) as Subscription),
    byId: (id: number): Subscription | undefined => hydrate(selectById.get(id) as Row | undefined),
    /** Every subscription that may still post (active, or paused and re-checked daily). */
    live: (): Subscription[] =>
      (selectLive.all() as Row[]).map((row) => hydrate(row) as Subscription),

    /**
     * Creates the channel's subscription, or changes the settings given. Topics given
     * become the channel's topics; none given leaves them as they are (/topics adds one).
     * Re-subscribing a disabled or paused channel makes it active again, unless the bot still
     * cannot post there (`cannotPost`, why): then its settings change, and its reason. IMMEDIATE, as
     * addTopics: a transaction that reads first and then finds another connection writing
     * (an ingest) fails at once, where one that asks for the write lock first waits for it.
     */
    subscribe: db.transaction(
      (
        guildId: string,
        channelId: string,
        changes: Partial<Settings> & {
          topics?: string[] | undefined;
          by: string;
          now: Date;
          /** Why the bot cannot post there now, when it cannot: see below. */
          cannotPost?: string;
        },
      ): { subscription: Subscription; created: boolean } => {
        const existing = owned(guildId, channelId);
        // A channel has one subscription: another server's channel is never taken over (the
        // Discord edge refuses such a channel before, as it is not the server's).
        if (!existing && selectByChannel.get(channelId)) {
          throw new UserError(
            "That channel is not in this server; pick one of this server's channels.",
          );
        }
        const { topics, by, now, cannotPost, ...given } = changes;
        const settings = { ...defaultSettings, ...existing, ...given };
        const values = { ...settings, postWhenEmpty: settings.postWhenEmpty ? 1 : 0 };
        let id: number;
        if (existing) {
          id = existing.id;
          update.run({ ...values, id });
          if (existing.status !== "active") {
            // Still blocked, it keeps its status for what blocks it now, as /subscribe says.
            const [status, reason] = cannotPost ? [existing.status, cannotPost] : ["active", null];
            updateStatus.run({ id, status, reason, since: now.toISOString() });
          }
        } else {
          const created = insert.run({
            ...values,
            guildId,
            channelId,
            createdBy: by,
            createdAt: now.toISOString(),
          });
          id = Number(created.lastInsertRowid);
        }
        if (topics !== undefined) {
          refuseTooMany(topics);
          clearTopics.run(id);
          addTo(hydrate(selectById.get(id) as Row) as Subscription, topics);
        }
        return {
          subscription: hydrate(selectById.get(id) as Row) as Subscription,
          created: !existing,
        };
      },
    ).immediate,

    unsubscribe(guildId: string, channelId: string): Subscription {
      const subscription = required(guildId, channelId);
      deleteSubscription.run(subscription.id);
      return subscription;
    },

    addTopics: db.transaction((guildId: string, channelId: string, topics: string[]) =>
      addTo(required(guildId, channelId), topics),
    ).immediate,

    /**
     * Removes a topic, in any case and its words quoted or not, as addTopics compares them; the
     * topic as the channel followed it (for the reply to name it so, not as typed), or undefined
     * when it did not. Found here, not by the column's NOCASE, which folds only ASCII letters.
     */
    removeTopic(guildId: string, channelId: string, topic: string): string | undefined {
      const subscription = required(guildId, channelId);
      const wanted = topicIdentity(topic);
      const stored = subscription.topics.find((t) => topicIdentity(t) === wanted);
      if (stored === undefined || deleteTopic.run(subscription.id, stored).changes === 0) return;
      return stored;
    },

    setStatus(id: number, status: SubscriptionStatus, reason: string | null, now: Date): void {
      updateStatus.run({ id, status, reason, since: now.toISOString() });
    },
    /**
     * A channel deleted in Discord: its roundup goes with it. A deleted channel never comes
     * back, and /unsubscribe could not name it: disabled, it stayed listed for good. True
     * when it had a roundup.
     */
    forgetChannel(guildId: string, channelId: string): boolean {
      return deleteChannel.run(guildId, channelId).changes > 0;
    },

    /** The bot left (or was removed from) the guild: hold its roundups until it is back. */
    pauseGuild(guildId: string, reason: string, now: Date): number {
      return pauseAll.run(reason, now.toISOString(), guildId).changes;
    },
  };
}

/** What adding topics did: each topic given (the same once) is in one of these. */
export interface TopicsAdded {
  /** Topics the subscription did not follow. */
  added: string[];
  /** Topics it followed with their words quoted otherwise, now quoted as given. */
  requoted: { from: string; to: string }[];
  /** Topics it followed as given (in any case). */
  already: string[];
}

export type SubscriptionStore = ReturnType<typeof createSubscriptionStore>;
