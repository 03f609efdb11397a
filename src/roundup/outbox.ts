import type { Db } from "../store/db.ts";
import type { ServedBy } from "./schedule.ts";

type RoundupStatus = "sending" | "sent" | "skipped" | "failed";

export interface PlannedMessage {
  /** The message as plain JSON, frozen when planned: a retry sends exactly this. */
  body: unknown;
  paperIds: number[];
}

export interface Roundup {
  id: number;
  subscriptionId: number;
  localDate: string;
  windowStart: string;
  windowEnd: string;
  status: RoundupStatus;
  attempts: number;
  retryAt: string | null;
  lastError: string | null;
  plannedAt: string;
  finishedAt: string | null;
}

/** How many of a roundup's messages were posted, and refused, of how many. */
interface Progress {
  sent: number;
  refused: number;
  total: number;
}

export interface UnsentMessage {
  seq: number;
  body: unknown;
  paperIds: number[];
}

const columns = `id, subscription_id AS subscriptionId, local_date AS localDate,
  window_start AS windowStart, window_end AS windowEnd, status, attempts, retry_at AS retryAt,
  last_error AS lastError, planned_at AS plannedAt, finished_at AS finishedAt`;

/**
 * The roundup outbox. A roundup is planned — papers chosen, messages rendered —
 * in one transaction keyed by (subscription, local date), so a day is planned
 * once. Each message is then marked sent in the same transaction that records
 * its papers as posted to the channel: after a crash, sending resumes at the
 * first unsent message and no paper is posted twice or skipped.
 */
export function createOutbox(db: Db) {
  const insertRoundup = db.prepare(
    `INSERT INTO roundups (subscription_id, local_date, window_start, window_end, status, planned_at, finished_at)
     VALUES (@subscriptionId, @localDate, @windowStart, @windowEnd, @status, @now, @finishedAt)`,
  );
  const insertMessage = db.prepare(
    "INSERT INTO roundup_messages (roundup_id, seq, body, paper_ids) VALUES (?, ?, ?, ?)",
  );
  const selectRoundup = db.prepare(`SELECT ${columns} FROM roundups WHERE id = ?`);
  const selectForDate = db.prepare(
    `SELECT ${columns} FROM roundups WHERE subscription_id = ? AND local_date = ?`,
  );
  // By planning time, not date: dates of a zone the subscription has left do not sort with its own.
  const selectLatest = db.prepare(
    `SELECT ${columns} FROM roundups WHERE subscription_id = ? ORDER BY planned_at DESC, id DESC LIMIT 1`,
  );
  const selectLastDelivered = db.prepare(
    `SELECT ${columns} FROM roundups WHERE subscription_id = ? AND status IN ('sent', 'skipped')
     ORDER BY planned_at DESC, id DESC LIMIT 1`,
  );
  const selectPending = db.prepare(
    `SELECT ${columns} FROM roundups WHERE subscription_id = ? AND status = 'sending'
     ORDER BY planned_at, id LIMIT 1`,
  );
  const selectSending = db.prepare(
    `SELECT ${columns} FROM roundups WHERE status = 'sending' AND (retry_at IS NULL OR retry_at <= ?)
     ORDER BY planned_at, id`,
  );
  const selectUnsent = db.prepare(
    `SELECT seq, body, paper_ids AS paperIds FROM roundup_messages
     WHERE roundup_id = ? AND message_id IS NULL AND refused IS NULL ORDER BY seq`,
  );
  const updateMessage = db.prepare(
    "UPDATE roundup_messages SET message_id = ?, sent_at = ? WHERE roundup_id = ? AND seq = ? AND message_id IS NULL",
  );
  // Of a paper still stored: `paperboy forget` may have taken one out since it was planned.
  const insertPosted = db.prepare(
    `INSERT INTO posted_papers (channel_id, paper_id, roundup_id, posted_at)
     SELECT @channelId, id, @roundupId, @at FROM papers WHERE id = @paperId
     ON CONFLICT DO NOTHING`,
  );
  const refuseMessage = db.prepare(
    "UPDATE roundup_messages SET refused = ? WHERE roundup_id = ? AND seq = ? AND message_id IS NULL AND refused IS NULL",
  );
  const countMessages = db.prepare(
    `SELECT count(message_id) AS sent, count(refused) AS refused, count(*) AS total
     FROM roundup_messages WHERE roundup_id = ?`,
  );
  const selectRefusals = db
    .prepare(
      "SELECT refused FROM roundup_messages WHERE roundup_id = ? AND refused IS NOT NULL ORDER BY seq",
    )
    .pluck();
  const finish = db.prepare(
    "UPDATE roundups SET status = ?, finished_at = ?, retry_at = NULL, last_error = coalesce(?, last_error) WHERE id = ?",
  );
  const postpone = db.prepare(
    "UPDATE roundups SET attempts = attempts + 1, retry_at = ?, last_error = ? WHERE id = ?",
  );
  const deleteRoundup = db.prepare("DELETE FROM roundups WHERE id = ?");
  // Refused papers of the roundups a window starting at @since overlaps: an older roundup's
  // papers were first seen before it, out of any window to come.
  const selectDoneWith = db
    .prepare(
      `SELECT paper_id FROM posted_papers WHERE channel_id = @channelId
       UNION
       SELECT paper.value FROM subscriptions s
         JOIN roundups r ON r.subscription_id = s.id AND r.window_end > @since
         JOIN roundup_messages m ON m.roundup_id = r.id AND m.refused IS NOT NULL
         JOIN json_each(m.paper_ids) AS paper
       WHERE s.channel_id = @channelId`,
    )
    .pluck();
  const selectServedAt = db
    .prepare("SELECT served_at FROM channel_served WHERE channel_id = ?")
    .pluck();
  // The channel of a subscription or of a message posted, served at @at (or later already).
  const servedLater =
    "ON CONFLICT (channel_id) DO UPDATE SET served_at = max(served_at, excluded.served_at)";
  const recordServed = db.prepare(
    `INSERT INTO channel_served (channel_id, served_at) VALUES (@channelId, @at) ${servedLater}`,
  );
  const recordSubscriptionServed = db.prepare(
    `INSERT INTO channel_served (channel_id, served_at)
     SELECT channel_id, @at FROM subscriptions WHERE id = @subscriptionId ${servedLater}`,
  );

  const roundup = (row: unknown) => row as Roundup | undefined;
  const progress = (roundupId: number) => countMessages.get(roundupId) as Progress;

  /**
   * Ends a roundup once none of its messages is left to send: sent if any reached the
   * channel; failed if Discord refused them all, saying why.
   */
  function finishIfDone(roundupId: number, at: string): void {
    const { sent, refused, total } = progress(roundupId);
    if (sent + refused < total) return;
    if (sent > 0) finish.run("sent", at, null, roundupId);
    else finish.run("failed", at, selectRefusals.all(roundupId).at(-1), roundupId);
  }

  return {
    get: (id: number) => roundup(selectRoundup.get(id)),
    forDate: (subscriptionId: number, localDate: string) =>
      roundup(selectForDate.get(subscriptionId, localDate)),
    /** The most recent roundup of any status: the day it was planned counts as done for the schedule. */
    latest: (subscriptionId: number) => roundup(selectLatest.get(subscriptionId)),
    /**
     * What the schedule counts a subscription as served by (see servedUntil): its latest
     * roundup's planning time; before it has one, when its channel last had a roundup (papers,
     * "Nothing new", or nothing to post), which outlives an /unsubscribe (its roundups go with it).
     */
    servedBy(subscription: { id: number; channelId: string }): ServedBy {
      const latestAt = roundup(selectLatest.get(subscription.id))?.plannedAt ?? null;
      const channelServedAt =
        latestAt === null
          ? ((selectServedAt.get(subscription.channelId) as string | undefined) ?? null)
          : null;
      return { latestAt, channelServedAt };
    },
    /** The most recent roundup that reached the channel (or had nothing to say). */
    lastDelivered: (subscriptionId: number) => roundup(selectLastDelivered.get(subscriptionId)),
    /** The subscription's roundup with messages still to send, whenever its retry is due. */
    pending: (subscriptionId: number) => roundup(selectPending.get(subscriptionId)),
    /** Roundups with messages still to send, whose retry time (if any) has come. */
    sending: (now: Date) => selectSending.all(now.toISOString()) as Roundup[],
    /**
     * The papers a roundup of the channel whose window starts at `since` must not offer: those
     * posted there, and those of its messages Discord refused as they were (AutoMod). Offered
     * again, a refused one was refused again, another alert to the server's moderators, even
     * when its roundup failed later for another reason and its window was open again.
     */
    doneWith: (channelId: string, since: string) =>
      new Set(selectDoneWith.all({ channelId, since }) as number[]),

    /**
     * Plans a day's roundup. With no messages it is recorded as skipped (nothing new, and the
     * subscription does not post empty roundups), and its channel as served that day. Throws
     * if the day is planned.
     */
    plan: db.transaction(
      (plan: {
        subscriptionId: number;
        localDate: string;
        windowStart: string;
        windowEnd: string;
        messages: PlannedMessage[];
        now: Date;
      }): Roundup => {
        const now = plan.now.toISOString();
        const skipped = plan.messages.length === 0;
        if (skipped) recordSubscriptionServed.run({ subscriptionId: plan.subscriptionId, at: now });
        const { lastInsertRowid } = insertRoundup.run({
          ...plan,
          status: skipped ? "skipped" : "sending",
          now,
          finishedAt: skipped ? now : null,
        });
        const id = Number(lastInsertRowid);
        plan.messages.forEach((message, seq) => {
          insertMessage.run(
            id,
            seq,
            JSON.stringify(message.body),
            JSON.stringify(message.paperIds),
          );
        });
        return roundup(selectRoundup.get(id)) as Roundup;
      },
    ),

    /** How many of a roundup's messages were posted, and refused, of how many. */
    progress,

    /** Why Discord refused each of a roundup's messages it refused, in order. */
    refusals: (roundupId: number) => selectRefusals.all(roundupId) as string[],

    unsent: (roundupId: number): UnsentMessage[] =>
      (selectUnsent.all(roundupId) as { seq: number; body: string; paperIds: string }[]).map(
        (row) => ({ seq: row.seq, body: JSON.parse(row.body), paperIds: JSON.parse(row.paperIds) }),
      ),

    /**
     * Records a message as sent, its papers as posted and its channel as served; the roundup
     * is sent with its last message. False when the roundup is gone (its channel unsubscribed
     * while the message was on its way): the papers still count as posted to the channel, with
     * no roundup.
     */
    markSent: db.transaction(
      (
        roundupId: number,
        channelId: string,
        message: UnsentMessage,
        messageId: string,
        now: Date,
      ): boolean => {
        const at = now.toISOString();
        const kept = updateMessage.run(messageId, at, roundupId, message.seq).changes > 0;
        for (const paperId of message.paperIds)
          insertPosted.run({ channelId, paperId, roundupId: kept ? roundupId : null, at });
        recordServed.run({ channelId, at });
        if (kept) finishIfDone(roundupId, at);
        return kept;
      },
    ),

    /**
     * Records that Discord refused a message as it was (`reason`): it is not sent again, and
     * its papers are not posted. The roundup ends with its last message. False when the
     * roundup is gone (unsubscribed meanwhile).
     */
    markRefused: db.transaction(
      (roundupId: number, message: UnsentMessage, reason: string, now: Date): boolean => {
        if (refuseMessage.run(reason, roundupId, message.seq).changes === 0) return false;
        finishIfDone(roundupId, now.toISOString());
        return true;
      },
    ),

    /** A day on which a paused subscription still could not post: checked, so not again today. */
    recordMissed: db.transaction(
      (
        missed: { subscriptionId: number; localDate: string; windowStart: string; reason: string },
        now: Date,
      ): void => {
        const at = now.toISOString();
        const { lastInsertRowid } = insertRoundup.run({
          ...missed,
          windowEnd: at,
          status: "failed",
          now: at,
          finishedAt: at,
        });
        finish.run("failed", at, missed.reason, Number(lastInsertRowid));
      },
    ),

    retryLater(roundupId: number, error: string, retryAt: Date): void {
      postpone.run(retryAt.toISOString(), error, roundupId);
    },

    /** Forgets a roundup so its date can be planned again; papers it did post stay posted. */
    discard(roundupId: number): void {
      deleteRoundup.run(roundupId);
    },

    /** Gives up on a roundup; its unsent papers stay unposted, for the next roundup. */
    fail(roundupId: number, error: string, now: Date): void {
      finish.run("failed", now.toISOString(), error, roundupId);
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
