import { setImmediate as nextTurn } from "node:timers/promises";
import type { Logger } from "pino";
import { UserError } from "../errors.ts";
import type { Outbox, PlannedMessage, Roundup } from "./outbox.ts";
import { dueDate, formatLocal, localDate, nextRun, servedUntil } from "./schedule.ts";
import type { RoundupSelection, RoundupWindow, SelectedPaper } from "./select.ts";
import type { Subscription, SubscriptionStore } from "./subscriptions.ts";

/** What a roundup would hold: the papers, and the messages that carry them. */
export interface RoundupDraft {
  subscription: Subscription;
  localDate: string;
  window: RoundupWindow;
  papers: SelectedPaper[];
  /** How many papers matched in all: more than `papers` when there were more than it takes. */
  matched: number;
  messages: PlannedMessage[];
  /** Set when it is a roundup waiting for a retry: its messages still to send, as planned. */
  retry?: { lastError: string | null };
}

export type ChannelAccess =
  | { ok: true }
  | { ok: false; problem: "gone" | "forbidden"; reason: string };

/** How roundups reach a channel: Discord, or the console's terminal. */
export interface RoundupPort {
  /**
   * Whether it posts in that server at all: the console only in its own, Discord in real
   * servers. Both may use one database, and each leaves the other's roundups alone.
   */
  serves(guildId: string): boolean;
  /** Whether the bot can post the roundup in the channel, and if not, why. */
  checkChannel(guildId: string, channelId: string): Promise<ChannelAccess>;
  /** Posts a message; the nonce lets the platform drop a repeat after a crash. Returns its id. */
  send(channelId: string, body: unknown, nonce: string): Promise<string>;
  /** Tells a guild's admins that a channel's roundup stopped, and why, where it can. */
  tellStopped(stopped: StoppedRoundup): Promise<void>;
}

export interface StoppedRoundup {
  guildId: string;
  channelId: string;
  status: "paused" | "disabled";
  reason: string;
}

/**
 * How a send failed: the channel is gone, Paperboy may not post there, the message itself
 * was refused as it is (AutoMod, an invalid body: sent again, it would be refused again), or
 * it may go through later.
 */
export type DeliveryProblem = "gone" | "forbidden" | "refused" | "transient";

/** A send that failed in a way the runner acts on; anything else counts as transient. */
export class DeliveryError extends Error {
  override name = "DeliveryError";
  constructor(
    readonly problem: DeliveryProblem,
    message: string,
    /** The platform's own answer (Discord's JSON error code and message), for the log. */
    readonly answer?: { code: number | string; message: string },
    /** For a transient one: how long the platform asked to wait before the next try. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface RoundupRunnerOptions {
  subscriptions: SubscriptionStore;
  outbox: Outbox;
  /**
   * The papers for a subscription's window, best first, none already posted to its channel;
   * and how many matched.
   */
  select(subscription: Subscription, window: RoundupWindow): RoundupSelection;
  /**
   * What `select` answers, worked out off the event loop (on a search thread). After a big
   * ingest a first roundup's window is the whole archive, and choosing its papers took the
   * bot's event loop 0.1–0.3 s at 41k papers. Default: `select`, here and now.
   */
  selectAside?(subscription: Subscription, window: RoundupWindow): Promise<RoundupSelection>;
  /**
   * What changes whenever the database does, as the stores' connection sees it: a commit by
   * another connection, a write by this one. Given, a roundup's papers are chosen aside
   * before its planning transaction and planned as chosen only if this is the same inside it;
   * otherwise they are chosen again there. Without it, they are chosen in the transaction.
   */
  databaseVersion?(): unknown;
  /** The messages for a roundup; no messages when there is nothing to post. */
  render(draft: Omit<RoundupDraft, "messages">): PlannedMessage[];
  port: RoundupPort;
  log: Logger;
  /**
   * Runs `work` in one write transaction, begun IMMEDIATE (the stores above share the
   * database): it waits for another process's ingest to commit rather than running beside it.
   */
  transaction<T>(work: () => T): T;
  /**
   * Resolves once a write can begin without waiting for the database's write lock (see
   * BotContext.writable). Awaited before each run of code here that writes, with nothing
   * else awaited between it and the write: begun beside an ingest, a write waited for its
   * lock in busy_timeout, holding the event loop for up to 5 s, then failed. Default: at once.
   */
  writable?(): Promise<void>;
}

/** What /roundup now says while the channel's roundup is on its way. */
const beingSent = "That channel's roundup is being sent right now.";
/** Why a day of a subscription without topics was missed, as recorded. */
const noTopicsMissed = "no topics";
/** What /roundup now says of a roundup with nothing to look for. */
const noTopics = "That channel's roundup follows no topics yet: add some with /topics add.";

/** A first roundup also covers the day before its subscription was set up. */
const firstWindowMs = 24 * 60 * 60 * 1000;
const firstRetryMs = 60 * 1000;
const longestRetryMs = 60 * 60 * 1000;

/**
 * Plans and delivers roundups. `tick(now)` runs every minute: it resumes roundups
 * left half-sent (a crash, a Discord outage), then plans and sends those due.
 * Paused subscriptions are re-checked once a day and resume on their own.
 */
export function createRoundupRunner(options: RoundupRunnerOptions) {
  const { subscriptions, outbox, port, log } = options;
  const writable = options.writable ?? (async () => {});
  let ticking = false;
  /** Roundups being sent right now (by a tick or /roundup now): never two senders at once. */
  const delivering = new Set<number>();
  /**
   * What Discord answered to messages whose record of it then failed (a full disk, a database
   * gone read-only), by nonce: the id of the message posted, or the refusal of one it refused
   * as it was. The next try records that instead of sending the message again: sent again, a
   * message is a repeat to Discord only within its few minutes of nonce memory (a tick a
   * minute while the disk stayed full posted it again every few minutes), and one AutoMod
   * blocks alerts the server's moderators again each time.
   */
  const unrecorded = new Map<string, string | DeliveryError>();

  /**
   * Where the next roundup's window starts: where the latest one ended if it was delivered,
   * where it began if not (failed), so its unposted papers are not lost (those of a message
   * Discord refused as it was are not chosen again: see Outbox.doneWith). Each roundup thus
   * starts where the one before left off, and one that replaced another (a quiet day, an old
   * zone's date) keeps its place. Before any, a day before the subscription was set up, so
   * the first roundup, whenever it comes (the next Monday for one set up on a Friday), has
   * everything since.
   */
  function windowStart(subscription: Subscription): string {
    const latest = outbox.latest(subscription.id);
    if (!latest) return new Date(Date.parse(subscription.createdAt) - firstWindowMs).toISOString();
    return latest.status === "sent" || latest.status === "skipped"
      ? latest.windowEnd
      : latest.windowStart;
  }

  const selectAside =
    options.selectAside ??
    (async (subscription: Subscription, window: RoundupWindow) =>
      options.select(subscription, window));

  /** The window of the subscription's next roundup, if planned `now`. */
  const nextWindow = (subscription: Subscription, now: Date): RoundupWindow => ({
    start: windowStart(subscription),
    end: now.toISOString(),
  });

  function draftOf(
    subscription: Subscription,
    date: string,
    window: RoundupWindow,
    { papers, matched }: RoundupSelection,
  ): RoundupDraft {
    const base = { subscription, localDate: date, window, papers, matched };
    return { ...base, messages: options.render(base) };
  }

  /** A roundup's papers chosen aside, and the state of the database they were chosen in. */
  interface AsideChoice {
    version: unknown;
    selection: RoundupSelection;
  }

  /**
   * The papers of the subscription's next roundup if planned `now`, chosen off the event
   * loop, with the database's version read in the same turn as the window and the channel's
   * posted papers; none without a `databaseVersion`.
   */
  async function chooseAside(
    subscription: Subscription,
    now: Date,
  ): Promise<AsideChoice | undefined> {
    if (!options.databaseVersion) return undefined;
    const version = options.databaseVersion();
    // As it is in the database: the caller's copy may predate a /subscribe that changed it.
    const current = subscriptions.byId(subscription.id);
    if (!current) return undefined;
    return { version, selection: await selectAside(current, nextWindow(current, now)) };
  }

  /**
   * The roundup's draft, in the planning transaction: with the papers chosen aside if nothing
   * was written since (the same window, posted papers, subscription and archive), else chosen
   * again here, so a paper an ingest committed meanwhile is not lost, nor one posted
   * meanwhile sent again.
   */
  function draft(
    subscription: Subscription,
    date: string,
    now: Date,
    aside: AsideChoice | undefined,
  ): RoundupDraft {
    const window = nextWindow(subscription, now);
    const unchanged = aside !== undefined && aside.version === options.databaseVersion?.();
    const selection = unchanged ? aside.selection : options.select(subscription, window);
    return draftOf(subscription, date, window, selection);
  }

  /**
   * What is left of a roundup waiting for a retry: the messages planned and not yet sent,
   * and their papers with why each matched (its window selected again: unposted, they are
   * chosen again; one of a topic removed since is in the messages only).
   */
  async function retryDraft(subscription: Subscription, roundup: Roundup): Promise<RoundupDraft> {
    const messages = outbox.unsent(roundup.id).map(({ body, paperIds }) => ({ body, paperIds }));
    const unsent = new Set(messages.flatMap((message) => message.paperIds));
    const window = { start: roundup.windowStart, end: roundup.windowEnd };
    const selected = await selectAside(subscription, window);
    const papers = selected.papers.filter((p) => unsent.has(p.paperId));
    const retry = { lastError: roundup.lastError };
    // What is left to send is all that is said of it (see previewReply).
    const matched = papers.length;
    return { subscription, localDate: roundup.localDate, window, papers, matched, messages, retry };
  }

  /** The local date on which a roundup was planned, in the subscription's zone now. */
  const plannedOn = (roundup: Roundup, subscription: Subscription) =>
    localDate(Date.parse(roundup.plannedAt), subscription.timeZone);

  /** Whether `roundup` was sent on `day`, a local date in the subscription's zone now. */
  const sentThatDay = (roundup: Roundup | undefined, subscription: Subscription, day: string) =>
    roundup?.status === "sent" && plannedOn(roundup, subscription) === day;

  /** Whether the subscription's roundup of `today` (its local date) was sent: today is done. */
  const sentOn = (subscription: Subscription, today: string) =>
    sentThatDay(outbox.latest(subscription.id), subscription, today);

  /**
   * /roundup now on a day whose roundup was sent: the user is told when the next comes, as
   * the schedule has it ("tomorrow" was wrong on a Friday of a weekdays roundup).
   */
  function refuseIfSent(subscription: Subscription, today: string, now: Date): void {
    if (sentOn(subscription, today)) {
      const next = formatLocal(nextRun(subscription, now, today), subscription.timeZone);
      throw new UserError(
        `Today's roundup for that channel is already sent; the next one comes ${next}.`,
      );
    }
  }

  /**
   * Frees `date` for a new roundup, once its window is drafted (where a replaced roundup
   * ended is where the new one starts). A day that posted nothing gives way, and so does
   * another zone's roundup of that date (moved from Auckland to London, Auckland's of the
   * 25th went out on London's 24th). One sent on that day in this zone never does.
   */
  function makeRoom(subscription: Subscription, date: string): void {
    const taken = outbox.forDate(subscription.id, date);
    if (!taken) return;
    if (sentThatDay(taken, subscription, date))
      throw new Error(`subscription ${subscription.id} was sent its roundup of ${date} already`);
    outbox.discard(taken.id);
  }

  /**
   * Records a roundup in one write transaction, its papers chosen aside first (see `draft`).
   * An ingest stamps its papers first seen once it holds the write lock (src/store/ingest.ts),
   * so its papers are either committed before the transaction, or stamped after this
   * window's end: never lost between two windows, whichever process ingests.
   * `dateDue` decides again, in the transaction, from the subscription as it is then, which
   * date it is planned for, if any still: a command or another tick may have planned, sent,
   * changed or removed it while its papers were being chosen. Nothing planned: undefined.
   */
  async function plan(
    subscription: Subscription,
    now: Date,
    dateDue: (current: Subscription) => string | null,
  ): Promise<Roundup | undefined> {
    const aside = await chooseAside(subscription, now);
    await writable();
    return options.transaction(() => {
      const current = subscriptions.byId(subscription.id);
      const date = current && dateDue(current);
      if (!current || !date) return undefined;
      // Its unsent papers are not posted yet: a roundup planned beside it would choose them
      // again. (A tick planned it while /roundup now's papers were being chosen.)
      if (outbox.pending(current.id)) throw new UserError(beingSent);
      const { window, messages } = draft(current, date, now, aside);
      makeRoom(current, date);
      return outbox.plan({
        subscriptionId: current.id,
        localDate: date,
        windowStart: window.start,
        windowEnd: window.end,
        messages,
        now,
      });
    });
  }

  /**
   * Stops a subscription, saying why, and tells its server. `alongside` is the write that
   * found it must stop (the roundup given up, the day recorded as missed): both in one
   * transaction, so a failure between them never leaves a day given up on a subscription
   * still shown as active, its server never told. Call in the turn of a `writable()`.
   */
  async function stop(
    subscription: Subscription,
    status: "paused" | "disabled",
    reason: string,
    now: Date,
    alongside: () => void,
  ): Promise<void> {
    options.transaction(() => {
      alongside();
      subscriptions.setStatus(subscription.id, status, reason, now);
    });
    log.warn(
      { subscription: subscription.id, guild: subscription.guildId, status, reason },
      "roundup stopped",
    );
    await tellStopped(subscription, status, reason);
  }

  /** Tells the subscription's server that its roundup is stopped, and why, where it can. */
  async function tellStopped(
    subscription: Subscription,
    status: "paused" | "disabled",
    reason: string,
  ): Promise<void> {
    const { guildId, channelId } = subscription;
    await port
      .tellStopped({ guildId, channelId, status, reason })
      .catch((error) =>
        log.warn({ err: error, subscription: subscription.id }, "could not tell the server"),
      );
  }

  /** Sends a planned roundup's unsent messages in order, acting on how a send fails. */
  async function deliver(roundup: Roundup, now: Date): Promise<void> {
    if (delivering.has(roundup.id)) return;
    delivering.add(roundup.id);
    try {
      await deliverOnce(roundup, now);
    } finally {
      delivering.delete(roundup.id);
    }
  }

  /**
   * Gives up on a roundup still being sent once the local day it was planned on is over
   * (in the subscription's zone now: moved west, a roundup is not retried into the new
   * zone's next day, when that day's own is due); true when it did.
   */
  function giveUpAfterItsDay(roundup: Roundup, subscription: Subscription, now: Date): boolean {
    const day = plannedOn(roundup, subscription);
    if (day >= localDate(now, subscription.timeZone)) return false;
    // Why, as /subscriptions tells the admin: "gave up" alone left them guessing.
    const reason = roundup.lastError
      ? `Discord still failed at the end of ${day}: ${roundup.lastError}`
      : `not sent by the end of ${day}`;
    outbox.fail(roundup.id, reason, now);
    log.warn({ roundup: roundup.id, subscription: subscription.id, reason }, "roundup given up");
    return true;
  }

  async function deliverOnce(roundup: Roundup, now: Date): Promise<void> {
    await writable();
    const subscription = subscriptions.byId(roundup.subscriptionId);
    if (!subscription || giveUpAfterItsDay(roundup, subscription, now)) return;
    // Paused with a roundup waiting for a retry: Paperboy was removed from the server. A send
    // would be refused (Missing Access) and that refusal become why it is paused, so that
    // adding Paperboy back did not resume it. The roundup goes once it resumes, that day.
    if (subscription.status === "paused") return;
    for (const message of outbox.unsent(roundup.id)) {
      // Row ids come back after a delete: the planning time keeps a reused id's nonces new.
      const nonce = `pb${roundup.id}.${message.seq}.${Date.parse(roundup.plannedAt).toString(36)}`;
      let messageId: string;
      try {
        const answered = unrecorded.get(nonce);
        if (answered instanceof DeliveryError) throw answered;
        messageId = answered ?? (await port.send(subscription.channelId, message.body, nonce));
      } catch (error) {
        await writable();
        const problem = error instanceof DeliveryError ? error.problem : "transient";
        const reason = error instanceof Error ? error.message : String(error);
        if (problem === "refused") {
          // Only this message: the roundup's others still go out, and the subscription stays
          // active (tomorrow's papers differ). The server is not told: AutoMod, the usual
          // cause, has alerted its moderators already.
          log.warn(
            {
              roundup: roundup.id,
              subscription: subscription.id,
              channel: subscription.channelId,
              seq: message.seq,
              discord: error instanceof DeliveryError ? error.answer : undefined,
              reason,
            },
            "roundup message refused by Discord; skipped",
          );
          if (error instanceof DeliveryError) unrecorded.set(nonce, error);
          const kept = outbox.markRefused(roundup.id, message, reason, now);
          unrecorded.delete(nonce);
          if (kept) continue;
          return;
        }
        if (problem === "transient") {
          const backoff = Math.min(longestRetryMs, firstRetryMs * 2 ** roundup.attempts);
          const asked = error instanceof DeliveryError ? (error.retryAfterMs ?? 0) : 0;
          const wait = Math.max(backoff, asked);
          outbox.retryLater(roundup.id, reason, new Date(now.getTime() + wait));
          log.warn(
            { roundup: roundup.id, err: error, retryInMs: wait },
            "roundup send failed; will retry",
          );
        } else {
          await stop(subscription, problem === "gone" ? "disabled" : "paused", reason, now, () =>
            outbox.fail(roundup.id, reason, now),
          );
        }
        return;
      }
      unrecorded.set(nonce, messageId);
      await writable();
      // Out of the try: it is posted, whatever this throws; recorded, so it is never sent
      // again. Unsubscribed meanwhile: nothing more goes out.
      const kept = outbox.markSent(roundup.id, subscription.channelId, message, messageId, now);
      unrecorded.delete(nonce);
      if (!kept) return;
    }
  }

  /**
   * A paused subscription on a new day: resumes if the channel works again. Still paused, it
   * is paused for what the check found: the cause can change (a permission given back, then a
   * moderator's timeout), and /subscriptions kept giving the first, whose fix was done.
   */
  async function recheck(subscription: Subscription, date: string, now: Date): Promise<boolean> {
    const access = await port.checkChannel(subscription.guildId, subscription.channelId);
    return settle(subscription, access, now, (reason) => missDay(subscription, date, reason, now));
  }

  /**
   * Acts on what a check of a paused subscription's channel found: it resumes if the bot can
   * post there; else it is disabled for a channel gone (its server told), or stays paused
   * for what was found. `alongside(reason)` is written with a stop (the day recorded as
   * missed). True when it resumed.
   */
  async function settle(
    subscription: Subscription,
    access: ChannelAccess,
    now: Date,
    alongside: (reason: string) => void = () => {},
  ): Promise<boolean> {
    await writable();
    if (access.ok) {
      subscriptions.setStatus(subscription.id, "active", null, now);
      log.info({ subscription: subscription.id }, "roundup resumed");
      return true;
    }
    if (access.problem === "gone") {
      await stop(subscription, "disabled", access.reason, now, () => alongside(access.reason));
    } else {
      options.transaction(() => {
        alongside(access.reason);
        // Only if still paused: resumed while Discord answered (Paperboy added back, an admin's
        // /subscribe), it must not be paused again by an answer from before.
        if (subscriptions.byId(subscription.id)?.status === "paused")
          subscriptions.setStatus(subscription.id, "paused", access.reason, now);
      });
    }
    return false;
  }

  /**
   * The date of the subscription's roundup due `now`, if one is: none while one is waiting
   * for a retry (or to be given up at its day's end), nor for a disabled subscription.
   */
  function dueNow(subscription: Subscription, now: Date): string | null {
    if (subscription.status === "disabled" || outbox.pending(subscription.id)) return null;
    return dueDate(subscription, now, servedUntil(subscription, outbox.servedBy(subscription)));
  }

  /**
   * Records a day as missed: it counts as served, and its window stays open for the next
   * roundup. Call inside a transaction.
   */
  function missDay(subscription: Subscription, date: string, reason: string, now: Date): void {
    const start = windowStart(subscription);
    makeRoom(subscription, date);
    outbox.recordMissed(
      { subscriptionId: subscription.id, localDate: date, windowStart: start, reason },
      now,
    );
  }

  /**
   * A due day of a subscription without topics: nothing to look for, so nothing is posted,
   * not even "Nothing new on your topics", and the first roundup once it has topics has every
   * paper since. The day is served all the same: topics added after its time wait for the next
   * day's, rather than post at once, off the schedule and before the rest of the topics are in.
   * One record for all the days without topics, not a row a day for as long as it has none.
   */
  function missDayWithoutTopics(subscription: Subscription, date: string, now: Date): void {
    options.transaction(() => {
      const latest = outbox.latest(subscription.id);
      if (latest?.status === "failed" && latest.lastError === noTopicsMissed)
        outbox.discard(latest.id);
      missDay(subscription, date, noTopicsMissed, now);
    });
  }

  /** Plans and sends the subscription's roundup when one is due now. */
  async function runIfDue(subscription: Subscription, now: Date): Promise<void> {
    const date = dueNow(subscription, now);
    if (!date) return;
    if (subscription.topics.length === 0) return missDayWithoutTopics(subscription, date, now);
    if (subscription.status === "paused" && !(await recheck(subscription, date, now))) return;
    // Still due once its papers are chosen: /roundup now may have sent today's meanwhile.
    const roundup = await plan(subscription, now, (current) => dueNow(current, now));
    if (roundup?.status === "sending") await deliver(roundup, now);
  }

  /** One subscription's failure is logged and stays its own: the others still go out. */
  async function isolated(subscriptionId: number, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      log.error({ err: error, subscription: subscriptionId }, "roundup failed");
    }
  }

  return {
    /**
     * Exactly what would be posted if the next roundup went out now (for /roundup preview):
     * what is left of one waiting for a retry (/roundup now sends that, not a new one),
     * else today's, or once today's was sent, the next delivery day's, dated so.
     */
    async preview(subscription: Subscription, now: Date): Promise<RoundupDraft> {
      const today = localDate(now, subscription.timeZone);
      const pending = outbox.pending(subscription.id);
      // One whose day is over is given up when next touched, and the new one has its papers.
      if (pending && plannedOn(pending, subscription) >= today)
        return retryDraft(subscription, pending);
      const date = sentOn(subscription, today)
        ? localDate(nextRun(subscription, now, today), subscription.timeZone)
        : today;
      const window = nextWindow(subscription, now);
      // Nothing goes out without topics (see runIfDue), not even a "Nothing new".
      if (subscription.topics.length === 0)
        return { subscription, localDate: date, window, papers: [], matched: 0, messages: [] };
      return draftOf(subscription, date, window, await selectAside(subscription, window));
    },

    /**
     * Posts today's roundup now; it counts as today's, so the schedule skips today.
     * The caller checked the channel works: a paused or disabled subscription resumes (left
     * disabled, a channel it had just posted in got no roundup on the days after). A roundup
     * waiting for a retry is sent now, rather than another planned beside it with its
     * papers. A day that posted nothing — it failed (e.g. while a permission was missing),
     * or had nothing new then — is planned afresh, with the papers new since the last
     * delivery, as previewed.
     */
    async postNow(subscription: Subscription, now: Date): Promise<Roundup> {
      await writable();
      const pending = outbox.pending(subscription.id);
      if (pending && delivering.has(pending.id)) throw new UserError(beingSent);
      const date = localDate(now, subscription.timeZone);
      refuseIfSent(subscription, date, now);
      // One planned before its topics went is sent as planned; any other needs topics.
      const retry = pending && !giveUpAfterItsDay(pending, subscription, now) ? pending : null;
      if (!retry && subscription.topics.length === 0) throw new UserError(noTopics);
      if (subscription.status !== "active")
        subscriptions.setStatus(subscription.id, "active", null, now);
      if (retry) {
        await deliver(retry, now);
        return outbox.get(retry.id) as Roundup;
      }
      // While its papers were chosen, a tick may have planned today's, or an admin unsubscribed.
      const roundup = await plan(subscription, now, (current) => {
        refuseIfSent(current, date, now);
        return date;
      });
      if (!roundup) throw new UserError("That channel has no roundup anymore.");
      if (roundup.status === "sending") await deliver(roundup, now);
      return outbox.get(roundup.id) as Roundup;
    },

    /**
     * Re-checks at once the guild's roundups paused for one of `reasons` (Paperboy was out of
     * the server, and is back in it). Each resumes if the bot can post in its channel; else it
     * stays paused for what the check found: a permission missing since before Paperboy was
     * removed, whose pause a re-check while it was out had put down to its absence, and the
     * server is told. Resumed blindly, such a roundup showed as active in /subscriptions and
     * was sent into another refusal. One Discord could not answer for resumes: a send it
     * still refuses pauses it again, saying why. How many were re-checked, and how many of
     * them resumed.
     */
    async recheckPausedFor(
      guildId: string,
      reasons: readonly string[],
      now: Date,
    ): Promise<{ checked: number; resumed: number }> {
      const held = subscriptions
        .forGuild(guildId)
        .filter((s) => s.status === "paused" && reasons.includes(s.statusReason ?? ""));
      let resumed = 0;
      for (const subscription of held) {
        const access = await port
          .checkChannel(guildId, subscription.channelId)
          .catch((error): ChannelAccess => {
            log.warn({ err: error, subscription: subscription.id }, "could not re-check a roundup");
            return { ok: true };
          });
        if (await settle(subscription, access, now)) resumed += 1;
        // Still paused, for what is missing now: said to the server, whose admin just added
        // Paperboy back (and which no one could tell of the removal's pause).
        else if (!access.ok && access.problem === "forbidden")
          await tellStopped(subscription, "paused", access.reason);
      }
      return { checked: held.length, resumed };
    },

    /**
     * One scheduler tick, over the roundups of the servers the port serves: the offline
     * console on the bot's database must not post a Discord channel's roundup in the
     * terminal (recording it as sent) nor disable a paused one for not being `console`.
     * Overlapping calls return at once: a tick never runs twice. Once `stopping` is, it ends
     * after the roundup at hand (the bot is shutting down).
     */
    async tick(now: Date, stopping?: AbortSignal): Promise<void> {
      if (ticking) return;
      ticking = true;
      const served = (subscription: Subscription | undefined): subscription is Subscription =>
        subscription !== undefined && port.serves(subscription.guildId);
      try {
        for (const roundup of outbox.sending(now)) {
          if (stopping?.aborted) return;
          if (!served(subscriptions.byId(roundup.subscriptionId))) continue;
          await isolated(roundup.subscriptionId, () => deliver(roundup, now));
        }
        for (const { id } of subscriptions.live()) {
          // The bot's other work gets a turn before each: one not due is a fraction of a
          // millisecond of time-zone arithmetic, but a tick through 1,000 of them held the
          // event loop for 80–300 ms every minute, every interaction waiting. None while a
          // write cannot begin (an ingest, the bot's or another process's): a day found due
          // may be recorded as missed in this turn.
          await nextTurn();
          await writable();
          if (stopping?.aborted) return;
          // As it is now: a command may have changed or stopped it meanwhile.
          const subscription = subscriptions.byId(id);
          if (!served(subscription)) continue;
          await isolated(id, () => runIfDue(subscription, now));
        }
      } finally {
        ticking = false;
      }
    },
  };
}
