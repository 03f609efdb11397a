import type { APIEmbed } from "discord.js";
import type { Outbox, PlannedMessage, Roundup } from "../roundup/outbox.ts";
import type { RoundupDraft } from "../roundup/runner.ts";
import { formatLocal, nextRun, servedUntil } from "../roundup/schedule.ts";
import type { TopicReason } from "../roundup/select.ts";
import type { Subscription } from "../roundup/subscriptions.ts";
import type { Paper } from "../store/papers.ts";
import { count, grouped, paperDate, truncate } from "../text/format.ts";
import { quotedTopic } from "./admin.ts";
import { embedLength, limits, plain, wholeItemsWithin } from "./limits.ts";
import { brandColor, paperUrl } from "./render.ts";
import type { Reply } from "./types.ts";

/** Discord shows at most 10 embeds on one message. */
const embedsPerMessage = 10;
const abstractLength = 300;

type Draft = Omit<RoundupDraft, "messages">;

/** "graph neural networks" (gnn, graph) */
function reasonText(reasons: TopicReason[]): string {
  return reasons
    .map(
      ({ topic, words }) =>
        `${quotedTopic(topic)}${words.length ? ` (${plain(words.join(", "))})` : ""}`,
    )
    .join("; ");
}

/**
 * How many papers a roundup has: "3 new papers", or when more matched than it takes, "The top
 * 3 of 40 new papers" (a busy day said "3 new papers", and members thought that was all).
 */
function howMany(shown: number, matched: number, noun: string): string {
  if (matched <= shown) return count(shown, noun);
  return `${shown === 1 ? "The best" : `The top ${shown}`} of ${count(matched, noun)}`;
}

function headerEmbed({ subscription, localDate, papers, matched }: Draft): APIEmbed {
  return {
    title: `Paper roundup · ${localDate}`,
    description: `${howMany(papers.length, matched, "new paper")} on this channel's topics, best match first.`,
    fields: [
      {
        name: "Topics",
        value: truncate(subscription.topics.map(plain).join(" · ") || "(none)", limits.fieldValue),
      },
    ],
    color: brandColor,
  };
}

function paperEmbed(paper: Paper, reasons: TopicReason[]): APIEmbed {
  const facts = [
    paper.upvotes ? `▲ ${grouped(paper.upvotes)}` : null,
    paperDate(paper.published, paper.venue),
    `Paperboy id ${paper.id}`,
  ].filter(Boolean);
  return {
    title: truncate(plain(paper.title), limits.embedTitle),
    url: paperUrl(paper),
    description: truncate(plain(paper.abstract), abstractLength),
    fields: [{ name: "Matched", value: truncate(reasonText(reasons), limits.fieldValue) }],
    footer: { text: facts.join(" · ") },
    color: brandColor,
  };
}

/**
 * A roundup as Discord messages: a header, then one embed per paper, packed
 * into messages of at most 10 embeds and 6,000 characters. Nothing to post
 * gives no message, or a short note when the subscription asks for one.
 */
export function renderRoundup(
  draft: Draft,
  paperById: (id: number) => Paper | undefined,
): PlannedMessage[] {
  const found = draft.papers.flatMap((pick) => {
    const paper = paperById(pick.paperId);
    return paper ? [{ paper, pick }] : [];
  });
  if (found.length === 0) {
    if (!draft.subscription.postWhenEmpty) return [];
    const body: Reply = { content: `Nothing new on your topics today (${draft.localDate}).` };
    return [{ body, paperIds: [] }];
  }
  const messages: { embeds: APIEmbed[]; paperIds: number[]; length: number }[] = [];
  // A paper forgotten since it was chosen (paperboy forget) is no longer one that matched.
  const matched = draft.matched - (draft.papers.length - found.length);
  const header = headerEmbed({ ...draft, papers: found.map((f) => f.pick), matched });
  let current = { embeds: [header], paperIds: [] as number[], length: embedLength(header) };
  messages.push(current);
  for (const { paper, pick } of found) {
    const embed = paperEmbed(paper, pick.reasons);
    const length = embedLength(embed);
    if (current.embeds.length === embedsPerMessage || current.length + length > limits.embedTotal) {
      current = { embeds: [], paperIds: [], length: 0 };
      messages.push(current);
    }
    current.embeds.push(embed);
    current.paperIds.push(paper.id);
    current.length += length;
  }
  return messages.map(({ embeds, paperIds }) => ({ body: { embeds } satisfies Reply, paperIds }));
}

/**
 * Why a subscription is stopped, as text: escaped (Discord's own error text may be in it), but
 * for the mention of its channel, which the reasons Paperboy words itself name it by.
 */
function statusReasonText({ statusReason, channelId }: Subscription): string {
  const mention = `<#${channelId}>`;
  return plain(statusReason ?? "no reason given").replaceAll(plain(mention), mention);
}

/** Why a stopped subscription's roundup will not go out as previewed, and what brings it back. */
function stoppedNote(subscription: Subscription): string[] {
  const { status } = subscription;
  const reason = statusReasonText(subscription);
  if (status === "paused")
    return [
      `**Paused**, so nothing is posted until it can be (checked on each roundup day; /roundup now once fixed): ${reason}`,
    ];
  if (status === "disabled")
    return [`**Disabled**, so nothing is posted (/subscribe again to restart): ${reason}`];
  return [];
}

/** A roundup without topics: none goes out (see the runner's runIfDue). */
const noTopics = "No topics yet, so no roundup goes out: add some with /topics add.";

/** What is left of a roundup waiting for a retry: "3 papers in 1 message", or its "Nothing new". */
function retryLeft(messages: PlannedMessage[]): string {
  const papers = messages.flatMap((message) => message.paperIds).length;
  return papers
    ? `${count(papers, "paper")} in ${count(messages.length, "message")}`
    : "its “Nothing new” message";
}

/** `/roundup preview`: the papers in the order they would be posted, each with why. */
export function previewReply(
  draft: RoundupDraft,
  paperById: (id: number) => Paper | undefined,
): Reply {
  const { subscription } = draft;
  const lines = draft.papers.map((pick, i) => {
    const title = paperById(pick.paperId)?.title ?? `paper ${pick.paperId}`;
    return `${i + 1}. **${truncate(plain(title), 150)}** — ${reasonText(pick.reasons)}`;
  });
  // On the subscription's clock, as its schedule and next run are shown: an admin in Paris
  // shown UTC had to work out whether last evening's papers were in.
  const since = `papers first seen since ${formatLocal(Date.parse(draft.window.start), subscription.timeZone)}`;
  const what = draft.retry
    ? `Waiting for a retry (${plain(draft.retry.lastError ?? "Discord did not answer")}): ${retryLeft(draft.messages)} still to send, as planned; /roundup now sends it at once.`
    : subscription.topics.length === 0
      ? noTopics
      : lines.length
        ? `${howMany(lines.length, draft.matched, "paper")} in ${count(draft.messages.length, "message")}:`
        : draft.messages.length
          ? "Nothing new: it would post “Nothing new on your topics today”."
          : "Nothing new: nothing would be posted (empty roundups are skipped).";
  return {
    embeds: [
      {
        title: "Next roundup (preview)",
        description: listWithin(
          [`<#${subscription.channelId}> · ${since}`, ...stoppedNote(subscription), what],
          lines,
          limits.embedDescription,
        ),
        footer: {
          text: `Topics: ${truncate(subscription.topics.join(" · "), 1900) || "none yet (/topics add)"}`,
        },
        color: brandColor,
      },
    ],
  };
}

/**
 * `head`, then as many whole `lines` as fit in `max` characters, then how many more there
 * are: cut at `max`, 25 papers matching several topics each lost their last ones unsaid,
 * under "25 papers", and the last one shown ended inside its bold title.
 */
function listWithin(head: string[], lines: string[], max: number): string {
  const top = head.join("\n");
  const list = wholeItemsWithin(
    lines,
    max - top.length - 1,
    (rest) => `… and ${count(rest, "more paper")}, in the roundup all the same`,
  );
  return truncate(list ? `${top}\n${list}` : top, max);
}

/** A subscription's block with its topics given as they are to be shown. */
interface SubscriptionView {
  topics: string;
  block(topics: string): string;
}

/** What `/subscriptions` reads of the outbox. */
type OutboxView = Pick<
  Outbox,
  "servedBy" | "lastDelivered" | "pending" | "unsent" | "latest" | "progress" | "refusals"
>;

/**
 * What Discord refused of the subscription's latest roundup, if anything: "1 of 3 messages of
 * the roundup of 2026-11-23 not posted: Discord's AutoMod blocked it (…)". Its papers were
 * not posted; the subscription goes on (the next roundups have other papers).
 */
function refusedNote(latest: Roundup | undefined, outbox: OutboxView): string[] {
  const reasons = latest ? outbox.refusals(latest.id) : [];
  if (!latest || reasons.length === 0) return [];
  const { total } = outbox.progress(latest.id);
  const why = [...new Set(reasons)].map(plain).join("; ");
  return [
    `Not posted: ${reasons.length} of ${count(total, "message")} of the roundup of ${latest.localDate}, which Discord refused: ${why}`,
  ];
}

/**
 * Why the subscription's latest roundup was not posted (in full), when it was given up: Discord
 * failed until its day ended, or a refusal stopped it since resumed. Without it, an admin saw
 * only a last delivery of the day before and the next run, and no reason. What Discord refused
 * as it was is refusedNote's; a paused or disabled roundup says why above.
 */
function givenUpNote(
  subscription: Subscription,
  latest: Roundup | undefined,
  outbox: OutboxView,
): string[] {
  if (subscription.status !== "active" || latest?.status !== "failed") return [];
  const { sent, refused, total } = outbox.progress(latest.id);
  // A day missed with nothing planned (paused then, or no topics) has no messages.
  if (sent + refused === total) return [];
  const part = sent ? ` (${sent} of ${count(total, "message")} went out)` : "";
  return [
    `Not posted: the roundup of ${latest.localDate}${part}: ${plain(latest.lastError ?? "unknown reason")}; what it did not post comes with the next roundup.`,
  ];
}

/**
 * When the subscription next posts: a roundup waiting for a retry goes first (the schedule
 * counts its day as served), then the schedule's next run.
 */
function nextPost(subscription: Subscription, outbox: OutboxView, now: Date): string {
  if (subscription.status === "disabled") return "never (disabled; /subscribe again to restart)";
  const pending = outbox.pending(subscription.id);
  if (pending) {
    const left = count(outbox.unsent(pending.id).length, "message");
    const retry = `a retry of the roundup of ${pending.localDate} (${left} left)`;
    // Held while Paperboy is out of the server (the runner's deliverOnce), not at its time.
    if (subscription.status === "paused") return `once it resumes, ${retry}`;
    // Without a retry time (resumed after a restart), the next tick sends it.
    const at = Math.max(Date.parse(pending.retryAt ?? now.toISOString()), now.getTime());
    return `${formatLocal(at, subscription.timeZone)}, ${retry}`;
  }
  if (subscription.topics.length === 0) return "once it has topics (/topics add)";
  const served = servedUntil(subscription, outbox.servedBy(subscription));
  return formatLocal(nextRun(subscription, now, served), subscription.timeZone);
}

/**
 * A subscription's settings, next run and last delivery, for `/subscriptions` and `/subscribe`,
 * worked out once: `subscriptionBlocks` builds the block again for each count of blocks it tries.
 */
function subscriptionView(
  subscription: Subscription,
  outbox: OutboxView,
  now: Date,
): SubscriptionView {
  const last = outbox.lastDelivered(subscription.id);
  // Read once: what Discord refused of it, and why it was given up.
  const latest = outbox.latest(subscription.id);
  // A day with nothing new counts as served, but nothing reached the channel.
  const lastDelivered = last
    ? `${last.localDate}${last.status === "skipped" ? " (nothing new, nothing posted)" : ""}`
    : "none yet";
  const status =
    subscription.status === "active"
      ? "active"
      : `${subscription.status}: ${statusReasonText(subscription)}`;
  const heading = `<#${subscription.channelId}> — ${status}`;
  const settings = [
    `At ${subscription.time} ${subscription.timeZone}, ${subscription.days === "weekdays" ? "Monday to Friday" : "every day"}, up to ${count(subscription.maxPapers, "paper")}${subscription.postWhenEmpty ? ", and “nothing new” on quiet days" : ""}`,
    `Next run: ${nextPost(subscription, outbox, now)} · Last delivery: ${lastDelivered}`,
    ...refusedNote(latest, outbox),
    ...givenUpNote(subscription, latest, outbox),
  ];
  return {
    topics: subscription.topics.length
      ? subscription.topics.map(plain).join(" · ")
      : "(no topics yet: /topics add)",
    block: (topics) => [heading, `Topics: ${topics}`, ...settings].join("\n"),
  };
}

/** Topics shown at the least when a reply has no room for them all. */
const fewestTopicCharacters = 40;
const blockSeparator = "\n\n";

/**
 * Subscriptions' blocks in at most `budget` characters, a blank line between them. The
 * longest topic lists are cut first, so that no roundup loses its status, schedule or next
 * run to another's topics (cutting the joined text dropped whole channels). A server with
 * more roundups than fit even so gets the rest named at the end.
 */
export function subscriptionBlocks(
  subscriptions: Subscription[],
  outbox: OutboxView,
  now: Date,
  budget: number,
): string {
  // Only the blocks that could fit are worked out, in order, until even without their topics
  // they fill the budget (a next run costs outbox reads and time-zone arithmetic: the blocks
  // of all a server's roundups, built again for each count tried, took the bot's event loop
  // 1.6 s for 250 of them). Their room without topics, each with the separator after it, is
  // summed once and taken down as blocks are left out.
  const views: SubscriptionView[] = [];
  const bare: number[] = [];
  let bareTotal = -blockSeparator.length;
  for (const subscription of subscriptions) {
    if (bareTotal > budget) break;
    const view = subscriptionView(subscription, outbox, now);
    const room = view.block("").length + blockSeparator.length;
    views.push(view);
    bare.push(room);
    bareTotal += room;
  }
  for (let shown = views.length; shown > 0; shown--) {
    const rest = subscriptions.slice(shown);
    const tail = rest.length ? [moreRoundups(rest, Math.floor(budget / 4))] : [];
    const kept = views.slice(0, shown);
    const tailLength = tail.reduce((sum, line) => sum + blockSeparator.length + line.length, 0);
    const cap = topicsCap(
      kept.map((view) => view.topics.length),
      budget - bareTotal - tailLength,
    );
    if (cap < fewestTopicCharacters && shown > 1) {
      bareTotal -= bare[shown - 1] as number;
      continue;
    }
    return [...kept.map((view) => view.block(truncate(view.topics, cap))), ...tail].join(
      blockSeparator,
    );
  }
  return "";
}

/**
 * The roundups a reply has no room for, in at most `max` characters: as many of their channels'
 * mentions as fit whole, then how many more. Cut at `max`, the last was half a mention,
 * shown as typed ("<#13000000…").
 */
function moreRoundups(rest: readonly Subscription[], max: number): string {
  const heading = `…and ${count(rest.length, "more roundup")}: `;
  // A mention and its space are 5 characters at the least, so no more than these can fit (a
  // server may have thousands); when some are left out here, these cannot all fit either, and
  // `more` counts both.
  const fitting = rest.slice(0, Math.ceil(max / 4)).map((s) => `<#${s.channelId}>`);
  const unlisted = rest.length - fitting.length;
  const more = (left: number) => `and ${left + unlisted} more`;
  return heading + wholeItemsWithin(fitting, max - heading.length, more, " ");
}

/**
 * The most characters of topics each block may show for all of them to take at most
 * `available`: short lists whole, the longer ones cut to an equal share of what is left.
 */
function topicsCap(lengths: number[], available: number): number {
  let left = available;
  const ascending = [...lengths].sort((a, b) => a - b);
  for (const [i, length] of ascending.entries()) {
    const share = Math.floor(left / (ascending.length - i));
    if (length > share) return Math.max(share, 1);
    left -= length;
  }
  return Number.POSITIVE_INFINITY;
}
