import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { createOutbox } from "../../src/roundup/outbox.ts";
import {
  createSubscriptionStore,
  normalizeTopic,
  parseTopics,
  type Settings,
  subscriptionLimits,
} from "../../src/roundup/subscriptions.ts";
import { openApp, tempDir, thrownBy, writeElsewhere } from "../helpers.ts";

const utc = (iso: string) => new Date(`${iso}Z`);
const created = utc("2026-11-20T12:00");

function store(path = ":memory:") {
  const app = openApp(path);
  const subscriptions = createSubscriptionStore(app.db);
  return {
    app,
    subscriptions,
    outbox: createOutbox(app.db),
    subscribe: (
      guildId: string,
      channelId: string,
      changes: Partial<Settings> & { topics?: string[]; now?: Date } = {},
    ) =>
      subscriptions.subscribe(guildId, channelId, {
        by: "admin",
        now: created,
        ...changes,
      }),
  };
}

const topicsN = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `topic ${from + i}`);

describe("guild isolation", () => {
  function twoGuilds() {
    const s = store();
    s.subscribe("guildA", "chanA", { topics: ["graph neural networks"] });
    s.subscribe("guildB", "chanB", { topics: ["diffusion models"], time: "17:00" });
    return s;
  }

  it("a guild cannot read another guild's subscription, nor tell it from none, even with its channel id", () => {
    const { subscriptions } = twoGuilds();
    expect(subscriptions.get("guildB", "chanB")?.topics).toEqual(["diffusion models"]);
    expect(subscriptions.get("guildA", "chanB")).toBeUndefined();
    const error = thrownBy(() => subscriptions.required("guildA", "chanB"));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).not.toContain("diffusion");
    // As for a channel no server has a roundup in.
    expect(error.message).toBe(thrownBy(() => subscriptions.required("guildA", "chanC")).message);
  });

  it("lists only the guild's own subscriptions", () => {
    const { subscriptions } = twoGuilds();
    expect(subscriptions.forGuild("guildA").map((s) => s.channelId)).toEqual(["chanA"]);
    expect(subscriptions.forGuild("guildB").map((s) => s.channelId)).toEqual(["chanB"]);
    expect(subscriptions.forGuild("guildC")).toEqual([]);
  });

  it("a guild cannot change, take over or delete another guild's subscription", () => {
    const s = twoGuilds();
    const before = s.subscriptions.get("guildB", "chanB");
    const attempts = [
      () => s.subscriptions.unsubscribe("guildA", "chanB"),
      () => s.subscriptions.addTopics("guildA", "chanB", ["spam"]),
      () => s.subscriptions.removeTopic("guildA", "chanB", "diffusion models"),
      () => s.subscribe("guildA", "chanB", { topics: ["spam"], time: "03:00" }),
    ];
    for (const attempt of attempts) expect(thrownBy(attempt)).toBeInstanceOf(UserError);
    expect(s.subscriptions.get("guildB", "chanB")).toEqual(before);
    expect(s.subscriptions.forGuild("guildA").map((sub) => sub.channelId)).toEqual(["chanA"]);
  });

  it("asks for /subscribe on a channel of the guild without a roundup", () => {
    const { subscriptions } = twoGuilds();
    expect(subscriptions.get("guildA", "chanC")).toBeUndefined();
    const error = thrownBy(() => subscriptions.required("guildA", "chanC"));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("/subscribe");
  });

  it("pauses only the guild the bot left", () => {
    const s = twoGuilds();
    s.subscribe("guildA", "chanA2");
    expect(s.subscriptions.pauseGuild("guildA", "Paperboy left the server", created)).toBe(2);
    expect(s.subscriptions.forGuild("guildA").map((sub) => sub.status)).toEqual([
      "paused",
      "paused",
    ]);
    expect(s.subscriptions.get("guildB", "chanB")?.status).toBe("active");
  });
});

describe("topics", () => {
  it("are tidied, and refused empty, too long, without words or with only stop words", () => {
    expect(normalizeTopic("  graph \t neural\nnetworks ")).toBe("graph neural networks");
    const longest = "a".repeat(subscriptionLimits.topicLength);
    expect(normalizeTopic(longest)).toBe(longest);
    for (const bad of ["", "   ", `${longest}b`, "!!! ???"]) {
      expect(thrownBy(() => normalizeTopic(bad))).toBeInstanceOf(UserError);
    }
    expect(thrownBy(() => normalizeTopic(`${longest}b`)).message).toContain("at most 100");
    expect(thrownBy(() => normalizeTopic(" ")).message).toContain("cannot be empty");
    for (const common of ["a", "The And", "what is it?"]) {
      expect(thrownBy(() => normalizeTopic(common)).message, common).toMatch(
        /has only words nearly every paper has, or words that only ask \(“can you tell me about …”\); add one that says what it is about/,
      );
    }
    expect(normalizeTopic("the transformer")).toBe("the transformer");
  });

  it("are parsed from a list with commas, semicolons or new lines", () => {
    expect(parseTopics("graph neural networks, diffusion; LLM agents\nRL")).toEqual([
      "graph neural networks",
      "diffusion",
      "LLM agents",
      "RL",
    ]);
    expect(parseTopics("x,, y ,")).toEqual(["x", "y"]);
    expect(thrownBy(() => parseTopics(`ok, ${"x".repeat(101)}`))).toBeInstanceOf(UserError);
  });

  it("are at most 25 a channel, and a refused addition adds none of them", () => {
    const s = store();
    s.subscribe("g", "c", { topics: topicsN(24) });
    const error = thrownBy(() => s.subscriptions.addTopics("g", "c", topicsN(2, 24)));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      "A channel can follow at most 25 topics; this one has 24 and this adds 2. Add fewer, or remove some with /topics remove.",
    );
    expect(s.subscriptions.get("g", "c")?.topics).toHaveLength(24);

    expect(s.subscriptions.addTopics("g", "c", ["topic 24"]).added).toEqual(["topic 24"]);
    expect(s.subscriptions.get("g", "c")?.topics).toEqual(topicsN(25));
    // A topic it has already (in any case, its words quoted or not) is not one more.
    expect(s.subscriptions.addTopics("g", "c", ["TOPIC 3", "topic 3"]).added).toEqual([]);
    expect(s.subscriptions.addTopics("g", "c", ['"topic" 4']).added).toEqual([]);
    expect(thrownBy(() => s.subscriptions.addTopics("g", "c", ["one more"]))).toBeInstanceOf(
      UserError,
    );
    expect(s.subscriptions.get("g", "c")?.topics).toHaveLength(25);
  });

  it("refused at /subscribe create no subscription", () => {
    const s = store();
    const error = thrownBy(() => s.subscribe("g", "c", { topics: topicsN(26) }));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain("`topics` gives 26");
    expect(s.subscriptions.get("g", "c")).toBeUndefined();
  });

  it("refused at /subscribe say the topics given replace the channel's, and leave its own", () => {
    const s = store();
    s.subscribe("g", "c", { topics: topicsN(3) });
    const error = thrownBy(() => s.subscribe("g", "c", { topics: topicsN(26, 10) }));
    expect(error).toBeInstanceOf(UserError);
    // Not "this one has 0 … remove some with /topics remove": its 3 were to be replaced.
    expect(error.message).toBe(
      "A channel can follow at most 25 topics, and `topics` gives 26; give at most 25 (they replace the channel's topics).",
    );
    expect(s.subscriptions.get("g", "c")?.topics).toEqual(topicsN(3));
  });

  it("keep their order, without repeats, and are removed in any case", () => {
    const s = store();
    s.subscribe("g", "c", {
      topics: ["Graph Neural Networks", "diffusion", "graph neural networks"],
    });
    s.subscriptions.addTopics("g", "c", ["RL", "Diffusion"]);
    // (Of two spellings given at once, which one is kept is not specified.)
    expect(s.subscriptions.get("g", "c")?.topics.map((t) => t.toLowerCase())).toEqual([
      "graph neural networks",
      "diffusion",
      "rl",
    ]);
    expect(s.subscriptions.removeTopic("g", "c", "  graph neural   networks ")).toBeDefined();
    expect(s.subscriptions.removeTopic("g", "c", "not followed")).toBeUndefined();
    expect(s.subscriptions.get("g", "c")?.topics).toEqual(["diffusion", "RL"]);
  });

  it("keep double quotes, which keep the words in them as typed; single quotes around one are taken off", () => {
    const s = store();
    s.subscribe("g", "c", {
      topics: parseTopics(
        `"graph neural networks", “surgical” robotics, 'rock 'n' roll', "a" b "c", ‘koalas’`,
      ),
    });
    expect(s.subscriptions.get("g", "c")?.topics).toEqual([
      `"graph neural networks"`,
      "“surgical” robotics",
      "rock 'n' roll",
      `"a" b "c"`,
      "koalas",
    ]);
    expect(thrownBy(() => parseTopics(`""`))).toBeInstanceOf(UserError);
  });

  it("of the same words quoted otherwise are one topic: added again it takes the new quotes, removed typed either way", () => {
    const s = store();
    s.subscribe("g", "c", { topics: ["surgical robotics", "diffusion models", "“graph” mamba"] });
    const typed = `"surgical" robotics, Diffusion Models, "graph" mamba, koalas`;
    expect(s.subscriptions.addTopics("g", "c", parseTopics(typed))).toEqual({
      added: ["koalas"],
      requoted: [{ from: "surgical robotics", to: `"surgical" robotics` }],
      already: ["Diffusion Models", `"graph" mamba`],
    });
    // In its place: the order the admin gave them in.
    expect(s.subscriptions.get("g", "c")?.topics).toEqual([
      `"surgical" robotics`,
      "diffusion models",
      "“graph” mamba",
      "koalas",
    ]);
    expect(s.subscriptions.removeTopic("g", "c", "Surgical Robotics")).toBe(`"surgical" robotics`);
    expect(s.subscriptions.removeTopic("g", "c", "«graph» mamba")).toBe("“graph” mamba");
    expect(s.subscriptions.removeTopic("g", "c", `"diffusion models"`)).toBe("diffusion models");
    expect(s.subscriptions.get("g", "c")?.topics).toEqual(["koalas"]);
  });

  it("with letters beyond ASCII are the same topic in any case, to add and to remove", () => {
    const s = store();
    s.subscribe("g", "c", { topics: ["Équations différentielles", "Ölfilm"] });
    expect(s.subscriptions.addTopics("g", "c", ["ÉQUATIONS DIFFÉRENTIELLES"]).added).toEqual([]);
    expect(s.subscriptions.removeTopic("g", "c", "ÉQUATIONS DIFFÉRENTIELLES")).toBe(
      "Équations différentielles",
    );
    expect(s.subscriptions.removeTopic("g", "c", "ölfilm")).toBe("Ölfilm");
    expect(s.subscriptions.get("g", "c")?.topics).toEqual([]);
  });
});

describe("subscribe", () => {
  it("creates with defaults, then changes only the settings given", () => {
    const s = store();
    const first = s.subscribe("g", "c", { topics: ["diffusion"], timeZone: "Europe/Paris" });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({
      guildId: "g",
      channelId: "c",
      time: "09:00",
      timeZone: "Europe/Paris",
      days: "every",
      maxPapers: 10,
      postWhenEmpty: false,
      status: "active",
      topics: ["diffusion"],
      createdBy: "admin",
    });
    const second = s.subscribe("g", "c", { time: "17:30", postWhenEmpty: true });
    expect(second.created).toBe(false);
    expect(second.subscription).toMatchObject({
      id: first.subscription.id,
      time: "17:30",
      timeZone: "Europe/Paris",
      postWhenEmpty: true,
      topics: ["diffusion"],
    });
  });

  it("again with topics makes them the channel's topics, all or none", () => {
    const s = store();
    s.subscribe("g", "c", { topics: ["diffusion", "graph neural networks"] });
    const again = s.subscribe("g", "c", { topics: ["RL", "Diffusion"] });
    expect(again.subscription.topics).toEqual(["RL", "Diffusion"]);
    // 25 topics then a change of time with the same 25: not 50, not refused.
    s.subscribe("g", "c", { topics: topicsN(25) });
    expect(
      s.subscribe("g", "c", { topics: topicsN(25), time: "07:00" }).subscription,
    ).toMatchObject({ time: "07:00", topics: topicsN(25) });
    expect(
      thrownBy(() => s.subscribe("g", "c", { topics: topicsN(26), time: "08:00" })),
    ).toBeInstanceOf(UserError);
    expect(s.subscriptions.get("g", "c")).toMatchObject({ time: "07:00", topics: topicsN(25) });
  });

  it.each(["paused", "disabled"] as const)(
    "again on a %s subscription makes it active, keeping its settings and topics",
    (status) => {
      const s = store();
      const { subscription } = s.subscribe("g", "c", { topics: ["diffusion"], time: "07:15" });
      s.subscriptions.setStatus(subscription.id, status, "Missing Access", utc("2026-11-21T08:00"));
      expect(s.subscriptions.live().map((sub) => sub.id)).toEqual(
        status === "disabled" ? [] : [subscription.id],
      );

      const again = s.subscribe("g", "c", { now: utc("2026-11-22T10:00") });
      expect(again.created).toBe(false);
      expect(again.subscription).toMatchObject({
        id: subscription.id,
        status: "active",
        statusReason: null,
        statusSince: "2026-11-22T10:00:00.000Z",
        time: "07:15",
        topics: ["diffusion"],
      });
      // Nothing reads whether the server was told: a subscription does not carry it.
      expect(again.subscription).not.toHaveProperty("adminsTold");
      expect(s.subscriptions.live().map((sub) => sub.id)).toEqual([subscription.id]);
    },
  );

  it("again on an active subscription leaves its status alone", () => {
    const s = store();
    const { subscription } = s.subscribe("g", "c");
    const again = s.subscribe("g", "c", { now: utc("2026-11-22T10:00"), time: "10:00" });
    expect(again.subscription.status).toBe("active");
    expect(again.subscription.statusSince).toBe(subscription.statusSince);
  });

  it("and /topics add wait for another process's write instead of failing at once", async () => {
    const s = store(join(tempDir(), "paperboy.db"));
    s.subscribe("g", "c", { topics: ["diffusion"] });
    // Each reads the channel's subscription before it writes: begun deferred, the write
    // found the lock taken and failed with SQLITE_BUSY, never waiting for it.
    let other = await writeElsewhere(s.app.db.name);
    expect(s.subscribe("g", "c", { time: "07:30" }).subscription.time).toBe("07:30");
    await other.done;
    other = await writeElsewhere(s.app.db.name);
    s.subscriptions.addTopics("g", "c", ["graph mamba"]);
    await other.done;
    expect(s.subscriptions.get("g", "c")?.topics).toEqual(["diffusion", "graph mamba"]);
  });

  it("unsubscribe removes the subscription with its topics and roundups", () => {
    const s = store();
    const { subscription } = s.subscribe("g", "c", { topics: ["diffusion"] });
    s.outbox.plan({
      subscriptionId: subscription.id,
      localDate: "2026-11-21",
      windowStart: "2026-11-20T00:00:00.000Z",
      windowEnd: "2026-11-21T00:00:00.000Z",
      messages: [],
      now: utc("2026-11-21T00:00"),
    });
    expect(s.subscriptions.unsubscribe("g", "c").id).toBe(subscription.id);
    expect(s.subscriptions.get("g", "c")).toBeUndefined();
    expect(s.subscriptions.byId(subscription.id)).toBeUndefined();
    const count = (table: string) =>
      s.app.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(count("subscription_topics")).toBe(0);
    expect(count("roundups")).toBe(0);
    expect(thrownBy(() => s.subscriptions.unsubscribe("g", "c"))).toBeInstanceOf(UserError);
    expect(s.subscribe("g", "c").created).toBe(true);
  });
});
