import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { APIEmbed } from "discord.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { embedLength } from "../../src/bot/limits.ts";
import { previewReply, subscriptionBlocks } from "../../src/bot/roundup-view.ts";
import { createRoundups } from "../../src/bot/roundups.ts";
import { realClock } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import type { Paperboy } from "../../src/paperboy.ts";
import type { Roundup } from "../../src/roundup/outbox.ts";
import {
  type ChannelAccess,
  DeliveryError,
  type RoundupPort,
  type StoppedRoundup,
} from "../../src/roundup/runner.ts";
import type { Settings, Subscription } from "../../src/roundup/subscriptions.ts";
import { createWritable } from "../../src/writable.ts";
import {
  abstractAbout,
  listingPage,
  lockedElsewhere,
  openApp,
  paperIdByTitle,
  settledNow,
  slowIngestRefresh,
  tempDir,
  writeLockProbe,
} from "../helpers.ts";

/** An instant written in UTC, so each test says exactly when "now" is. */
const utc = (iso: string) => new Date(`${iso}Z`);
const minutes = (date: Date, n: number) => new Date(date.getTime() + n * 60_000);
const silent = pino({ level: "silent" });

// Dates below: Monday 2026-11-23 onwards. Europe/Paris is UTC+1 then, so 09:00 there is 08:00 UTC.
const topic = "quokka lattice";

interface ChannelMessage {
  channelId: string;
  body: unknown;
  nonce: string;
  id: string;
}

/**
 * The platform's side: what each channel shows. Like Discord with `enforce_nonce`,
 * a message sent again with the same nonce is not posted twice.
 */
class FakePlatform {
  readonly messages: ChannelMessage[] = [];

  post(channelId: string, body: unknown, nonce: string): string {
    const same = this.messages.find((m) => m.channelId === channelId && m.nonce === nonce);
    if (same) return same.id;
    const id = `m${this.messages.length + 1}`;
    this.messages.push({ channelId, body, nonce, id });
    return id;
  }

  in(channelId: string): ChannelMessage[] {
    return this.messages.filter((m) => m.channelId === channelId);
  }
}

/** What one send does: post, throw, or never answer (the process dies while it waits). */
type SendOutcome = "ok" | Error | "die" | "post-then-die";

/**
 * The RoundupPort as a test double of the platform edge: records every call,
 * and does what the test says (fail, hang, wait at a gate).
 */
class FakePort implements RoundupPort {
  readonly attempts: { channelId: string; body: unknown; nonce: string }[] = [];
  readonly tells: StoppedRoundup[] = [];
  readonly checks: { guildId: string; channelId: string }[] = [];
  access: ChannelAccess = { ok: true };
  /** What the next sends do, in order; after these, `always`. */
  readonly next: SendOutcome[] = [];
  always: SendOutcome = "ok";
  /** When set, every send waits for it first. */
  gate: Promise<void> | undefined;

  /** Holds every send until the function returned is called. */
  hold(): () => void {
    let open = () => {};
    this.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    return open;
  }

  constructor(readonly platform = new FakePlatform()) {}

  private sendWaiters: (() => void)[] = [];

  /** Resolves when the next send is attempted (a tick gets to its roundups after other work). */
  nextSend(): Promise<void> {
    return new Promise((resolve) => this.sendWaiters.push(resolve));
  }

  serves(): boolean {
    return true;
  }

  async checkChannel(guildId: string, channelId: string): Promise<ChannelAccess> {
    this.checks.push({ guildId, channelId });
    return this.access;
  }

  async send(channelId: string, body: unknown, nonce: string): Promise<string> {
    this.attempts.push({ channelId, body, nonce });
    for (const resolve of this.sendWaiters.splice(0)) resolve();
    const outcome = this.next.shift() ?? this.always;
    if (this.gate) await this.gate;
    if (outcome instanceof Error) throw outcome;
    if (outcome === "die") return new Promise<string>(() => {});
    const id = this.platform.post(channelId, body, nonce);
    if (outcome === "post-then-die") return new Promise<string>(() => {});
    return id;
  }

  async tellStopped(stopped: StoppedRoundup): Promise<void> {
    this.tells.push(stopped);
  }
}

/** "roundup.seq" from a send's nonce (`pb<roundup>.<seq>.…`), which Discord caps at 25 characters. */
function messageOf(nonce: string): string {
  expect(nonce.length).toBeLessThanOrEqual(25);
  const match = /^pb(\d+)\.(\d+)\./.exec(nonce);
  if (!match) throw new Error(`unexpected nonce ${nonce}`);
  return `${match[1]}.${match[2]}`;
}

const embedsOf = (body: unknown): APIEmbed[] => (body as { embeds?: APIEmbed[] }).embeds ?? [];

/** The papers a message carries, read from what the channel shows (each embed's footer). */
function paperIdsIn(body: unknown): number[] {
  return embedsOf(body).flatMap((embed) => {
    const id = /Paperboy id (\d+)/.exec(embed.footer?.text ?? "")?.[1];
    return id ? [Number(id)] : [];
  });
}

/** Made-up words, one per paper, so every title is its own paper. */
const word = (i: number) =>
  `Vel${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}x`;

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/**
 * A search pool's stand-in: a roundup's papers chosen as the engine chooses them, as a
 * search thread would, then `meanwhile` run once: what happens before the answer is back.
 */
function asideSearcher(app: Paperboy) {
  const aside = {
    asked: 0,
    meanwhile: undefined as (() => unknown) | undefined,
    async selectRoundupPapers(...args: Parameters<Paperboy["selectRoundupPapers"]>) {
      aside.asked += 1;
      const chosen = app.selectRoundupPapers(...args);
      const meanwhile = aside.meanwhile;
      aside.meanwhile = undefined;
      await meanwhile?.();
      return chosen;
    },
  };
  return aside;
}

/**
 * A Paperboy with roundups wired to a FakePort; `path` a file to share it with a "restarted"
 * one. `withSearcher`: papers chosen aside, by `aside`, as with search threads.
 */
function world(path = ":memory:", platform = new FakePlatform(), withSearcher = false) {
  const app: Paperboy = openApp(path);
  const port = new FakePort(platform);
  const aside = asideSearcher(app);
  const roundups = createRoundups(app, port, silent, withSearcher ? aside : undefined);
  const dir = tempDir();
  let pages = 0;
  let titles = 0;

  const w = {
    ...roundups,
    app,
    port,
    aside,
    platform,
    /** Ingests papers with these titles, first seen at `when`; their ids. */
    ingest(when: Date, paperTitles: string[]): number[] {
      pages += 1;
      const file = w.pageFile(pages);
      writeFileSync(
        file,
        listingPage(paperTitles.map((title) => ({ title, abstract: abstractAbout(title) }))),
      );
      app.ingest([file], { now: () => when });
      return paperTitles.map((title) => paperIdByTitle(app, title));
    },
    /** The file of the `n`th ingest (from 1). */
    pageFile: (n: number) => join(dir, `page-${n}.txt`),
    /** `count` papers on "quokka lattice", first seen at `when`. */
    onTopic(when: Date, count = 1): number[] {
      const made = Array.from({ length: count }, () => {
        titles += 1;
        return `Quokka Lattice ${word(titles)} Sampling`;
      });
      return w.ingest(when, made);
    },
    subscribe(
      settings: Partial<Settings> & { topics?: string[]; now?: Date } = {},
      channelId = "c1",
      guildId = "g1",
    ): Subscription {
      const { topics = [topic], now = utc("2026-11-01T00:00"), ...rest } = settings;
      return roundups.subscriptions.subscribe(guildId, channelId, {
        timeZone: "Europe/Paris",
        time: "09:00",
        ...rest,
        topics,
        by: "admin",
        now,
      }).subscription;
    },
    sub: (id: number) => roundups.subscriptions.byId(id) as Subscription,
    /** Every roundup of a subscription, oldest first. */
    roundupsOf(subscriptionId: number): Roundup[] {
      const ids = app.db
        .prepare("SELECT id FROM roundups WHERE subscription_id = ? ORDER BY local_date")
        .pluck()
        .all(subscriptionId) as number[];
      return ids.map((id) => roundups.outbox.get(id) as Roundup);
    },
    /** The papers the channel shows, in the order it shows them. */
    shown: (channelId = "c1") => platform.in(channelId).flatMap((m) => paperIdsIn(m.body)),
    /** The papers recorded as posted to the channel. */
    postedTo: (channelId = "c1") =>
      sorted(
        app.db
          .prepare("SELECT paper_id FROM posted_papers WHERE channel_id = ?")
          .pluck()
          .all(channelId) as number[],
      ),
  };
  return w;
}

/** What `promise` rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, it resolved");
}

describe("when a roundup is due", () => {
  it.each([
    ["Asia/Tokyo", "08:00", "2026-11-23T22:59", "2026-11-23T23:00", "2026-11-24"],
    ["America/New_York", "09:00", "2026-11-24T13:59", "2026-11-24T14:00", "2026-11-24"],
    ["Europe/Paris", "09:00", "2026-11-24T07:59", "2026-11-24T08:00", "2026-11-24"],
  ])(
    "in %s at %s goes out at that local time, not before",
    async (zone, time, before, at, date) => {
      const w = world();
      const sub = w.subscribe({ timeZone: zone, time });
      const papers = w.onTopic(minutes(utc(before), -120), 2);

      await w.runner.tick(utc(before));
      expect(w.port.attempts).toHaveLength(0);
      expect(w.outbox.latest(sub.id)).toBeUndefined();

      await w.runner.tick(utc(at));
      expect(w.port.attempts).toHaveLength(1);
      expect(sorted(w.shown())).toEqual(sorted(papers));
      const [roundup] = w.roundupsOf(sub.id);
      expect(roundup).toMatchObject({ localDate: date, status: "sent" });
      expect(embedsOf(w.platform.messages[0]?.body)[0]?.title).toBe(`Paper roundup · ${date}`);
    },
  );

  it("catches up after days of downtime with one roundup of everything since the last", async () => {
    const w = world();
    const sub = w.subscribe();
    const first = w.onTopic(utc("2026-11-22T20:00"), 2);
    await w.runner.tick(utc("2026-11-23T08:00")); // Monday 09:00 in Paris
    expect(sorted(w.shown())).toEqual(sorted(first));

    // The bot is down from Monday evening to Thursday afternoon; papers keep arriving.
    const missed = [
      ...w.onTopic(utc("2026-11-23T12:00")),
      ...w.onTopic(utc("2026-11-24T12:00")),
      ...w.onTopic(utc("2026-11-25T12:00")),
      ...w.onTopic(utc("2026-11-26T07:30")),
    ];
    await w.runner.tick(utc("2026-11-26T13:00"));
    await w.runner.tick(utc("2026-11-26T13:01"));

    const all = w.roundupsOf(sub.id);
    expect(all.map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-23", "sent"],
      ["2026-11-26", "sent"],
    ]);
    expect(all[1]?.windowStart).toBe(all[0]?.windowEnd);
    expect(all[1]?.windowEnd).toBe("2026-11-26T13:00:00.000Z");
    expect(w.platform.messages).toHaveLength(2);
    expect(sorted(paperIdsIn(w.platform.messages[1]?.body))).toEqual(sorted(missed));
  });

  it("on weekdays skips Saturday and Sunday, and Monday's has the weekend's papers", async () => {
    const w = world();
    const sub = w.subscribe({ days: "weekdays" });
    w.onTopic(utc("2026-11-26T12:00"));
    await w.runner.tick(utc("2026-11-27T08:00")); // Friday 09:00
    expect(w.platform.messages).toHaveLength(1);

    const weekend = [...w.onTopic(utc("2026-11-28T12:00")), ...w.onTopic(utc("2026-11-29T12:00"))];
    for (const at of [
      "2026-11-28T08:00",
      "2026-11-28T15:00",
      "2026-11-29T09:00",
      "2026-11-30T07:59",
    ])
      await w.runner.tick(utc(at));
    expect(w.platform.messages).toHaveLength(1);
    expect(w.outbox.latest(sub.id)?.localDate).toBe("2026-11-27");

    await w.runner.tick(utc("2026-11-30T08:00")); // Monday 09:00
    expect(w.outbox.latest(sub.id)?.localDate).toBe("2026-11-30");
    expect(sorted(paperIdsIn(w.platform.messages[1]?.body))).toEqual(sorted(weekend));
  });

  it("lets other work run before each subscription a tick looks at, then takes it as it is then", async () => {
    const w = world();
    w.onTopic(utc("2026-11-22T12:00"));
    w.subscribe({}, "c1");
    w.subscribe({}, "c2");
    const order: string[] = [];
    // 09:00 in Paris: both are due.
    const ticking = w.runner.tick(utc("2026-11-23T08:00")).then(() => order.push("tick done"));
    setImmediate(() => {
      order.push("an interaction");
      w.subscribe({ time: "18:00" }, "c2"); // an admin moves c2's roundup while the tick runs
    });
    await ticking;
    expect(order).toEqual(["an interaction", "tick done"]);
    expect(w.port.attempts.map((attempt) => attempt.channelId)).toEqual(["c1"]);
  });

  it("is posted once a day, however often the scheduler ticks", async () => {
    const w = world();
    const sub = w.subscribe();
    const first = w.onTopic(utc("2026-11-23T07:00"));
    await w.runner.tick(utc("2026-11-23T08:00"));
    const later = w.onTopic(utc("2026-11-23T08:30"));
    for (const at of [
      "2026-11-23T08:00",
      "2026-11-23T08:01",
      "2026-11-23T12:00",
      "2026-11-23T22:59",
    ])
      await w.runner.tick(utc(at));
    expect(w.port.attempts).toHaveLength(1);
    expect(w.shown()).toEqual(first);
    expect(w.roundupsOf(sub.id)).toHaveLength(1);

    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.shown()).toEqual([...first, ...later]);
  });

  it("never posts a paper to a channel twice, even when windows overlap", async () => {
    const w = world();
    w.subscribe();
    const first = w.onTopic(utc("2026-11-23T07:00"), 2);
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(sorted(w.shown())).toEqual(sorted(first));

    // A new subscription on the same channel: its first window (the last 24 h) covers the papers posted.
    w.subscriptions.unsubscribe("g1", "c1");
    const again = w.subscribe({ now: utc("2026-11-23T09:00") });
    const fresh = w.onTopic(utc("2026-11-23T10:00"));
    const draft = await w.runner.preview(again, utc("2026-11-23T11:00"));
    expect(draft.window.start < "2026-11-23T07:00").toBe(true);
    expect(draft.papers.map((p) => p.paperId)).toEqual(fresh);
    await w.runner.postNow(again, utc("2026-11-23T11:00"));

    expect(w.shown()).toHaveLength(3);
    expect(sorted(w.shown())).toEqual(sorted([...first, ...fresh]));
    // The new roundup may reuse the deleted one's row id; its nonces must still be new.
    const nonces = w.port.attempts.map((a) => a.nonce);
    expect(new Set(nonces).size).toBe(nonces.length);
    expect(w.postedTo()).toEqual(sorted([...first, ...fresh]));
  });

  it("never posts a paper to a channel twice when its file is forgotten and loaded again", async () => {
    const w = world();
    w.subscribe({}, "c1");
    const [paper] = w.onTopic(utc("2026-11-23T07:00"));
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.shown("c1")).toEqual([paper]);

    // `paperboy forget` of its file, which is then loaded again (not moved out of the
    // archive folder, or part of the right file): the same paper, under a new id.
    const file = w.pageFile(1);
    w.app.forget(file);
    w.app.ingest([file], { now: () => utc("2026-11-23T12:00") });
    w.subscribe({ now: utc("2026-11-23T10:00") }, "c2");
    await w.runner.tick(utc("2026-11-24T08:00"));

    expect(w.platform.in("c1")).toHaveLength(1);
    // A channel never sent it still gets it: new to the archive again, it is no one's yet.
    expect(w.shown("c2")).toHaveLength(1);
  });

  it("first covers everything since a day before the subscription was set up", async () => {
    const w = world();
    const sub = w.subscribe({ now: utc("2026-11-23T08:30") }); // 09:30 in Paris: due tomorrow
    w.onTopic(utc("2026-11-22T07:00")); // 25.5 h before
    w.onTopic(utc("2026-11-22T08:30")); // exactly 24 h before: the window starts after it
    const inside = [
      ...w.onTopic(utc("2026-11-22T08:31")),
      ...w.onTopic(utc("2026-11-23T12:00")),
      ...w.onTopic(utc("2026-11-24T07:59")),
    ];
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(sorted(w.shown())).toEqual(sorted(inside));
    expect(w.outbox.latest(sub.id)).toMatchObject({
      windowStart: "2026-11-22T08:30:00.000Z",
      windowEnd: "2026-11-24T08:00:00.000Z",
    });
  });

  it("first, days after it was set up, still has every paper since", async () => {
    const w = world();
    // Friday 11:00 in Paris, weekdays at 09:00: the first roundup is Monday's.
    w.subscribe({ days: "weekdays", now: utc("2026-11-27T10:00") });
    const weekend = [...w.onTopic(utc("2026-11-28T12:00")), ...w.onTopic(utc("2026-11-29T12:00"))];
    await w.runner.tick(utc("2026-11-30T08:00"));
    expect(sorted(w.shown())).toEqual(sorted(weekend));
  });
});

describe("a new subscription's first roundup", () => {
  it("comes at the next time it names when set up after today's, not the minute it is set up", async () => {
    const w = world();
    const setUp = utc("2026-11-23T15:23"); // Monday 16:23 in Paris, past 09:00
    const sub = w.subscribe({ now: setUp });
    const papers = w.onTopic(utc("2026-11-23T12:00"), 2);
    expect(
      subscriptionBlocks([w.sub(sub.id)], w.outbox, setUp, Number.POSITIVE_INFINITY),
    ).toContain("Next run: Tue 24 Nov 2026, 09:00 (Europe/Paris)");
    await w.runner.tick(minutes(setUp, 1));
    await w.runner.tick(utc("2026-11-24T07:59"));
    expect(w.port.attempts).toHaveLength(0);

    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.roundupsOf(sub.id).map((r) => r.localDate)).toEqual(["2026-11-24"]);
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("comes today when set up before today's time, or moved to a time still to come", async () => {
    const early = world();
    const before = early.subscribe({ now: utc("2026-11-23T07:30") }); // 08:30 in Paris
    early.onTopic(utc("2026-11-23T07:00"));
    await early.runner.tick(utc("2026-11-23T08:00"));
    expect(early.roundupsOf(before.id).map((r) => r.localDate)).toEqual(["2026-11-23"]);

    const moved = world();
    const sub = moved.subscribe({ now: utc("2026-11-23T15:23") });
    moved.subscribe({ time: "18:00", now: utc("2026-11-23T15:30") });
    moved.onTopic(utc("2026-11-23T15:00"));
    await moved.runner.tick(utc("2026-11-23T16:59"));
    expect(moved.port.attempts).toHaveLength(0);
    await moved.runner.tick(utc("2026-11-23T17:00")); // 18:00 in Paris
    expect(moved.roundupsOf(sub.id).map((r) => r.localDate)).toEqual(["2026-11-23"]);
  });
});

describe("a channel unsubscribed and subscribed again", () => {
  it("gets no second roundup on a day it was posted one, unless /roundup now asks for it", async () => {
    const w = world();
    w.subscribe({ now: utc("2026-11-22T10:00") });
    const monday = w.onTopic(utc("2026-11-23T07:00"));
    await w.runner.tick(utc("2026-11-23T08:00")); // 09:00 in Paris
    expect(w.shown()).toEqual(monday);

    // Subscribed again before a later time that day: that day's roundup went out already.
    w.subscriptions.unsubscribe("g1", "c1");
    const again = w.subscribe({ time: "12:00", now: utc("2026-11-23T09:30") });
    expect(w.roundupsOf(again.id)).toEqual([]);
    const later = w.onTopic(utc("2026-11-23T10:00"));
    expect(
      subscriptionBlocks([again], w.outbox, utc("2026-11-23T09:30"), Number.POSITIVE_INFINITY),
    ).toContain("Next run: Tue 24 Nov 2026, 12:00 (Europe/Paris)");
    await w.runner.tick(utc("2026-11-23T11:00")); // 12:00 in Paris
    expect(w.port.attempts).toHaveLength(1);

    // An admin who wants one asks for it.
    const posted = await w.runner.postNow(again, utc("2026-11-23T11:30"));
    expect(posted).toMatchObject({ status: "sent", localDate: "2026-11-23" });
    expect(w.shown()).toEqual([...monday, ...later]);
  });
});

describe("a channel whose roundup had nothing new, unsubscribed and subscribed again that day", () => {
  it("gets no second “Nothing new” that day", async () => {
    const w = world();
    w.subscribe({ postWhenEmpty: true, now: utc("2026-11-22T10:00") });
    await w.runner.tick(utc("2026-11-23T08:00")); // 09:00 in Paris: nothing new
    expect(w.platform.messages.map((m) => m.body)).toEqual([
      { content: "Nothing new on your topics today (2026-11-23)." },
    ]);

    w.subscriptions.unsubscribe("g1", "c1");
    const again = w.subscribe({ postWhenEmpty: true, time: "12:00", now: utc("2026-11-23T09:30") });
    expect(
      subscriptionBlocks([again], w.outbox, utc("2026-11-23T09:30"), Number.POSITIVE_INFINITY),
    ).toContain("Next run: Tue 24 Nov 2026, 12:00 (Europe/Paris)");
    await w.runner.tick(utc("2026-11-23T11:00")); // 12:00 in Paris
    expect(w.platform.messages).toHaveLength(1);
    expect(w.roundupsOf(again.id)).toEqual([]);
  });

  it("gets its next roundup, new topics too, on its next roundup day: the day was done", async () => {
    const w = world();
    w.subscribe({ now: utc("2026-11-22T10:00") });
    await w.runner.tick(utc("2026-11-23T08:00")); // nothing new: nothing posted, the day done
    expect(w.outbox.latest(w.subscriptions.get("g1", "c1")?.id ?? 0)?.status).toBe("skipped");

    w.subscriptions.unsubscribe("g1", "c1");
    const again = w.subscribe({
      topics: [topic, "pangolin"],
      time: "12:00",
      now: utc("2026-11-23T09:30"),
    });
    const pangolin = w.ingest(utc("2026-11-23T10:00"), ["Pangolin Scale Estimation"]);
    const later = w.onTopic(utc("2026-11-23T10:00"));
    await w.runner.tick(utc("2026-11-23T11:00")); // 12:00 in Paris
    expect(w.port.attempts).toHaveLength(0);

    await w.runner.tick(utc("2026-11-24T11:00")); // Tuesday 12:00: everything since
    expect(sorted(w.shown())).toEqual(sorted([...pangolin, ...later]));
    expect(w.roundupsOf(again.id).map((r) => r.localDate)).toEqual(["2026-11-24"]);
  });
});

describe("a subscription without topics", () => {
  it("waits for them: nothing is posted, and the first roundup after, at its time, has every paper since", async () => {
    const w = world();
    const setUp = utc("2026-11-23T07:30"); // Monday 08:30 in Paris
    const sub = w.subscribe({ topics: [], postWhenEmpty: true, now: setUp });
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    expect(
      subscriptionBlocks([w.sub(sub.id)], w.outbox, setUp, Number.POSITIVE_INFINITY),
    ).toContain("Next run: once it has topics (/topics add)");
    const draft = await w.runner.preview(w.sub(sub.id), setUp);
    expect(draft.messages).toEqual([]); // not "Nothing new", as paperboy roundup --dry-run showed
    const preview = previewReply(draft, w.app.papers.get);
    expect(preview.embeds?.[0]?.description?.split("\n")[1]).toBe(
      "No topics yet, so no roundup goes out: add some with /topics add.",
    );
    const refused = await rejection(w.runner.postNow(w.sub(sub.id), setUp));
    expect(refused).toBeInstanceOf(UserError);
    expect(refused.message).toBe(
      "That channel's roundup follows no topics yet: add some with /topics add.",
    );

    await w.runner.tick(utc("2026-11-23T08:00")); // 09:00: nothing to look for, nothing said
    expect(w.port.attempts).toHaveLength(0);

    // Topics added at 10:00, one command after the other: the roundup keeps to its time, the
    // next morning, with every paper since it was set up on both.
    w.subscriptions.addTopics("g1", "c1", [topic]);
    await w.runner.tick(utc("2026-11-23T09:00"));
    const other = w.ingest(utc("2026-11-23T06:00"), ["Wombat Tessellation Sampling"]);
    w.subscriptions.addTopics("g1", "c1", ["wombat tessellation"]);
    await w.runner.tick(utc("2026-11-23T09:05"));
    expect(w.port.attempts).toHaveLength(0);
    expect(
      subscriptionBlocks([w.sub(sub.id)], w.outbox, utc("2026-11-23T09:05"), Infinity),
    ).toContain("Next run: Tue 24 Nov 2026, 09:00 (Europe/Paris)");
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-23", "failed"], // missed: no topics at its time
      ["2026-11-24", "sent"],
    ]);
    expect(sorted(w.shown())).toEqual(sorted([...papers, ...other]));
  });

  it("keeps one record of its days without topics, however many, and every paper since", async () => {
    const w = world();
    const sub = w.subscribe({ topics: [], now: utc("2026-11-20T12:00") });
    const papers = w.onTopic(utc("2026-11-21T12:00"), 2);
    for (const day of ["23", "24", "25", "26"]) await w.runner.tick(utc(`2026-11-${day}T08:00`));
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-26", "failed"],
    ]);
    w.subscriptions.addTopics("g1", "c1", [topic]);
    await w.runner.tick(utc("2026-11-27T08:00"));
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-26", "failed"],
      ["2026-11-27", "sent"],
    ]);
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("is not posted by /roundup now, even when a roundup planned before its topics went was given up", async () => {
    const w = world();
    const sub = w.subscribe({ now: utc("2026-11-20T12:00") });
    w.onTopic(utc("2026-11-22T12:00"));
    w.port.next.push(new DeliveryError("transient", "503")); // Monday's roundup waits for a retry
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.outbox.pending(sub.id)?.localDate).toBe("2026-11-23");
    w.subscriptions.removeTopic("g1", "c1", topic);

    // Tuesday: Monday's is given up at its day's end; with no topics, nothing new goes out.
    const refused = await rejection(w.runner.postNow(w.sub(sub.id), utc("2026-11-24T10:00")));
    expect(refused.message).toBe(
      "That channel's roundup follows no topics yet: add some with /topics add.",
    );
    expect(w.shown()).toEqual([]);
    expect(w.roundupsOf(sub.id).map((r) => r.status)).toEqual(["failed"]);
  });
});

describe("a server's roundups listed in one reply", () => {
  it("keep every status and next run, the longest topics cut first, and name those that do not fit", () => {
    const w = world();
    const topics = (channel: number) =>
      Array.from({ length: 25 }, (_, i) => `topic ${i} of channel ${channel} `.padEnd(100, "x"));
    const subscriptions = Array.from({ length: 30 }, (_, i) =>
      w.subscribe({ topics: i === 0 ? ["quokka lattice"] : topics(i) }, `c${i}`),
    );
    const at = utc("2026-11-23T12:00");
    const listed = subscriptionBlocks(subscriptions, w.outbox, at, 4096);
    expect(listed.length).toBeLessThanOrEqual(4096);
    const blocks = listed.split("\n\n");
    const tail = blocks.pop() as string;
    const shown = blocks.length;
    expect(shown).toBeGreaterThan(10);
    expect(tail).toBe(
      `…and ${30 - shown} more roundups: ${subscriptions
        .slice(shown)
        .map((s) => `<#${s.channelId}>`)
        .join(" ")}`,
    );
    for (const [i, block] of blocks.entries()) {
      expect(block.startsWith(`<#c${i}> — active\nTopics: `)).toBe(true);
      expect(block).toMatch(
        /\nNext run: Mon 23 Nov 2026, 13:00 \(Europe\/Paris\) · Last delivery: none yet$/,
      );
    }
    expect(blocks[0]).toContain("\nTopics: quokka lattice\n");
    const cut = blocks.slice(1).map((block) => /\nTopics: (.*)\n/.exec(block)?.[1] ?? "");
    expect(new Set(cut.map((line) => line.length)).size).toBe(1);
    expect(cut[0]?.endsWith("…")).toBe(true);
    expect(cut[0]?.length).toBeGreaterThanOrEqual(40);

    // With room enough, everything whole.
    const whole = subscriptionBlocks(subscriptions.slice(0, 3), w.outbox, at, 100_000);
    expect(whole).not.toContain("…");
    expect(whole).toContain(topics(2).join(" · "));
  });

  it("name those that do not fit by whole channel mentions, then how many more there are", () => {
    const w = world();
    const ids = Array.from({ length: 150 }, (_, i) => String(1300000000000000000n + BigInt(i)));
    const subscriptions = ids.map((id) => w.subscribe({}, id));
    const listed = subscriptionBlocks(subscriptions, w.outbox, utc("2026-11-23T12:00"), 4096);
    expect(listed.length).toBeLessThanOrEqual(4096);
    const blocks = listed.split("\n\n");
    const tail = blocks.pop() as string;
    // It was cut at its 1,024th character, inside a mention: "… <#13000000…", shown as typed.
    const parts = /^…and (\d+) more roundups: ((?:<#\d+> )+)and (\d+) more$/.exec(tail);
    expect(parts, tail).not.toBeNull();
    const named = (parts?.[2] ?? "").trim().split(" ");
    expect(named).toEqual(
      ids.slice(blocks.length, blocks.length + named.length).map((id) => `<#${id}>`),
    );
    expect(Number(parts?.[1])).toBe(ids.length - blocks.length);
    expect(named.length + Number(parts?.[3])).toBe(ids.length - blocks.length);
    expect(tail.length).toBeLessThanOrEqual(1024);
  });

  it("work out the next run of each shown roundup once, and of those that cannot fit not at all", () => {
    const w = world();
    const subscriptions = Array.from({ length: 200 }, (_, i) => w.subscribe({}, `c${i}`));
    const reads = new Map<number, number>();
    const counted =
      <T>(read: (id: number) => T) =>
      (id: number): T => {
        reads.set(id, (reads.get(id) ?? 0) + 1);
        return read(id);
      };
    const outbox = {
      servedBy: (subscription: Subscription) =>
        counted(() => w.outbox.servedBy(subscription))(subscription.id),
      lastDelivered: counted(w.outbox.lastDelivered),
      pending: counted(w.outbox.pending),
      latest: counted(w.outbox.latest),
      unsent: w.outbox.unsent,
      progress: w.outbox.progress,
      refusals: w.outbox.refusals,
    };
    const listed = subscriptionBlocks(subscriptions, outbox, utc("2026-11-23T12:00"), 4096);
    const shown = listed.split("\n\n").length - 1;
    expect(listed).toContain(`…and ${200 - shown} more roundups`);
    // Its latest roundup (for the schedule, and for what Discord refused of it), last delivery
    // and any roundup waiting for a retry: four reads each.
    expect(Math.max(...reads.values())).toBe(4);
    // Not all 200: those in order until their blocks, even without topics, fill 4,096 characters.
    expect(reads.size).toBeGreaterThan(shown);
    expect(reads.size).toBeLessThan(30);
  });
});

describe("what a roundup holds", () => {
  it("posts nothing when nothing is new, and counts the day as done", async () => {
    const w = world();
    const sub = w.subscribe();
    w.ingest(utc("2026-11-23T12:00"), ["Pangolin Scale Estimation"]);
    await w.runner.tick(utc("2026-11-24T08:00"));
    await w.runner.tick(utc("2026-11-24T12:00"));
    expect(w.port.attempts).toHaveLength(0);
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-24", "skipped"],
    ]);
    expect(w.outbox.lastDelivered(sub.id)?.localDate).toBe("2026-11-24");
    expect(
      subscriptionBlocks(
        [w.sub(sub.id)],
        w.outbox,
        utc("2026-11-24T12:00"),
        Number.POSITIVE_INFINITY,
      ),
    ).toContain("Last delivery: 2026-11-24 (nothing new, nothing posted)");
    const loud = w.subscribe({ postWhenEmpty: true }, "c2");
    expect(
      subscriptionBlocks([loud], w.outbox, utc("2026-11-24T12:00"), Number.POSITIVE_INFINITY),
    ).toContain("up to 10 papers, and “nothing new” on quiet days\n");

    // A paper after the skipped roundup comes the next day; its window starts where that one ended.
    const next = w.onTopic(utc("2026-11-24T10:00"));
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.shown()).toEqual(next);
    expect(w.outbox.latest(sub.id)?.windowStart).toBe("2026-11-24T08:00:00.000Z");
  });

  it("says “Nothing new” when the subscription posts empty roundups", async () => {
    const w = world();
    const sub = w.subscribe({ postWhenEmpty: true });
    w.ingest(utc("2026-11-23T12:00"), ["Pangolin Scale Estimation"]);
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.platform.messages.map((m) => m.body)).toEqual([
      { content: "Nothing new on your topics today (2026-11-24)." },
    ]);
    expect(w.outbox.latest(sub.id)?.status).toBe("sent");
    expect(w.postedTo()).toEqual([]);
  });

  it("holds at most max papers, the best first, and says how many", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 3 });
    const papers = w.onTopic(utc("2026-11-23T12:00"), 5);
    const draft = await w.runner.preview(sub, utc("2026-11-24T08:00"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.shown()).toHaveLength(3);
    expect(w.shown()).toEqual(draft.papers.map((p) => p.paperId));
    for (const id of w.shown()) expect(papers).toContain(id);
    // All 5 matched: "3 new papers" alone had members think the day brought 3.
    expect(draft.matched).toBe(5);
    expect(embedsOf(w.platform.messages[0]?.body)[0]?.description).toBe(
      "The top 3 of 5 new papers on this channel's topics, best match first.",
    );
  });

  it("splits 25 papers into messages of at most 10 embeds, the header first", async () => {
    const w = world();
    w.subscribe({ maxPapers: 25 });
    const papers = w.onTopic(utc("2026-11-23T12:00"), 25);
    await w.runner.tick(utc("2026-11-24T08:00"));
    const messages = w.platform.in("c1");
    expect(messages.map((m) => embedsOf(m.body).length)).toEqual([10, 10, 6]);
    const header = embedsOf(messages[0]?.body)[0];
    expect(header?.title).toBe("Paper roundup · 2026-11-24");
    expect(header?.description).toMatch(/^25 new papers/);
    expect(sorted(w.shown())).toEqual(sorted(papers));
    expect(w.postedTo()).toEqual(sorted(papers));
  });

  it("splits long papers by Discord's 6,000 characters a message too", async () => {
    const w = world();
    w.subscribe({ maxPapers: 25 });
    const filler = "with Thoroughly Calibrated Stochastic Neighbourhood Estimators";
    const titles = Array.from(
      { length: 25 },
      (_, i) => `Quokka Lattice ${word(i)} ${filler} ${filler} ${filler} ${filler}`,
    );
    const papers = w.ingest(utc("2026-11-23T12:00"), titles);
    await w.runner.tick(utc("2026-11-24T08:00"));
    const messages = w.platform.in("c1");
    for (const message of messages) {
      const embeds = embedsOf(message.body);
      expect(embeds.length).toBeLessThanOrEqual(10);
      expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(6000);
    }
    // Ten embeds would be over 6,000 characters: some message before the last holds fewer.
    expect(messages.slice(0, -1).some((m) => embedsOf(m.body).length < 10)).toBe(true);
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("preview shows exactly what the tick then posts: papers, order, messages", async () => {
    const w = world();
    const sub = w.subscribe({ topics: [topic, "pangolin scales"], maxPapers: 25 });
    w.onTopic(utc("2026-11-23T12:00"), 8);
    w.ingest(utc("2026-11-23T13:00"), [
      "Pangolin Scales Under Pressure",
      "Pangolin Scales Revisited",
      "Quokka Lattice Meets Pangolin Scales",
      "Tapir Snout Dynamics",
    ]);
    for (const day of ["2026-11-24", "2026-11-25"]) {
      w.onTopic(utc(`${day}T06:00`), 3);
      const now = utc(`${day}T08:00`);
      const draft = await w.runner.preview(w.sub(sub.id), now);
      expect(w.outbox.forDate(sub.id, day)).toBeUndefined(); // a preview plans nothing
      const before = w.platform.messages.length;
      await w.runner.tick(now);
      const sent = w.platform.messages.slice(before);
      expect(draft.papers.length).toBeGreaterThan(0);
      expect(sent.flatMap((m) => paperIdsIn(m.body))).toEqual(draft.papers.map((p) => p.paperId));
      expect(sent.map((m) => m.body)).toStrictEqual(
        draft.messages.map((m) => JSON.parse(JSON.stringify(m.body))),
      );
      expect(w.outbox.latest(sub.id)).toMatchObject({
        localDate: day,
        windowStart: draft.window.start,
        windowEnd: draft.window.end,
      });
    }
  });
});

describe("/roundup preview", () => {
  it("lists whole lines only, and says how many papers it had no room for", async () => {
    const w = world();
    // Every paper matches all four topics: 25 lines of some 200 characters, over 4,096 in all.
    const topics = [topic, "quokka lattice sampling", "lattice sampling", "quokka sampling"];
    const sub = w.subscribe({ topics, maxPapers: 25 });
    w.onTopic(utc("2026-11-23T12:00"), 25);
    const draft = await w.runner.preview(w.sub(sub.id), utc("2026-11-24T06:00"));
    expect(draft.papers).toHaveLength(25);
    const description = previewReply(draft, w.app.papers.get).embeds?.[0]?.description ?? "";
    expect(description.length).toBeLessThanOrEqual(4096);
    const [, what, ...listed] = description.split("\n");
    expect(what).toBe("25 papers in 3 messages:");
    const more = listed.pop();
    expect(listed.length).toBeLessThan(25);
    // As many as fit: one more line as long as the last shown would pass 4,096.
    expect(description.length + 1 + (listed.at(-1)?.length ?? 0)).toBeGreaterThan(4096);
    expect(more).toBe(`… and ${25 - listed.length} more papers, in the roundup all the same`);
    for (const [i, line] of listed.entries()) {
      expect(line).toMatch(
        new RegExp(`^${i + 1}\\. \\*\\*Quokka Lattice \\w+ Sampling\\*\\* — “.*\\)$`),
      );
    }
  });
});

describe("/roundup now", () => {
  it("posts at once and counts as today's roundup", async () => {
    const w = world();
    const sub = w.subscribe();
    const first = w.onTopic(utc("2026-11-23T20:00"));
    const roundup = await w.runner.postNow(sub, utc("2026-11-24T06:00")); // 07:00 in Paris
    expect(roundup).toMatchObject({ status: "sent", localDate: "2026-11-24" });
    expect(w.shown()).toEqual(first);

    const second = w.onTopic(utc("2026-11-24T07:00"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.port.attempts).toHaveLength(1);
    const error = await rejection(w.runner.postNow(sub, utc("2026-11-24T10:00")));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("already sent");
    expect(w.port.attempts).toHaveLength(1);

    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.shown()).toEqual([...first, ...second]);
  });

  it("once today's was sent, says when the next one comes: Monday's, after a weekday roundup's Friday", async () => {
    const w = world();
    const sub = w.subscribe({ days: "weekdays" });
    w.onTopic(utc("2026-11-26T12:00"));
    await w.runner.tick(utc("2026-11-27T08:00")); // Friday 09:00 in Paris
    expect(w.port.attempts).toHaveLength(1);

    const error = await rejection(w.runner.postNow(sub, utc("2026-11-27T10:00")));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      "Today's roundup for that channel is already sent; the next one comes Mon 30 Nov 2026, 09:00 (Europe/Paris).",
    );
  });

  it("with nothing new posts nothing, and still counts as today's", async () => {
    const w = world();
    const sub = w.subscribe();
    expect(await w.runner.postNow(sub, utc("2026-11-24T06:00"))).toMatchObject({
      status: "skipped",
    });
    expect(await w.runner.postNow(sub, utc("2026-11-24T06:01"))).toMatchObject({
      status: "skipped",
      localDate: "2026-11-24",
    });
    const later = w.onTopic(utc("2026-11-24T07:00"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.port.attempts).toHaveLength(0);
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.shown()).toEqual(later);
  });

  it("after a quiet morning posts what came since, as previewed, and the next day does not repeat it", async () => {
    const w = world();
    const sub = w.subscribe();
    await w.runner.tick(utc("2026-11-24T08:00")); // 09:00 in Paris, nothing new
    expect(w.outbox.latest(sub.id)?.status).toBe("skipped");

    const papers = w.onTopic(utc("2026-11-24T10:00"), 3);
    const draft = await w.runner.preview(sub, utc("2026-11-24T11:00"));
    expect(sorted(draft.papers.map((p) => p.paperId))).toEqual(sorted(papers));
    const posted = await w.runner.postNow(sub, utc("2026-11-24T11:00"));
    expect(posted).toMatchObject({
      status: "sent",
      localDate: "2026-11-24",
      windowStart: draft.window.start,
      windowEnd: draft.window.end,
    });
    expect(w.platform.messages.map((m) => m.body)).toStrictEqual(
      draft.messages.map((m) => JSON.parse(JSON.stringify(m.body))),
    );
    expect(w.postedTo()).toEqual(sorted(papers));
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status])).toEqual([
      ["2026-11-24", "sent"],
    ]);

    // Today is done now; tomorrow brings only what is new.
    const error = await rejection(w.runner.postNow(sub, utc("2026-11-24T12:00")));
    expect(error.message).toContain("already sent");
    const next = w.onTopic(utc("2026-11-24T20:00"));
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.shown()).toEqual([...draft.papers.map((p) => p.paperId), ...next]);
  });
});

describe("a crash mid-roundup", () => {
  it("resumes at the next message after a restart, with each message's nonce unchanged", async () => {
    const path = join(tempDir(), "paperboy.db");
    const before = world(path);
    const sub = before.subscribe({ maxPapers: 25 });
    const papers = before.onTopic(utc("2026-11-23T12:00"), 25);
    // The first message goes out; the process dies while the second is on its way (not posted).
    before.port.next.push("ok", "die");
    void before.runner.tick(utc("2026-11-24T08:00"));
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(before.port.attempts).toHaveLength(2);
    expect(before.platform.messages).toHaveLength(1);

    // kill -9: a new process on the same database file, talking to the same platform.
    const after = world(path, before.platform);
    await after.runner.tick(utc("2026-11-24T08:02"));
    const roundup = after.outbox.latest(sub.id) as Roundup;
    expect(roundup.status).toBe("sent");
    const r = roundup.id;
    expect(before.port.attempts.map((a) => messageOf(a.nonce))).toEqual([`${r}.0`, `${r}.1`]);
    expect(after.port.attempts.map((a) => messageOf(a.nonce))).toEqual([`${r}.1`, `${r}.2`]);
    expect(after.port.attempts[0]?.nonce).toBe(before.port.attempts[1]?.nonce);
    expect(after.port.attempts[0]?.body).toStrictEqual(before.port.attempts[1]?.body);
    expect(after.platform.messages).toHaveLength(3);
    expect(after.shown()).toHaveLength(25);
    expect(sorted(after.shown())).toEqual(sorted(papers));
    expect(after.postedTo()).toEqual(sorted(papers));

    await after.runner.tick(utc("2026-11-24T09:00"));
    expect(after.port.attempts).toHaveLength(2);
  });

  it("does not post a message twice when the crash came after the platform took it", async () => {
    const path = join(tempDir(), "paperboy.db");
    const before = world(path);
    const sub = before.subscribe({ maxPapers: 25 });
    const papers = before.onTopic(utc("2026-11-23T12:00"), 25);
    // The second message reaches the channel, but the process dies before recording it.
    before.port.next.push("ok", "post-then-die");
    void before.runner.tick(utc("2026-11-24T08:00"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(before.platform.messages).toHaveLength(2);

    const after = world(path, before.platform);
    await after.runner.tick(utc("2026-11-24T08:01"));
    const roundup = after.outbox.latest(sub.id) as Roundup;
    // Sent again with the same nonce, which the platform drops as a repeat.
    expect(after.port.attempts[0]?.nonce).toBe(before.port.attempts[1]?.nonce);
    expect(after.platform.messages.map((m) => m.nonce)).toEqual(
      [0, 1, 2].map((seq) => expect.stringMatching(new RegExp(`^pb${roundup.id}\\.${seq}\\.`))),
    );
    expect(after.shown()).toHaveLength(25);
    expect(sorted(after.shown())).toEqual(sorted(papers));
  });

  it("treats an unexpected send error as transient and resumes after a restart", async () => {
    const path = join(tempDir(), "paperboy.db");
    const before = world(path);
    const sub = before.subscribe({ maxPapers: 25 });
    const papers = before.onTopic(utc("2026-11-23T12:00"), 25);
    before.port.next.push("ok", new TypeError("socket hang up"));
    await before.runner.tick(utc("2026-11-24T08:00"));
    expect(before.outbox.latest(sub.id)).toMatchObject({
      status: "sending",
      attempts: 1,
      lastError: "socket hang up",
      retryAt: "2026-11-24T08:01:00.000Z",
    });

    const after = world(path, before.platform);
    await after.runner.tick(utc("2026-11-24T08:00:59"));
    expect(after.port.attempts).toHaveLength(0);
    await after.runner.tick(utc("2026-11-24T08:01"));
    expect(after.outbox.latest(sub.id)?.status).toBe("sent");
    expect(after.port.attempts).toHaveLength(2);
    expect(sorted(after.shown())).toEqual(sorted(papers));
  });
});

describe("when sending fails", () => {
  it("retries a transient failure after a growing wait, not before", async () => {
    const w = world();
    const sub = w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T12:00"), 2);
    w.port.next.push(new DeliveryError("transient", "503"), new DeliveryError("transient", "503"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.outbox.latest(sub.id)).toMatchObject({
      status: "sending",
      attempts: 1,
      retryAt: "2026-11-24T08:01:00.000Z",
      lastError: "503",
    });
    await w.runner.tick(utc("2026-11-24T08:00:59"));
    expect(w.port.attempts).toHaveLength(1);
    await w.runner.tick(utc("2026-11-24T08:01"));
    expect(w.port.attempts).toHaveLength(2);
    expect(w.outbox.latest(sub.id)).toMatchObject({
      attempts: 2,
      retryAt: "2026-11-24T08:03:00.000Z",
    });
    await w.runner.tick(utc("2026-11-24T08:02:59"));
    expect(w.port.attempts).toHaveLength(2);
    await w.runner.tick(utc("2026-11-24T08:03"));
    expect(w.port.attempts).toHaveLength(3);
    expect(w.outbox.latest(sub.id)?.status).toBe("sent");
    expect(w.roundupsOf(sub.id)).toHaveLength(1);
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("/subscriptions gives the retry as the next run, not tomorrow's roundup", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    w.onTopic(utc("2026-11-23T20:00"), 12); // two messages: header + 9, then 3
    w.port.next.push("ok", new DeliveryError("transient", "503"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    const listed = () =>
      subscriptionBlocks([w.sub(sub.id)], w.outbox, utc("2026-11-24T08:00:30"), 4096);
    expect(listed()).toContain(
      "Next run: Tue 24 Nov 2026, 09:01 (Europe/Paris), a retry of the roundup of 2026-11-24 (1 message left)",
    );

    await w.runner.tick(utc("2026-11-24T08:01"));
    expect(w.outbox.latest(sub.id)?.status).toBe("sent");
    expect(listed()).toContain("Next run: Wed 25 Nov 2026, 09:00 (Europe/Paris)");
  });

  it("preview shows what is left of a roundup waiting for a retry, as /roundup now then sends it", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T20:00"), 12); // at most 10: header + 9, then 1
    w.port.next.push("ok", new DeliveryError("transient", "503"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    w.onTopic(utc("2026-11-24T08:00:10"), 2); // new since, for the next roundup

    const at = utc("2026-11-24T08:00:30");
    const draft = await w.runner.preview(w.sub(sub.id), at);
    const before = w.platform.messages.length;
    expect(await w.runner.postNow(w.sub(sub.id), at)).toMatchObject({ status: "sent" });
    const sent = w.platform.messages.slice(before);
    expect(sent).toHaveLength(1);
    expect(draft.papers.map((p) => p.paperId)).toEqual(paperIdsIn(sent[0]?.body));
    expect(sent.map((m) => m.body)).toStrictEqual(draft.messages.map((m) => m.body));
    expect(draft.localDate).toBe("2026-11-24");
    expect(previewReply(draft, w.app.papers.get).embeds?.[0]?.description).toContain(
      "Waiting for a retry (503): 1 paper in 1 message still to send, as planned; /roundup now sends it at once.",
    );
  });

  it("gives up at the end of the local day; the unsent papers come the next day", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    const papers = w.onTopic(utc("2026-11-23T20:00"), 12); // two messages: header + 9, then 3
    w.port.next.push("ok");
    w.port.always = new DeliveryError("transient", "Discord is down");

    const tries: string[] = [];
    for (let now = utc("2026-11-24T08:00"); now < utc("2026-11-25T08:00"); now = minutes(now, 1)) {
      const before = w.port.attempts.length;
      await w.runner.tick(now);
      for (let i = before; i < w.port.attempts.length; i++)
        tries.push(now.toISOString().slice(11, 16));
    }
    // Retries after 1, 2, 4 … minutes, at most an hour apart, until midnight in Paris (23:00 UTC).
    expect(tries).toEqual([
      "08:00", // the first message
      "08:00",
      "08:01",
      "08:03",
      "08:07",
      "08:15",
      "08:31",
      "09:03",
      ...Array.from({ length: 13 }, (_, i) => `${String(10 + i).padStart(2, "0")}:03`),
    ]);
    const [given] = w.roundupsOf(sub.id);
    expect(given).toMatchObject({
      localDate: "2026-11-24",
      status: "failed",
      lastError: "Discord still failed at the end of 2026-11-24: Discord is down",
    });
    const first = paperIdsIn(w.platform.messages[0]?.body);
    expect(first).toHaveLength(9);
    expect(w.postedTo()).toEqual(sorted(first));
    // The admin is told why no (whole) roundup came, as while it was retried.
    const listed = subscriptionBlocks([w.sub(sub.id)], w.outbox, utc("2026-11-25T07:00"), 4096);
    expect(listed).toContain(
      "Not posted: the roundup of 2026-11-24 (1 of 2 messages went out): Discord still failed at the end of 2026-11-24: Discord is down; what it did not post comes with the next roundup.",
    );

    // The next day, Discord is back: the three unsent papers come with the new one.
    w.port.always = "ok";
    const fresh = w.onTopic(utc("2026-11-25T06:00"));
    await w.runner.tick(utc("2026-11-25T08:00"));
    const unsent = papers.filter((id) => !first.includes(id));
    expect(sorted(paperIdsIn(w.platform.messages[1]?.body))).toEqual(sorted([...unsent, ...fresh]));
    expect(sorted(w.shown())).toEqual(sorted([...papers, ...fresh]));
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-25", status: "sent" });
  });

  it("fails a roundup Discord refused all of, keeps the subscription, and offers its papers no more", async () => {
    const w = world();
    const sub = w.subscribe();
    const blocked = w.onTopic(utc("2026-11-23T20:00"), 2); // one message
    const reason =
      "Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation)";
    w.port.next.push(new DeliveryError("refused", reason));
    await w.runner.tick(utc("2026-11-24T08:00"));
    for (const at of ["08:01", "08:03", "08:07", "12:00"])
      await w.runner.tick(utc(`2026-11-24T${at}`));
    expect(w.port.attempts).toHaveLength(1); // never sent again
    expect(w.outbox.latest(sub.id)).toMatchObject({
      status: "failed",
      attempts: 0,
      lastError: reason,
    });
    expect(w.postedTo()).toEqual([]);
    expect(w.sub(sub.id).status).toBe("active");
    expect(w.port.tells).toEqual([]);
    expect(subscriptionBlocks([w.sub(sub.id)], w.outbox, utc("2026-11-24T12:00"), 4096)).toContain(
      `Not posted: 1 of 1 message of the roundup of 2026-11-24, which Discord refused: ${reason}`,
    );

    // The next day has the papers new since, not the refused ones: sent again, they would be
    // refused again, another alert to the server's moderators each day.
    const fresh = w.onTopic(utc("2026-11-25T06:00"));
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(paperIdsIn(w.platform.messages[0]?.body)).toEqual(fresh);
    expect(w.postedTo()).toEqual(sorted(fresh));
    expect(w.postedTo()).not.toContain(blocked[0]);
  });

  it("offers a refused message's papers no more when the rest of its roundup is given up", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    const papers = w.onTopic(utc("2026-11-23T20:00"), 12); // two messages: header + 9, then 3
    const reason =
      "Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation)";
    w.port.next.push(new DeliveryError("refused", reason));
    w.port.always = new DeliveryError("transient", "Discord is down");
    await w.runner.tick(utc("2026-11-24T08:00"));
    const blocked = paperIdsIn(w.port.attempts[0]?.body);
    expect(blocked).toHaveLength(9);

    // Discord is back the next day: the roundup of the 24th is given up (failed, its window
    // open again for the three papers never sent), and the 25th's has those, not the blocked.
    w.port.always = "ok";
    const fresh = w.onTopic(utc("2026-11-25T06:00"));
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.roundupsOf(sub.id).map((r) => r.status)).toEqual(["failed", "sent"]);
    const unsent = papers.filter((id) => !blocked.includes(id));
    expect(sorted(w.shown())).toEqual(sorted([...unsent, ...fresh]));
  });

  it("pauses on missing permissions, tells the guild once, and resumes when they are back", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T07:00"));
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.platform.messages).toHaveLength(1);

    const unseen = w.onTopic(utc("2026-11-23T12:00"));
    const reason = "Missing Permissions: Paperboy cannot send messages in #papers";
    w.port.always = new DeliveryError("forbidden", reason);
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.sub(sub.id)).toMatchObject({
      status: "paused",
      statusReason: reason,
    });
    expect(w.outbox.forDate(sub.id, "2026-11-24")?.status).toBe("failed");
    expect(w.port.tells).toHaveLength(1);
    expect(w.port.tells[0]).toEqual({ guildId: "g1", channelId: "c1", status: "paused", reason });
    // A preview says the roundup will not go out as shown, and why.
    const preview = previewReply(
      await w.runner.preview(w.sub(sub.id), utc("2026-11-24T09:00")),
      w.app.papers.get,
    );
    expect(preview.embeds?.[0]?.description?.split("\n")[1]).toBe(
      `**Paused**, so nothing is posted until it can be (checked on each roundup day; /roundup now once fixed): ${reason}`,
    );

    // Later the same day: nothing tried.
    await w.runner.tick(utc("2026-11-24T12:00"));
    expect(w.port.checks).toHaveLength(0);
    expect(w.port.attempts).toHaveLength(2);

    // The next day it is still forbidden: checked once, nothing sent, nobody told again.
    unseen.push(...w.onTopic(utc("2026-11-24T12:00")));
    w.port.access = { ok: false, problem: "forbidden", reason };
    await w.runner.tick(utc("2026-11-25T08:00"));
    await w.runner.tick(utc("2026-11-25T09:00"));
    expect(w.port.checks).toEqual([{ guildId: "g1", channelId: "c1" }]);
    expect(w.port.attempts).toHaveLength(2);
    expect(w.port.tells).toHaveLength(1);
    expect(w.sub(sub.id).status).toBe("paused");

    // The day after, permissions are back: it resumes with everything unseen.
    unseen.push(...w.onTopic(utc("2026-11-25T12:00")));
    w.port.access = { ok: true };
    w.port.always = "ok";
    await w.runner.tick(utc("2026-11-26T08:00"));
    expect(w.port.checks).toHaveLength(2);
    expect(w.sub(sub.id)).toMatchObject({ status: "active", statusReason: null });
    expect(sorted(paperIdsIn(w.platform.messages[1]?.body))).toEqual(sorted(unseen));
    expect(w.port.tells).toHaveLength(1);
  });

  it("gives up on the day and pauses in one write: a failure between them leaves neither done", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T07:00"));
    const reason = "Missing Permissions";
    w.port.always = new DeliveryError("forbidden", reason);
    // The status write fails once, as one kept waiting by another process's write lock does.
    const { setStatus } = w.subscriptions;
    w.subscriptions.setStatus = () => {
      w.subscriptions.setStatus = setStatus;
      throw new Error("database is locked");
    };
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.outbox.forDate(sub.id, "2026-11-23")?.status).toBe("sending");
    expect(w.sub(sub.id).status).toBe("active");

    // The next tick tries again, and this time the roundup fails and the subscription pauses.
    await w.runner.tick(utc("2026-11-23T08:01"));
    expect(w.outbox.forDate(sub.id, "2026-11-23")?.status).toBe("failed");
    expect(w.sub(sub.id)).toMatchObject({ status: "paused", statusReason: reason });
    expect(w.port.tells).toEqual([{ guildId: "g1", channelId: "c1", status: "paused", reason }]);
    expect(w.postedTo()).toEqual([]);
  });

  it("/roundup now, once the permission is back, resumes a paused roundup the same day", async () => {
    const w = world();
    const sub = w.subscribe();
    const unseen = w.onTopic(utc("2026-11-23T07:00"));
    w.port.always = new DeliveryError("forbidden", "Missing Permissions");
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.sub(sub.id).status).toBe("paused");
    expect(w.outbox.forDate(sub.id, "2026-11-23")?.status).toBe("failed");

    w.port.always = "ok";
    const posted = await w.runner.postNow(w.sub(sub.id), utc("2026-11-23T10:00"));
    expect(posted).toMatchObject({ status: "sent", localDate: "2026-11-23" });
    expect(w.sub(sub.id)).toMatchObject({ status: "active", statusReason: null });
    expect(w.shown()).toEqual(unseen);
    await expect(
      rejection(w.runner.postNow(w.sub(sub.id), utc("2026-11-23T11:00"))),
    ).resolves.toMatchObject({
      message: expect.stringContaining("already sent"),
    });
  });

  it("disables a roundup whose channel is gone, and never tries it again", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T20:00"));
    w.port.always = new DeliveryError("gone", "Unknown Channel");
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.sub(sub.id)).toMatchObject({ status: "disabled", statusReason: "Unknown Channel" });
    expect(w.port.tells).toHaveLength(1);
    expect(w.port.tells[0]?.status).toBe("disabled");

    w.port.always = "ok";
    for (const day of ["2026-11-24T12:00", "2026-11-25T08:00", "2026-11-26T08:00"]) {
      w.onTopic(utc(day));
      await w.runner.tick(utc(day));
    }
    expect(w.port.attempts).toHaveLength(1);
    expect(w.port.checks).toHaveLength(0);
    expect(w.port.tells).toHaveLength(1);
    expect(w.roundupsOf(sub.id)).toHaveLength(1);
  });

  it("leaves a roundup resumed while its re-check waited for Discord as it is", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T20:00"));
    w.port.always = new DeliveryError("forbidden", "Missing Access");
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(w.sub(sub.id).status).toBe("paused");
    // The answer comes from before Paperboy was added back to the server.
    w.port.access = { ok: false, problem: "forbidden", reason: "Missing Access" };
    const answer = w.port.checkChannel.bind(w.port);
    w.port.checkChannel = async (guildId, channelId) => {
      const access = await answer(guildId, channelId);
      w.subscriptions.setStatus(sub.id, "active", null, utc("2026-11-25T08:00:01"));
      return access;
    };
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.sub(sub.id)).toMatchObject({ status: "active", statusReason: null });
  });

  it("disables a paused roundup whose channel is gone when re-checked", async () => {
    const w = world();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T20:00"));
    w.port.always = new DeliveryError("forbidden", "Missing Access");
    await w.runner.tick(utc("2026-11-24T08:00"));
    w.port.access = { ok: false, problem: "gone", reason: "Unknown Channel" };
    await w.runner.tick(utc("2026-11-25T08:00"));
    expect(w.sub(sub.id)).toMatchObject({ status: "disabled", statusReason: "Unknown Channel" });
    await w.runner.tick(utc("2026-11-26T08:00"));
    expect(w.port.checks).toHaveLength(1);
    expect(w.port.attempts).toHaveLength(1);
    expect(w.port.tells.map((t) => t.status)).toEqual(["paused", "disabled"]);
  });
});

describe("Paperboy back in a server it was out of", () => {
  const out = "not in this server";
  const at = utc("2026-11-25T10:00");

  it("re-checks the roundups paused for its absence only, and only that server's", async () => {
    const w = world();
    const away = w.subscribe({}, "c1");
    const forbidden = w.subscribe({}, "c2");
    const elsewhere = w.subscribe({}, "c3", "g2");
    w.subscriptions.setStatus(away.id, "paused", out, at);
    w.subscriptions.setStatus(forbidden.id, "paused", "missing Send Messages", at);
    w.subscriptions.setStatus(elsewhere.id, "paused", out, at);

    expect(await w.runner.recheckPausedFor("g1", [out], at)).toEqual({ checked: 1, resumed: 1 });
    expect(w.port.checks).toEqual([{ guildId: "g1", channelId: "c1" }]);
    expect(w.sub(away.id)).toMatchObject({ status: "active", statusReason: null });
    expect(w.sub(forbidden.id)).toMatchObject({
      status: "paused",
      statusReason: "missing Send Messages",
    });
    expect(w.sub(elsewhere.id)).toMatchObject({ status: "paused", statusReason: out });
  });

  it("keeps one that still cannot post paused for what the check found, and says so", async () => {
    const w = world();
    const sub = w.subscribe();
    w.subscriptions.setStatus(sub.id, "paused", out, at);
    const reason = "missing Send Messages";
    w.port.access = { ok: false, problem: "forbidden", reason };
    expect(await w.runner.recheckPausedFor("g1", [out], at)).toEqual({ checked: 1, resumed: 0 });
    expect(w.sub(sub.id)).toMatchObject({ status: "paused", statusReason: reason });
    expect(w.port.tells).toEqual([{ guildId: "g1", channelId: "c1", status: "paused", reason }]);
    expect(w.roundupsOf(sub.id)).toEqual([]); // no day recorded as missed: none was due
  });

  it("resumes one Discord could not check: a refused send pauses it again, saying why", async () => {
    const w = world();
    const sub = w.subscribe();
    w.subscriptions.setStatus(sub.id, "paused", out, at);
    w.port.checkChannel = async () => {
      throw new Error("503 Service Unavailable");
    };
    expect(await w.runner.recheckPausedFor("g1", [out], at)).toEqual({ checked: 1, resumed: 1 });
    expect(w.sub(sub.id).status).toBe("active");
  });
});

describe("moving a roundup to another time zone", () => {
  /** Ticks every hour from `from` until before `until`, as the scheduler would (and more). */
  async function hourly(w: ReturnType<typeof world>, from: string, until: string) {
    for (let now = utc(from); now < utc(until); now = minutes(now, 60)) await w.runner.tick(now);
  }

  it("/roundup now sends the roundup waiting for a retry, and plans none beside it with its papers", async () => {
    const w = world();
    const sub = w.subscribe({ timeZone: "Asia/Tokyo" });
    const papers = w.onTopic(utc("2026-11-24T20:00"), 2);
    w.port.next.push(new DeliveryError("transient", "503"));
    await w.runner.tick(utc("2026-11-25T00:00")); // 09:00 on Wednesday in Tokyo
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-25", status: "sending" });

    // Still Tuesday evening in New York.
    const at = utc("2026-11-25T00:00:30");
    const moved = w.subscribe({ timeZone: "America/New_York", now: at });
    expect(await w.runner.postNow(moved, at)).toMatchObject({
      id: w.outbox.latest(sub.id)?.id,
      status: "sent",
    });
    expect(sorted(w.shown())).toEqual(sorted(papers));

    const later = w.onTopic(utc("2026-11-25T12:00"));
    await hourly(w, "2026-11-25T00:01", "2026-11-27T15:00");
    expect(w.shown().slice(2)).toEqual(later);
    expect(w.postedTo()).toEqual(sorted([...papers, ...later]));
  });

  it("moved west, the next roundup comes at the time there on the next date after the last went out", async () => {
    const w = world();
    const sub = w.subscribe({ timeZone: "Pacific/Auckland" });
    const first = w.onTopic(utc("2026-11-24T10:00"));
    await w.runner.tick(utc("2026-11-24T20:00")); // 09:00 on Wednesday the 25th in Auckland
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-25", status: "sent" });

    // 21:00 on Tuesday the 24th in London: Auckland's Wednesday roundup went out an hour ago.
    const at = utc("2026-11-24T21:00");
    const moved = w.subscribe({ timeZone: "Europe/London", now: at });
    expect(subscriptionBlocks([moved], w.outbox, at, Number.POSITIVE_INFINITY)).toContain(
      "Next run: Wed 25 Nov 2026, 09:00 (Europe/London) · Last delivery: 2026-11-25",
    );
    expect((await rejection(w.runner.postNow(moved, at))).message).toContain("already sent");

    const wednesday = w.onTopic(utc("2026-11-24T22:00"));
    const thursday = w.onTopic(utc("2026-11-25T12:00"));
    await hourly(w, "2026-11-24T21:00", "2026-11-26T10:00");
    const all = w.roundupsOf(sub.id);
    expect(all.map((r) => [r.localDate, r.plannedAt])).toEqual([
      ["2026-11-25", "2026-11-25T09:00:00.000Z"],
      ["2026-11-26", "2026-11-26T09:00:00.000Z"],
    ]);
    expect(all[0]?.windowStart).toBe("2026-11-24T20:00:00.000Z"); // where Auckland's ended
    expect(w.shown()).toEqual([...first, ...wednesday, ...thursday]);
    const headers = w.platform.messages.map((m) => embedsOf(m.body)[0]?.title);
    expect(headers).toEqual([
      "Paper roundup · 2026-11-25",
      "Paper roundup · 2026-11-25",
      "Paper roundup · 2026-11-26",
    ]);
  });

  it("moved west, a roundup failing again and again is given up at the end of its day there, and its papers come once", async () => {
    const w = world();
    const sub = w.subscribe({ timeZone: "Asia/Tokyo" });
    const papers = w.onTopic(utc("2026-11-24T20:00"), 2);
    w.port.always = new DeliveryError("transient", "503");
    await w.runner.tick(utc("2026-11-25T00:00")); // 09:00 on Wednesday in Tokyo
    w.subscribe({ timeZone: "America/New_York", now: utc("2026-11-25T00:00:30") }); // Tuesday there

    // Given up at midnight in New York, not retried into its Wednesday.
    await hourly(w, "2026-11-25T00:01", "2026-11-25T06:00");
    expect(w.outbox.latest(sub.id)).toMatchObject({
      status: "failed",
      lastError: "Discord still failed at the end of 2026-11-24: 503",
    });
    w.port.always = "ok";
    await hourly(w, "2026-11-25T06:00", "2026-11-26T15:00");
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status, r.plannedAt])).toEqual([
      ["2026-11-25", "sent", "2026-11-25T14:00:00.000Z"], // 09:00 in New York
      ["2026-11-26", "skipped", "2026-11-26T14:00:00.000Z"],
    ]);
    expect(sorted(w.shown())).toEqual(sorted(papers));
    expect(w.postedTo()).toEqual(sorted(papers));
  });

  it("moved west, then paused, is re-checked on the new zone's days and resumes where it left off", async () => {
    const w = world();
    const sub = w.subscribe({ timeZone: "Pacific/Auckland", maxPapers: 1 });
    const [best] = w.ingest(utc("2026-11-23T10:00"), ["Quokka Lattice"]);
    await w.runner.tick(utc("2026-11-23T20:00")); // Auckland's 24th
    // Two papers for Auckland's 25th: only one fits; the other stays unposted, and past.
    const [second, third] = w.ingest(utc("2026-11-24T10:00"), [
      "Quokka Lattice Sampling",
      "Quokka Lattice Sampling for Sparse Marsupial Graphs at Scale",
    ]);
    await w.runner.tick(utc("2026-11-24T20:00")); // Auckland's 25th
    expect(w.shown()).toEqual([best, second]);

    // Moved to London, with room for more papers; then Paperboy is removed from the server.
    w.subscribe({ timeZone: "Europe/London", maxPapers: 5, now: utc("2026-11-24T21:00") });
    w.subscriptions.pauseGuild("g1", "removed", utc("2026-11-24T22:00"));
    w.port.access = { ok: false, problem: "forbidden", reason: "Missing Access" };
    await w.runner.tick(utc("2026-11-25T09:00")); // London's 25th: still out
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-25", status: "failed" });

    // Back the next day: what came since Auckland's 25th, not that day's leftover.
    const fresh = w.onTopic(utc("2026-11-25T12:00"));
    w.port.access = { ok: true };
    await w.runner.tick(utc("2026-11-26T09:00"));
    expect(w.sub(sub.id).status).toBe("active");
    expect(w.shown()).toEqual([best, second, ...fresh]);
    expect(w.shown()).not.toContain(third);
  });
});

describe("beside another process's ingest", () => {
  it("selects a roundup's papers with the write lock held, so none can commit unseen meanwhile", async () => {
    const path = join(tempDir(), "paperboy.db");
    const w = world(path);
    const lockHeld = writeLockProbe(path);
    w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"));
    const select = w.app.selectRoundupPapers;
    const lockedWhileSelecting: boolean[] = [];
    w.app.selectRoundupPapers = (...args) => {
      lockedWhileSelecting.push(lockHeld());
      return select(...args);
    };
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(lockedWhileSelecting).toEqual([true]);
    expect(w.shown()).toEqual(papers);
  });

  it("a roundup due while that ingest holds the write lock goes out once it commits, the event loop free meanwhile", async () => {
    const path = join(tempDir(), "paperboy.db");
    const w = world(path, undefined, true);
    const writable = createWritable(w.app.db, async () => {}, realClock);
    const { runner } = createRoundups(w.app, w.port, silent, w.aside, writable);
    const sub = w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    const otherProcess = lockedElsewhere(path);

    const ticking = runner.tick(utc("2026-11-23T08:00"));
    // Held in busy_timeout, the event loop ran nothing else, then the tick failed.
    expect(await settledNow(ticking)).toBe(false);
    expect(w.outbox.latest(sub.id)).toBeUndefined();

    otherProcess.exec("COMMIT");
    await ticking;
    expect(sorted(w.shown())).toEqual(sorted(papers));
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-23", status: "sent" });
  });
});

/**
 * A world on a database file with the bot's runner: its papers chosen aside, its writes
 * waiting for the ingests of `refresh`, the archive refresh of the bot (see slowIngestRefresh).
 */
function worldWithRefresh() {
  const path = join(tempDir(), "paperboy.db");
  const w = world(path, undefined, true);
  const refresh = slowIngestRefresh(w.app);
  const { runner } = createRoundups(w.app, w.port, silent, w.aside, refresh.idle);
  return { ...w, runner, refresh, lockHeld: writeLockProbe(path) };
}

describe("while the bot's own archive refresh ingests a big file", () => {
  it("a roundup due meanwhile goes out once the ingest is over", async () => {
    const w = worldWithRefresh();
    const sub = w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    const ingest = w.refresh.start();
    const ticking = w.runner.tick(utc("2026-11-23T08:00"));
    expect(await settledNow(ticking)).toBe(false);
    expect(w.lockHeld()).toBe(true);
    expect(w.outbox.latest(sub.id)).toBeUndefined();

    await ingest.commit();
    await ticking;
    expect(sorted(w.shown())).toEqual(sorted(papers));
    expect(w.outbox.latest(sub.id)).toMatchObject({ localDate: "2026-11-23", status: "sent" });
  });

  it.each([
    ["posted", "ok" as const, { status: "sent" }, "active"],
    ["failed for now", new DeliveryError("transient", "503"), { attempts: 1 }, "active"],
    ["refused as it is", new DeliveryError("refused", "AutoMod"), { status: "failed" }, "active"],
    ["refused: no access", new DeliveryError("forbidden", "Missing Access"), {}, "paused"],
  ])(
    "a message whose send ended meanwhile (%s) is recorded once the ingest is over",
    async (_, outcome, roundup, status) => {
      const w = worldWithRefresh();
      const sub = w.subscribe();
      w.onTopic(utc("2026-11-23T07:00"));
      w.port.next.push(outcome);
      const open = w.port.hold();
      const sending = w.port.nextSend();
      const ticking = w.runner.tick(utc("2026-11-23T08:00"));
      await sending;
      const ingest = w.refresh.start();
      open();
      expect(await settledNow(ticking)).toBe(false);
      expect(w.outbox.latest(sub.id)).toMatchObject({ status: "sending", attempts: 0 });

      await ingest.commit();
      await ticking;
      expect(w.outbox.latest(sub.id)).toMatchObject(roundup);
      expect(w.sub(sub.id).status).toBe(status);
    },
  );

  it("a paused roundup whose re-check was answered meanwhile resumes once the ingest is over", async () => {
    const w = worldWithRefresh();
    const sub = w.subscribe();
    w.subscriptions.setStatus(sub.id, "paused", "Missing Access", utc("2026-11-22T08:00"));
    const papers = w.onTopic(utc("2026-11-23T07:00"));
    let ingest: { commit(): Promise<void> } | undefined;
    const check = w.port.checkChannel.bind(w.port);
    w.port.checkChannel = (...args) => {
      ingest = w.refresh.start();
      return check(...args);
    };
    const ticking = w.runner.tick(utc("2026-11-23T08:00"));
    expect(await settledNow(ticking)).toBe(false);
    expect(w.port.checks).toHaveLength(1);
    expect(w.sub(sub.id).status).toBe("paused");

    await ingest?.commit();
    await ticking;
    expect(w.sub(sub.id).status).toBe("active");
    expect(w.shown()).toEqual(papers);
  });

  it("/roundup now resumes a paused roundup and posts it once the ingest is over", async () => {
    const w = worldWithRefresh();
    const sub = w.subscribe();
    w.subscriptions.setStatus(sub.id, "paused", "Missing Access", utc("2026-11-22T08:00"));
    const papers = w.onTopic(utc("2026-11-23T07:00"));
    const ingest = w.refresh.start();
    const posting = w.runner.postNow(w.sub(sub.id), utc("2026-11-23T07:30"));
    expect(await settledNow(posting)).toBe(false);
    expect(w.sub(sub.id).status).toBe("paused");

    await ingest.commit();
    expect(await posting).toMatchObject({ localDate: "2026-11-23", status: "sent" });
    expect(w.sub(sub.id).status).toBe("active");
    expect(w.shown()).toEqual(papers);
  });

  it("a roundup whose papers an ingest began beside is planned once it is over, with its papers", async () => {
    const w = worldWithRefresh();
    const sub = w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    let ingest: { commit(): Promise<void> } | undefined;
    w.aside.meanwhile = () => {
      ingest = w.refresh.start();
    };
    const ticking = w.runner.tick(utc("2026-11-23T08:00"));
    expect(await settledNow(ticking)).toBe(false);
    expect(w.aside.asked).toBe(1);
    expect(w.outbox.latest(sub.id)).toBeUndefined();

    await ingest?.commit();
    await ticking;
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("a day without topics due meanwhile is recorded once the ingest is over", async () => {
    const w = worldWithRefresh();
    const bare = w.subscribe({ topics: [] });
    const ingest = w.refresh.start();
    const ticking = w.runner.tick(utc("2026-11-23T08:00"));
    expect(await settledNow(ticking)).toBe(false);
    await ingest.commit();
    await ticking;
    expect(w.roundupsOf(bare.id).map((r) => [r.localDate, r.status, r.lastError])).toEqual([
      ["2026-11-23", "failed", "no topics"],
    ]);
  });

  it("a roundup given up at the end of its day meanwhile is recorded once the ingest is over", async () => {
    const w = worldWithRefresh();
    const sub = w.subscribe();
    w.onTopic(utc("2026-11-23T07:00"));
    w.port.next.push(new DeliveryError("transient", "503"));
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.outbox.latest(sub.id)?.status).toBe("sending");

    const ingest = w.refresh.start();
    const ticking = w.runner.tick(utc("2026-11-24T08:00"));
    expect(await settledNow(ticking)).toBe(false);
    await ingest.commit();
    await ticking;
    expect(w.roundupsOf(sub.id).map((r) => [r.localDate, r.status, r.lastError])).toEqual([
      ["2026-11-23", "failed", "Discord still failed at the end of 2026-11-23: 503"],
      ["2026-11-24", "sent", null],
    ]);
  });
});

describe("papers chosen aside (on a search thread)", () => {
  it("are planned as chosen when nothing was written meanwhile", async () => {
    const w = world(":memory:", undefined, true);
    w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    const select = w.app.selectRoundupPapers;
    let inTheTransaction = 0;
    w.app.selectRoundupPapers = (...args) => {
      inTheTransaction += w.app.db.inTransaction ? 1 : 0;
      return select(...args);
    };
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.aside.asked).toBe(1);
    expect(inTheTransaction).toBe(0);
    expect(sorted(w.shown())).toEqual(sorted(papers));
  });

  it("an ingest another process committed meanwhile: chosen again, its paper neither lost nor sent twice", async () => {
    const path = join(tempDir(), "paperboy.db");
    const w = world(path, undefined, true);
    const elsewhere = world(path);
    w.subscribe();
    const first = w.onTopic(utc("2026-11-23T07:00"));
    let late: number[] = [];
    w.aside.meanwhile = () => {
      late = elsewhere.ingest(utc("2026-11-23T07:30"), ["Quokka Lattice Latecomer Sampling"]);
    };
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.aside.asked).toBe(1);
    expect(late).toHaveLength(1);
    expect(sorted(w.shown())).toEqual(sorted([...first, ...late]));
    // The next window starts where this one ended: nothing of it comes again.
    w.onTopic(utc("2026-11-23T20:00"));
    await w.runner.tick(utc("2026-11-24T08:00"));
    expect(new Set(w.shown()).size).toBe(3);
  });

  it("a paper posted to the channel meanwhile: chosen again, not sent twice", async () => {
    const w = world(":memory:", undefined, true);
    const old = w.subscribe({ maxPapers: 25 });
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const tick = w.runner.tick(utc("2026-11-24T08:00"));
    await w.port.nextSend(); // the first of its two messages is on its way
    w.subscriptions.unsubscribe(old.guildId, old.channelId);
    const again = w.subscribe({ maxPapers: 25, now: utc("2026-11-24T08:05") });
    // While /roundup now's papers are chosen, that message arrives and its papers are recorded.
    w.aside.meanwhile = async () => {
      open();
      await tick;
    };
    const posted = await w.runner.postNow(again, utc("2026-11-24T08:10"));
    expect(w.aside.asked).toBe(2);
    expect(posted.status).toBe("sent");
    expect(w.shown()).toHaveLength(12);
    expect(new Set(w.shown()).size).toBe(12);
  });

  it("today's roundup sent by a tick meanwhile: /roundup now says so, and sends nothing more", async () => {
    const w = world(":memory:", undefined, true);
    const sub = w.subscribe();
    const papers = w.onTopic(utc("2026-11-23T07:00"), 2);
    w.aside.meanwhile = () => w.runner.tick(utc("2026-11-23T08:00"));
    const refused = await rejection(w.runner.postNow(sub, utc("2026-11-23T08:00")));
    expect(refused).toBeInstanceOf(UserError);
    expect(refused.message).toContain("already sent");
    expect(w.aside.asked).toBe(2);
    expect(sorted(w.shown())).toEqual(sorted(papers));
    expect(w.roundupsOf(sub.id)).toHaveLength(1);
  });
});

describe("one subscription's failure", () => {
  it("is its own: the other subscriptions' roundups still go out on that tick", async () => {
    const w = world();
    const broken = w.subscribe({}, "c1");
    w.subscribe({}, "c2");
    const papers = w.onTopic(utc("2026-11-23T07:00"));
    // A zone this Node no longer knows, say: its due time cannot be worked out.
    w.app.db
      .prepare("UPDATE subscriptions SET time_zone = 'Mars/Olympus' WHERE id = ?")
      .run(broken.id);
    await w.runner.tick(utc("2026-11-23T08:00"));
    expect(w.shown("c2")).toEqual(papers);
    expect(w.shown("c1")).toEqual([]);
  });
});

describe("overlapping calls", () => {
  it("a tick called while one is running returns at once: each roundup is sent once", async () => {
    const w = world();
    const one = w.subscribe({ maxPapers: 25 });
    const two = w.subscribe({ maxPapers: 25 }, "c2");
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const first = w.runner.tick(utc("2026-11-24T08:00"));
    const second = w.runner.tick(utc("2026-11-24T08:00"));
    const third = w.runner.tick(utc("2026-11-24T08:01"));
    await Promise.all([second, third, w.port.nextSend()]);
    // The first tick waits on its first send; the others did nothing, not even the other channel.
    expect(w.port.attempts).toHaveLength(1);
    open();
    await first;
    for (const sub of [one, two]) {
      const id = w.outbox.latest(sub.id)?.id;
      const sent = w.port.attempts.filter((a) => a.channelId === sub.channelId);
      expect(sent.map((a) => messageOf(a.nonce))).toEqual([`${id}.0`, `${id}.1`]);
      expect(w.roundupsOf(sub.id)).toHaveLength(1);
    }
  });

  it("a tick told to stop (the bot shutting down) ends after the roundup at hand", async () => {
    const w = world();
    const one = w.subscribe({ maxPapers: 25 });
    const two = w.subscribe({ maxPapers: 25 }, "c2");
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const stopping = new AbortController();
    const tick = w.runner.tick(utc("2026-11-24T08:00"), stopping.signal);
    await w.port.nextSend();
    stopping.abort();
    open();
    await tick;
    // The first channel's roundup is delivered whole; the second is not even planned.
    expect(w.port.attempts.map((a) => a.channelId)).toEqual([one.channelId, one.channelId]);
    expect(w.outbox.latest(one.id)?.status).toBe("sent");
    expect(w.outbox.latest(two.id)).toBeUndefined();
  });

  it("an /unsubscribe while a message is on its way: what was posted stays recorded, nothing more goes out", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const tick = w.runner.tick(utc("2026-11-24T08:00"));
    await w.port.nextSend();
    w.subscriptions.unsubscribe(sub.guildId, sub.channelId);
    open();
    await tick;
    const posted = w.shown();
    expect(w.port.attempts).toHaveLength(1); // the first message, of two
    expect(posted.length).toBeGreaterThan(0);
    expect(w.postedTo()).toEqual(sorted(posted));
    // Subscribed again, the channel is not sent those papers a second time.
    const again = w.subscribe({ maxPapers: 25, now: utc("2026-11-24T08:05") });
    w.port.gate = undefined;
    await w.runner.postNow(again, utc("2026-11-24T08:10"));
    expect(w.shown()).toHaveLength(12);
    expect(new Set(w.shown()).size).toBe(12);
  });

  it("a paper taken out of the archive (paperboy forget) while its roundup is on its way", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const tick = w.runner.tick(utc("2026-11-24T08:00"));
    await w.port.nextSend();
    w.app.forget(w.pageFile(1));
    open();
    await tick;
    // The messages were planned with the papers in them: they go out, and the roundup ends.
    expect(w.port.attempts).toHaveLength(2);
    expect(w.outbox.latest(sub.id)?.status).toBe("sent");
    expect(w.postedTo()).toEqual([]);
  });

  it("a tick during /roundup now does not send its messages again", async () => {
    const w = world();
    const sub = w.subscribe({ maxPapers: 25 });
    w.onTopic(utc("2026-11-23T20:00"), 12);
    const open = w.port.hold();
    const now = w.runner.postNow(sub, utc("2026-11-24T08:00"));
    const tick = w.runner.tick(utc("2026-11-24T08:00"));
    const again = rejection(w.runner.postNow(sub, utc("2026-11-24T08:00")));
    open();
    await Promise.all([now, tick]);
    expect((await again).message).toContain("being sent");
    const id = w.outbox.latest(sub.id)?.id;
    expect(w.port.attempts.map((a) => messageOf(a.nonce))).toEqual([`${id}.0`, `${id}.1`]);
    expect(w.outbox.latest(sub.id)?.status).toBe("sent");
  });
});
