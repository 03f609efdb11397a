import { join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { createOutbox } from "../../src/roundup/outbox.ts";
import { createSubscriptionStore } from "../../src/roundup/subscriptions.ts";
import { archiveDir, openApp, runCli, tempDir } from "../helpers.ts";

/** The time the CLI reads (it takes no clock): a run at a real midnight changed "today". */
const at = new Date("2026-11-24T10:00:00Z");

describe("paperboy roundup --dry-run", () => {
  function subscribed() {
    vi.useFakeTimers({ toFake: ["Date"], now: at });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const db = join(tempDir(), "paperboy.db");
    const app = openApp(db);
    // Ingested now, so the papers are in the first roundup's window (the last 24 hours).
    app.ingest([archiveDir]);
    const store = createSubscriptionStore(app.db);
    store.subscribe("111111111111111111", "222222222222222222", {
      topics: ["graph neural networks"],
      by: "333333333333333333",
      now: at,
    });
    store.subscribe("111111111111111111", "444444444444444444", {
      topics: ["packet spraying"],
      by: "3",
      now: at,
    });
    return { db, app };
  }

  it("prints what each channel's next roundup would post, and records nothing", async () => {
    const { db, app } = subscribed();
    const run = await runCli(["roundup", "--dry-run", "--db", db]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /== channel 222222222222222222 \(guild 111111111111111111\) · .* · 10 papers · 2 messages/,
    );
    expect(run.stdout).toMatch(/Matched: “graph neural networks” \(graph, neural, networks\)/);
    expect(run.stdout).toContain(
      "Challenging the Need for Packet Spraying in Large-Scale Distributed Training",
    );
    expect(createOutbox(app.db).latest(1)).toBeUndefined();
  });

  it("dates a channel's next roundup tomorrow once today's was sent, and says which are paused", async () => {
    const { db, app } = subscribed();
    const store = createSubscriptionStore(app.db);
    const outbox = createOutbox(app.db);
    // Today's roundup (UTC, the default zone) went out for the first channel.
    const today = "2026-11-24";
    const sent = outbox.plan({
      subscriptionId: 1,
      localDate: today,
      windowStart: new Date(at.getTime() - 60_000).toISOString(),
      windowEnd: at.toISOString(),
      messages: [{ body: { content: "Nothing new on your topics today." }, paperIds: [] }],
      now: at,
    });
    const [message] = outbox.unsent(sent.id);
    if (!message) throw new Error("the planted roundup has no message");
    outbox.markSent(sent.id, "222222222222222222", message, "m1", at);
    const reason = "Paperboy is missing Send Messages in <#444444444444444444>.";
    store.setStatus(2, "paused", reason, at);

    const run = await runCli(["roundup", "--dry-run", "--db", db]);
    expect(run.stdout).toContain(
      "== channel 222222222222222222 (guild 111111111111111111) · 2026-11-25 ·",
    );
    expect(run.stdout).toContain(
      `== channel 444444444444444444 (guild 111111111111111111) · ${today} · 1 paper · 1 message\n(paused: nothing is posted until Paperboy can post there again. ${reason})\n`,
    );
  });

  it("shows one channel with --channel, and refuses to post without --dry-run", async () => {
    const { db } = subscribed();
    const one = await runCli([
      "roundup",
      "--dry-run",
      "--channel",
      "444444444444444444",
      "--db",
      db,
    ]);
    expect(one.stdout).toContain("== channel 444444444444444444");
    expect(one.stdout).not.toContain("222222222222222222");
    const none = await runCli(["roundup", "--dry-run", "--channel", "5", "--db", db]);
    expect(none).toMatchObject({ code: 1, stderr: "No live subscription for channel 5.\n" });
    const posting = await runCli(["roundup", "--db", db]);
    expect(posting.code).toBe(2);
    expect(posting.stderr).toContain("only --dry-run is supported");
  });
});
