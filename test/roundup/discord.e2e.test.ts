/**
 * Roundups end to end: the bot's real discord.js client (startDiscordBot) and the real
 * Discord roundup port against the local Discord fake, over an in-memory archive seeded with
 * a few listing pages whose papers were first seen at chosen times.
 *
 * Nothing sleeps. Time is a clock the test sets; the scheduler is the test calling
 * `runner.tick(date)` through the bot's context, as node-cron would each minute. Waiting is
 * on what the fake recorded (a callback, a channel message) or on the client's own events.
 */
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type APIEmbed,
  ChannelType,
  Events,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { commands } from "../../commands/index.ts";
import { createBotContext } from "../../src/bot/context.ts";
import { plain } from "../../src/bot/limits.ts";
import { brandColor } from "../../src/bot/render.ts";
import type { BotContext, Clock } from "../../src/bot/types.ts";
import { loadConfig } from "../../src/config.ts";
import { startDiscordBot } from "../../src/discord/client.ts";
import { createDiscordRoundupPort } from "../../src/discord/roundup-port.ts";
import { createInFlight } from "../../src/in-flight.ts";
import { openPaperboy, type Paperboy } from "../../src/paperboy.ts";
import { createSubscriptionStore } from "../../src/roundup/subscriptions.ts";
import {
  FakeDiscord,
  type FakeDiscordOptions,
  type RecordedCallback,
  type RecordedChannelMessage,
} from "../discord-fake/index.ts";
import { guildCreatePayload } from "../discord-fake/payloads.ts";
import { abstractAbout, listingPage, paperIdByTitle } from "../helpers.ts";

const TOKEN = "MTE4.roundup-e2e-token.Pq7Rs";
const adminCommands = ["subscribe", "unsubscribe", "topics", "roundup", "subscriptions"];

// ---- the world: two servers the bot is in -----------------------------------------------------

/** Ids fixed here (Discord-shaped snowflakes) so that the world can refer to them. */
const A = {
  guild: "1100000000000000001",
  admins: "1100000000000000002",
  member: "1100000000000000003",
  general: "1100000000000000011",
  papers: "1100000000000000012",
  reading: "1100000000000000013",
  noEmbeds: "1100000000000000014",
  voice: "1100000000000000015",
};
const B = {
  guild: "1200000000000000001",
  admins: "1200000000000000002",
  general: "1200000000000000011",
  papers: "1200000000000000012",
};

const world: FakeDiscordOptions = {
  token: TOKEN,
  guilds: [
    {
      id: A.guild,
      name: "Lab",
      roles: [{ id: A.admins, name: "Admins", permissions: PermissionFlagsBits.ManageGuild }],
      testerRoles: [A.admins],
      // A member the server lets run admin commands, without Manage Server.
      members: [{ user: { id: A.member, username: "member" } }],
      systemChannelId: A.general,
      channels: [
        { id: A.general, name: "general" },
        { id: A.papers, name: "papers" },
        { id: A.reading, name: "reading" },
        {
          id: A.noEmbeds,
          name: "no-embeds",
          permissionOverwrites: [
            { id: A.guild, type: "role", deny: PermissionFlagsBits.EmbedLinks },
          ],
        },
        { id: A.voice, name: "Lounge", type: ChannelType.GuildVoice },
      ],
    },
    {
      id: B.guild,
      name: "Other Lab",
      roles: [{ id: B.admins, name: "Admins", permissions: PermissionFlagsBits.ManageGuild }],
      testerRoles: [B.admins],
      systemChannelId: B.general,
      channels: [
        { id: B.general, name: "general" },
        { id: B.papers, name: "b-papers" },
      ],
    },
  ],
};

// ---- the archive: papers first seen at chosen times -------------------------------------------

const gnn = "graph neural networks";
const diffusion = "diffusion models";
const markdownTitle =
  "Graph Neural Networks, **Boldly** Pinging @everyone via [links](https://evil.example) and `code`";
/** First seen on Monday 23 November 2026 at 05:00 UTC: the first roundups' papers. */
const monday = {
  at: "2026-11-23T05:00:00Z",
  gnn: [
    "Graph Neural Networks for Molecular Property Prediction",
    "Graph Neural Networks for Traffic Forecasting",
    "Graph Neural Networks for Recommender Systems",
    "Graph Neural Networks for Particle Tracking",
    "Graph Neural Networks for Power Grid Stability",
    "Graph Neural Networks for Analog Circuit Design",
    "Graph Neural Networks for Protein Interfaces",
    "Graph Neural Networks for Source Code Analysis",
    "Graph Neural Networks for Weather Prediction",
    markdownTitle,
  ],
  diffusion: [
    "Diffusion Models for Protein Backbone Generation",
    "Faster Sampling from Diffusion Models with Learned Solvers",
    "Diffusion Models as Plug-and-Play Priors for Inverse Problems",
  ],
  offTopic: ["A Survey of Reinforcement Learning for Robot Grasping"],
};
/** First seen days before: outside every first roundup's window (the day before it). */
const earlier = { at: "2026-11-20T12:00:00Z", gnn: ["Graph Neural Networks Revisited Once More"] };
/** First seen on Tuesday at 05:00 UTC: the next day's papers. */
const tuesday = {
  at: "2026-11-24T05:00:00Z",
  gnn: ["Graph Neural Networks on Hypergraphs", "Graph Neural Networks Without Message Passing"],
  diffusion: ["Consistency Training for Diffusion Models at Scale"],
};
const matchingMonday = [...monday.gnn, ...monday.diffusion];
const matchingTuesday = [...tuesday.gnn, ...tuesday.diffusion];

/** Ingests a listing page of `titles` as `dir/name`, its papers first seen `at`. */
function ingestPage(app: Paperboy, dir: string, name: string, at: string, titles: string[]): void {
  const file = join(dir, name);
  const about = (title: string) =>
    title.toLowerCase().includes("diffusion")
      ? diffusion
      : title.toLowerCase().includes("graph")
        ? gnn
        : "robot grasping";
  writeFileSync(
    file,
    listingPage(titles.map((title) => ({ title, abstract: abstractAbout(about(title)) }))),
  );
  app.ingest([file], { now: () => new Date(at) });
}

function seed(app: Paperboy, dir: string): void {
  ingestPage(app, dir, "earlier.txt", earlier.at, earlier.gnn);
  ingestPage(app, dir, "monday.txt", monday.at, [...matchingMonday, ...monday.offTopic]);
  ingestPage(app, dir, "tuesday.txt", tuesday.at, matchingTuesday);
  // Every title was read as one paper (fails loudly otherwise).
  for (const title of [...earlier.gnn, ...matchingMonday, ...monday.offTopic, ...matchingTuesday])
    paperIdByTitle(app, title);
}

// ---- the bot, started as `npm start` starts it --------------------------------------------------

/**
 * A clock only the test moves. Scheduled tasks (the 1.5 s defer deadline, search expiry)
 * never come due: every answer here is immediate.
 */
function testClock(start: string) {
  let now = Date.parse(start);
  const clock: Clock & { set(iso: string): Date } = {
    now: () => now,
    schedule: () => ({ cancel() {} }),
    set(iso) {
      now = Date.parse(iso);
      return new Date(now);
    },
  };
  return clock;
}

type LogEntry = Record<string, unknown> & { msg?: string };

/**
 * One bot over its own fake Discord and archive. `stored` runs on the archive and the fake
 * before the bot starts: what an earlier run of it left there, and what changed meanwhile.
 */
async function startEnv(
  stored: (app: Paperboy, fake: FakeDiscord) => void = () => {},
  writable?: () => Promise<void>,
) {
  const clock = testClock("2026-11-23T06:00:00Z"); // Monday, 07:00 in Paris
  // Discord remembers a message's nonce for a few minutes of the test's clock.
  const fake = await FakeDiscord.start({ ...world, now: clock.now });
  const dir = mkdtempSync(join(tmpdir(), "paperboy-roundup-e2e-"));
  const app = openPaperboy(":memory:");
  seed(app, dir);
  stored(app, fake);
  const lines: string[] = [];
  const awaited: { msg: string; logged: () => void }[] = [];
  const write = (line: string) => {
    lines.push(line);
    const { msg } = JSON.parse(line) as LogEntry;
    for (const waiter of awaited.filter((w) => w.msg === msg)) {
      awaited.splice(awaited.indexOf(waiter), 1);
      waiter.logged();
    }
  };
  const log = pino({ level: "info" }, { write });
  const nextLog = (msg: string) =>
    new Promise<void>((logged) => {
      awaited.push({ msg, logged });
    });
  let context: BotContext | undefined;
  const inFlight = createInFlight();
  const client = await startDiscordBot({
    config: loadConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: fake.apiBase,
      PAPERBOY_DB: ":memory:",
    }),
    commands,
    context: (ready) => {
      context = createBotContext({
        app,
        clock,
        log,
        port: createDiscordRoundupPort(ready, clock.now),
        ...(writable && { writable }),
      });
      return context;
    },
    meta: app.meta,
    clock,
    log,
    inFlight,
  });
  if (!context) throw new Error("startDiscordBot built no context");
  const roundups = context.roundups;
  return {
    fake,
    app,
    client,
    clock,
    roundups,
    /** What shutdown waits for, as npm start's. */
    inFlight,
    logs: () => lines.map((line) => JSON.parse(line) as LogEntry),
    /** Resolves when the bot next logs `msg`: what it does on a gateway event, done. */
    nextLog,
    /** Resolves once the bot has logged `msg`: at once if it already has. */
    logged: (msg: string) =>
      lines.some((line) => (JSON.parse(line) as LogEntry).msg === msg)
        ? Promise.resolve()
        : nextLog(msg),
    /** One scheduler tick at `iso`, the clock set to it. */
    tick: (iso: string) => roundups.runner.tick(clock.set(iso)),
    /** Guild A's subscription for a channel, as stored. */
    subscription: (channelId: string, guildId = A.guild) =>
      roundups.subscriptions.forGuild(guildId).find((s) => s.channelId === channelId),
    async close() {
      await client.destroy();
      await fake.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Env = Awaited<ReturnType<typeof startEnv>>;

/** A bot for one test, stopped when it finishes. */
async function freshEnv(...options: Parameters<typeof startEnv>): Promise<Env> {
  const env = await startEnv(...options);
  onTestFinished(() => env.close());
  return env;
}

/**
 * A bot for one test over two roundups of server A, whose writes wait (the write lock
 * taken, an ingest) from its start until the test calls `free`.
 */
async function envWithWritesHeld(): Promise<{ env: Env; free(): void }> {
  let free = () => {};
  let writable: Promise<void> | undefined;
  const env = await freshEnv(
    (app) => {
      const stored = createSubscriptionStore(app.db);
      const by = { by: A.member, now: new Date("2026-11-20T10:00:00Z"), topics: [gnn] };
      stored.subscribe(A.guild, A.papers, by);
      stored.subscribe(A.guild, A.general, by);
    },
    async () => writable,
  );
  writable = new Promise((resolve) => {
    free = () => {
      writable = undefined;
      resolve();
    };
  });
  return { env, free };
}

/** Paperboy removed from server A, then added back, each once the bot has heard of it. */
async function removedAndAddedBack(env: Env): Promise<void> {
  const removed = once(env.client, Events.GuildDelete);
  env.fake.removeBotFromGuild(A.guild);
  await removed;
  const added = once(env.client, Events.GuildCreate);
  env.fake.addBotToGuild(A.guild);
  await added;
}

/** A bot for a describe block's tests, in order. */
function sharedEnv(): () => Env {
  let env: Env | undefined;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(() => env?.close());
  return () => {
    if (!env) throw new Error("sharedEnv: used outside a test");
    return env;
  };
}

// ---- talking to the bot ---------------------------------------------------------------------------

type SlashInput = Omit<Parameters<FakeDiscord["build"]["slashCommand"]>[0], "name">;

interface Answer {
  callback: RecordedCallback;
  ephemeral: boolean;
  content: string;
  embeds: APIEmbed[];
}

function answerOf(callback: RecordedCallback): Answer {
  return {
    callback,
    ephemeral: (Number(callback.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
    content: String(callback.data?.content ?? ""),
    embeds: (callback.data?.embeds ?? []) as APIEmbed[],
  };
}

/** Runs a slash command as the tester (an admin of both servers) in server A, by default. */
async function slash(env: Env, name: string, input: SlashInput = {}): Promise<Answer> {
  const payload = env.fake.injectInteraction(env.fake.build.slashCommand({ name, ...input }));
  return answerOf(await env.fake.waitForCallback(payload.id));
}

/** The choices the bot offers while `focused` is typed. */
async function autocomplete(
  env: Env,
  name: string,
  input: SlashInput & { focused: string },
): Promise<{ name: string; value: string | number }[]> {
  const payload = env.fake.injectInteraction(env.fake.build.autocomplete({ name, ...input }));
  const callback = await env.fake.waitForCallback(payload.id);
  expect(callback.type).toBe(8); // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
  return (callback.data?.choices ?? []) as { name: string; value: string | number }[];
}

/** /subscribe for #papers in server A: both topics, 09:00 in Paris, up to 25 papers. */
/** `/topics add` of `topic` to A's #papers. */
function addTopicsToPapers(env: Env, topic: string) {
  return slash(env, "topics", { subcommand: "add", options: { channel: A.papers, topic } });
}

function subscribePapers(env: Env) {
  return slash(env, "subscribe", {
    options: {
      channel: A.papers,
      topics: `${gnn}, ${diffusion}`,
      time: "09:00",
      timezone: "Europe/Paris",
      max: 25,
    },
  });
}

const messagesIn = (env: Env, channelId: string): RecordedChannelMessage[] =>
  env.fake.channelMessages.filter((m) => m.channelId === channelId);

const embedsIn = (messages: RecordedChannelMessage[]): APIEmbed[] =>
  messages.flatMap((m) => (m.body.embeds ?? []) as APIEmbed[]);

/** The paper titles a roundup posted, in order (every embed but the header). */
const postedTitles = (messages: RecordedChannelMessage[]): string[] =>
  embedsIn(messages)
    .filter((e) => !e.title?.startsWith("Paper roundup · "))
    .map((e) => e.title ?? "");

const postsTo = (env: Env, channelId: string) =>
  env.fake.requests.filter(
    (r) => r.method === "POST" && r.path === `/channels/${channelId}/messages`,
  );

const sorted = (titles: string[]) => [...titles].sort();

/** Takes Send Messages in #papers from Paperboy, once discord.js has seen it. */
async function denySendMessages(env: Env): Promise<void> {
  const denied = once(env.client, Events.ChannelUpdate);
  env.fake.setPermissionOverwrites(A.papers, [
    { id: env.fake.botUser.id, type: "member", deny: PermissionFlagsBits.SendMessages },
  ]);
  await denied;
}

/** Paperboy added back to server A, once it re-checked the roundups paused while it was out. */
async function addBackToA(env: Env): Promise<void> {
  const rechecked = env.nextLog("roundups re-checked: Paperboy is back");
  env.fake.addBotToGuild(A.guild);
  await rechecked;
}

/** /subscriptions' block for one channel. */
async function statusOf(env: Env, channelId: string): Promise<string> {
  const { embeds, ephemeral } = await slash(env, "subscriptions");
  expect(ephemeral).toBe(true);
  const block = (embeds[0]?.description ?? "")
    .split("\n\n")
    .find((b) => b.startsWith(`<#${channelId}>`));
  if (!block) throw new Error(`/subscriptions does not list <#${channelId}>`);
  return block;
}

// ---- who may use the admin commands -------------------------------------------------------------

describe("admin commands", () => {
  const env = sharedEnv();

  it("are registered for Manage Server holders only, and not for DMs", () => {
    const registered = env().fake.commands.global;
    for (const name of adminCommands) {
      const command = registered.find((c) => c.name === name);
      expect(command, name).toMatchObject({
        default_member_permissions: String(PermissionFlagsBits.ManageGuild),
        contexts: [InteractionContextType.Guild],
      });
    }
    expect(registered.find((c) => c.name === "search")?.default_member_permissions).toBeNull();
  });

  it("refuse a member without Manage Server whom the server let run them, ephemerally", async () => {
    const asMember = { userId: A.member };
    const tries = [
      slash(env(), "subscribe", { ...asMember, options: { channel: A.papers, topics: gnn } }),
      slash(env(), "topics", { ...asMember, subcommand: "list", options: { channel: A.papers } }),
      slash(env(), "roundup", { ...asMember, subcommand: "now", options: { channel: A.papers } }),
      slash(env(), "subscriptions", asMember),
      slash(env(), "unsubscribe", { ...asMember, options: { channel: A.papers } }),
    ];
    for (const answer of await Promise.all(tries)) {
      expect(answer).toMatchObject({
        ephemeral: true,
        content: "Only members with the Manage Server permission can change roundups.",
      });
    }
    expect(env().roundups.subscriptions.forGuild(A.guild)).toEqual([]);
    expect(env().fake.channelMessages).toEqual([]);
  });

  it("refuse a member allowed Manage Server by one channel's overwrite: a server permission comes from roles", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    const allowed = once(env.client, Events.ChannelUpdate);
    env.fake.setPermissionOverwrites(A.reading, [
      { id: A.member, type: "member", allow: PermissionFlagsBits.ManageGuild },
    ]);
    await allowed;
    const fromReading = { userId: A.member, channelId: A.reading };
    const tries: (SlashInput & { name: string })[] = [
      { name: "unsubscribe", options: { channel: A.papers } },
      {
        name: "topics",
        subcommand: "add",
        options: { channel: A.papers, topic: "robot grasping" },
      },
      { name: "subscribe", options: { channel: A.papers, time: "23:00" } },
      { name: "subscribe", options: { channel: A.reading, topics: gnn } },
    ];
    for (const input of tries) {
      const payload = env.fake.build.slashCommand({ ...fromReading, ...input });
      // Discord's own figure for the channel has it: the overwrite is applied there.
      expect(BigInt(payload.member?.permissions ?? 0) & PermissionFlagsBits.ManageGuild).not.toBe(
        0n,
      );
      env.fake.injectInteraction(payload);
      const answer = answerOf(await env.fake.waitForCallback(payload.id));
      expect(answer, payload.data.name).toMatchObject({
        ephemeral: true,
        content: "Only members with the Manage Server permission can change roundups.",
      });
    }
    expect(env.roundups.subscriptions.forGuild(A.guild)).toMatchObject([
      { channelId: A.papers, time: "09:00", topics: [gnn, diffusion] },
    ]);
  });

  it("go by the permissions Discord sends in a server whose roles discord.js does not have (unavailable at start)", async () => {
    const env = await freshEnv();
    env.client.guilds.cache.get(A.guild)?.roles.cache.clear();
    const admin = await slash(env, "subscriptions");
    expect(admin).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/^No roundups/),
    });
    const member = await slash(env, "subscriptions", { userId: A.member });
    expect(member.content).toBe(
      "Only members with the Manage Server permission can change roundups.",
    );
  });

  it("refuse to run in a DM, should one get there", async () => {
    const answer = await slash(env(), "subscriptions", { guildId: null });
    expect(answer).toMatchObject({
      ephemeral: true,
      content: "Roundups belong to a server: use this command in one.",
    });
  });
});

// ---- setting roundups up ----------------------------------------------------------------------------

describe("/subscribe and friends", () => {
  const env = sharedEnv();

  it("subscribes a channel with topics, time, zone, days and max, answering only the admin", async () => {
    const answer = await slash(env(), "subscribe", {
      options: {
        channel: A.papers,
        topics: `${gnn}; ${diffusion}`,
        time: "9:00",
        timezone: "europe/paris",
        days: "weekdays",
        max: 5,
      },
    });
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toBe(
      [
        "Subscribed. Daily roundup:",
        `<#${A.papers}> — active`,
        `Topics: ${gnn} · ${diffusion}`,
        "At 09:00 Europe/Paris, Monday to Friday, up to 5 papers",
        "Next run: Mon 23 Nov 2026, 09:00 (Europe/Paris) · Last delivery: none yet",
        "Preview the next one with /roundup preview.",
      ].join("\n"),
    );
    expect(env().subscription(A.papers)).toMatchObject({
      topics: [gnn, diffusion],
      time: "09:00",
      timeZone: "Europe/Paris",
      days: "weekdays",
      maxPapers: 5,
      status: "active",
      createdBy: env().fake.tester.id,
    });

    const changed = await slash(env(), "subscribe", {
      options: { channel: A.papers, days: "every", max: 25 },
    });
    expect(changed.content).toMatch(/^Roundup updated:\n.*\nTopics: graph neural networks · /);
    expect(changed.content).toContain("At 09:00 Europe/Paris, every day, up to 25 papers");
    expect(env().fake.channelMessages).toEqual([]); // setting up posts nothing
  });

  it("autocompletes time zones by city, with IANA names as values", async () => {
    const typed = (value: string) =>
      autocomplete(env(), "subscribe", {
        options: { channel: A.papers, timezone: value },
        focused: "timezone",
      });
    const paris = await typed("paris");
    expect(paris[0]).toEqual({ name: "Europe/Paris", value: "Europe/Paris" });
    expect((await typed("new york"))[0]?.value).toBe("America/New_York");
    // A slip in the city, which no zone's name holds, offers the city meant.
    expect((await typed("tokio")).map((c) => c.value)).toEqual(["Asia/Tokyo"]);
    expect((await typed("Amercia/Chicago")).map((c) => c.value)).toEqual(["America/Chicago"]);
    const anything = await typed("");
    expect(anything.length).toBe(25);
    expect(anything[0]?.value).toBe("UTC");
  });

  it("counts one paper as one: `max: 1` is up to 1 paper", async () => {
    const env = await freshEnv();
    const answer = await slash(env, "subscribe", {
      options: { channel: A.papers, topics: gnn, max: 1 },
    });
    expect(answer.content).toContain("\nAt 09:00 UTC, every day, up to 1 paper\n");
    expect(await statusOf(env, A.papers)).toContain("\nAt 09:00 UTC, every day, up to 1 paper\n");
  });

  it("names the topics /topics add found followed already beside those it added", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    const add = (topic: string) => addTopicsToPapers(env, topic);
    expect((await add("GNN, Graph Neural Networks, mamba")).content).toBe(
      `Added “GNN”, “mamba”; “Graph Neural Networks” was already followed. <#${A.papers}> follows 4 topics.\n` +
        // This archive defines no GNN, and has no mamba.
        "No paper in the archive has “gnn” or “mamba” yet; they will match papers that come in with them.",
    );
    expect((await add("mamba, diffusion models")).content).toBe(
      `Those topics were already followed. <#${A.papers}> follows 4 topics.`,
    );
  });

  it("keeps a topic no paper has a word of yet, and says it matches none until such papers come", async () => {
    const env = await freshEnv();
    const made = await slash(env, "subscribe", {
      options: { channel: A.papers, topics: "Zorblax" },
    });
    expect(made.content).toContain(
      "\nNo paper in the archive has “zorblax” yet; it will match papers that come in with it.\n",
    );
    expect(env.subscription(A.papers)?.topics).toEqual(["Zorblax"]);
    const add = (topic: string) => addTopicsToPapers(env, topic);
    expect((await add("graph qwzxv, diffusion models")).content).toBe(
      `Added “graph qwzxv”, “diffusion models”. <#${A.papers}> follows 3 topics.\n` +
        "No paper in the archive has “qwzxv” yet; “graph qwzxv” will match papers that come in with it.",
    );
    // Topics the archive has words for: nothing to say.
    expect((await add(gnn)).content).toBe(`Added “${gnn}”. <#${A.papers}> follows 4 topics.`);
  });

  it("says when no title names a topic yet, as a roundup takes only papers whose titles do", async () => {
    // Every abstract of this archive has "strong baselines", no title: a channel following
    // it got "Nothing new" each day, with nothing to say why.
    const env = await freshEnv();
    await subscribePapers(env);
    const add = (topic: string) => addTopicsToPapers(env, topic);
    expect((await add("strong baselines, robot grasping")).content).toBe(
      `Added “strong baselines”, “robot grasping”. <#${A.papers}> follows 4 topics.\n` +
        "No title in the archive names “strong baselines” yet: a roundup takes the papers whose titles have most of a topic's words, not those that only mention it, so it will take papers titled so as they come in.",
    );
  });

  it("keeps every note on 23 topics added at once whole, in an embed when a message cannot hold them", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    // Each with three slips and a word no paper has: under the option's 1,000 characters.
    const words =
      "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey";
    const unknown = words.split(" ").map((word) => `${word}zorb`);
    const topics = unknown.map((word) => `nueral grph ${word} lerning`);
    const quoted = (list: string[], and: string) => list.map((t) => `“${t}”`).join(and);
    const notes = [
      `Added ${quoted(topics, ", ")}. <#${A.papers}> follows 25 topics.`,
      'Read “nueral” as “neural”, “grph” as “graph”, “lerning” as “learning”; to keep a word as typed, put it in quotes and add its topic again with /topics add, like `"nueral" grph alphazorb lerning`.',
      `No paper in the archive has ${quoted(unknown, " or ")} yet; ${quoted(topics, ", ")} will match papers that come in with them.`,
    ];
    expect(notes.join("\n").length).toBeGreaterThan(2000);
    const added = await addTopicsToPapers(env, topics.join(", "));
    expect(added.content).toBe("");
    expect(added.embeds).toEqual([{ description: notes.join("\n"), color: brandColor }]);

    // /subscribe says the same of them, and its schedule besides.
    const subscribed = await slash(env, "subscribe", {
      options: { channel: A.reading, topics: topics.join(", ") },
    });
    const lines = subscribed.embeds[0]?.description?.split("\n");
    expect(lines?.slice(0, 3)).toEqual([
      "Subscribed. Daily roundup:",
      `<#${A.reading}> — active`,
      `Topics: ${topics.join(" · ")}`,
    ]);
    expect(lines?.slice(5)).toEqual([
      ...notes.slice(1),
      "Preview the next one with /roundup preview.",
    ]);
  });

  it("names the removed topic as the channel followed it, not as it was typed", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    const removed = await slash(env, "topics", {
      subcommand: "remove",
      options: { channel: A.papers, topic: "  GRAPH Neural   networks " },
    });
    expect(removed.content).toBe(`<#${A.papers}> no longer follows “${gnn}”.`);
  });

  it("says that removing the last topic stops the roundups until one is added", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    const remove = (topic: string) =>
      slash(env, "topics", { subcommand: "remove", options: { channel: A.papers, topic } });
    expect(await remove(gnn)).toMatchObject({
      ephemeral: true,
      content: `<#${A.papers}> no longer follows “${gnn}”.`,
    });
    expect(await remove(diffusion)).toMatchObject({
      ephemeral: true,
      content: `<#${A.papers}> no longer follows “${diffusion}”. It follows no topics now, so no roundup goes out until you add some with /topics add.`,
    });
  });

  it("autocompletes /topics remove with the current channel's topics before a channel is picked", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    const removable = (where: { channelId?: string }) =>
      autocomplete(env, "topics", {
        subcommand: "remove",
        options: { topic: "" },
        focused: "topic",
        ...where,
      });
    // `topic:` typed before `channel:` is picked, in #papers: #papers' topics are offered.
    expect((await removable({ channelId: A.papers })).map((c) => c.value)).toEqual([
      gnn,
      diffusion,
    ]);
    expect(await removable({ channelId: A.reading })).toEqual([]);
  });

  it("gives a followed topic the quotes it is added again with, and offers it to remove typed without them", async () => {
    const env = await freshEnv();
    await subscribePapers(env);
    // As Discord's keyboards on phones type quotes.
    const requoted = "“Graph” neural networks";
    expect((await addTopicsToPapers(env, requoted)).content).toBe(
      // Named with its own quotes straight, not ““Graph” neural networks”.
      `Changed “${gnn}” to “"Graph" neural networks”. <#${A.papers}> follows 2 topics.`,
    );
    expect(env.subscription(A.papers)?.topics).toEqual([requoted, diffusion]);
    const removable = await autocomplete(env, "topics", {
      subcommand: "remove",
      options: { channel: A.papers, topic: "graph neural" },
      focused: "topic",
    });
    expect(removable.map((choice) => choice.value)).toEqual([requoted]);
  });

  it("keeps replies of long topics within Discord's limits, the schedule whole", async () => {
    const long = (i: number) =>
      `topic ${i} on ${"graph neural networks and diffusion models ".repeat(3)}`
        .slice(0, 100)
        .trim();
    const topics = Array.from({ length: 25 }, (_, i) => long(i));
    const subscribeWithAll = async (channel: string) => {
      await slash(env(), "subscribe", {
        options: { channel, topics: topics.slice(0, 9).join(", ") },
      });
      for (const part of [topics.slice(9, 17), topics.slice(17)]) {
        await slash(env(), "topics", {
          subcommand: "add",
          options: { channel, topic: part.join(", ") },
        });
      }
      expect(env().subscription(channel)?.topics).toHaveLength(25);
    };
    await subscribeWithAll(A.reading);
    const list = await slash(env(), "topics", {
      subcommand: "list",
      options: { channel: A.reading },
    });
    expect(list.ephemeral).toBe(true);
    expect(list.embeds[0]?.description?.split("\n")).toEqual([
      `<#${A.reading}> follows 25 of at most 25 topics:`,
      ...topics.map((topic, i) => `${i + 1}. ${topic}`),
    ]);
    const answer = await slash(env(), "subscribe", {
      options: { channel: A.reading, time: "07:00" },
    });
    // 2,500 characters of topics: more than a message's 2,000, whole in an embed's 4,096.
    expect(answer.content).toBe("");
    expect(answer.embeds[0]?.description?.split("\n")).toEqual([
      "Roundup updated:",
      `<#${A.reading}> — active`,
      `Topics: ${topics.join(" · ")}`,
      "At 07:00 UTC, every day, up to 10 papers",
      "Next run: Mon 23 Nov 2026, 07:00 (UTC) · Last delivery: none yet",
      "Preview the next one with /roundup preview.",
    ]);

    // Three roundups of 2,500 characters of topics each: every one keeps its status and runs.
    await subscribeWithAll(A.general);
    const { embeds } = await slash(env(), "subscriptions");
    const description = embeds[0]?.description ?? "";
    expect(description.length).toBeLessThanOrEqual(4096);
    const blocks = description.split("\n\n");
    expect(blocks.map((block) => block.split("\n")[0])).toEqual([
      `<#${A.papers}> — active`,
      `<#${A.reading}> — active`,
      `<#${A.general}> — active`,
    ]);
    for (const block of blocks) expect(block).toMatch(/\nNext run: .* · Last delivery: .*$/);
    // The short list whole, the long ones cut alike.
    expect(blocks[0]).toContain(`Topics: ${gnn} · ${diffusion}\n`);
    expect(blocks[1]?.length).toBeGreaterThan(1200);
    expect(blocks[1]).toMatch(/\nTopics: topic 0 .*…\n/);
    for (const channel of [A.reading, A.general]) {
      await slash(env(), "unsubscribe", { options: { channel } });
    }
  });

  it("lists 25 topics whose escapes double them within a description's 4,096 characters", async () => {
    const env = await freshEnv();
    const topics = Array.from({ length: 25 }, (_, i) => `t${i}${"*_".repeat(48)}x`.slice(0, 100));
    // In parts of under 1,000 characters, as the options take.
    await slash(env, "subscribe", {
      options: { channel: A.reading, topics: topics.slice(0, 9).join(", ") },
    });
    for (const part of [topics.slice(9, 17), topics.slice(17)]) {
      await slash(env, "topics", {
        subcommand: "add",
        options: { channel: A.reading, topic: part.join(", ") },
      });
    }
    expect(env.subscription(A.reading)?.topics).toEqual(topics);
    const list = await slash(env, "topics", {
      subcommand: "list",
      options: { channel: A.reading },
    });
    const lines = list.embeds[0]?.description?.split("\n") ?? [];
    expect(list.embeds[0]?.description?.length).toBeLessThanOrEqual(4096);
    expect(lines[0]).toBe(`<#${A.reading}> follows 25 of at most 25 topics:`);
    expect(lines.at(-1)).toBe("…");
    expect(lines.slice(1, -1)).toEqual(
      topics.slice(0, lines.length - 2).map((topic, i) => `${i + 1}. ${plain(topic)}`),
    );
    // More than an embed holds too: /subscribe cuts them, never the schedule after them.
    const updated = await slash(env, "subscribe", {
      options: { channel: A.reading, time: "07:00" },
    });
    const answer = updated.embeds[0]?.description ?? "";
    expect(answer.length).toBeLessThanOrEqual(4096);
    expect(answer.split("\n").slice(2)).toEqual([
      expect.stringMatching(/^Topics: t0\\\*\\_.*…$/),
      "At 07:00 UTC, every day, up to 10 papers",
      expect.stringMatching(/^Next run: .* · Last delivery: none yet$/),
      "Preview the next one with /roundup preview.",
    ]);
  });

  it("explains each bad value, ephemerally, and changes nothing", async () => {
    const cases: [Record<string, string | number>, RegExp][] = [
      [
        { time: "25:00" },
        /^Time must be HH:MM on a 24-hour clock, like 09:00 or 17:30, or with am or pm, like 9am or 5:30pm\.$/,
      ],
      [{ time: "nine" }, /^Time must be HH:MM/],
      [{ timezone: "Mars/Olympus_Mons" }, /^Unknown time zone `Mars\/Olympus_Mons`\. Pick one/],
      [
        { timezone: "Europ/Paris" },
        /^Unknown time zone `Europ\/Paris`\. Did you mean Europe\/Paris/,
      ],
      // A slip in the city, which no zone's name holds: named all the same.
      [
        { timezone: "Europe/Pariss" },
        /^Unknown time zone `Europe\/Pariss`\. Did you mean Europe\/Paris\?/,
      ],
      [{ topics: " , ;" }, /^A topic cannot be empty/],
      [{ topics: `${gnn}, ???` }, /^`\?\?\?` has no words to search for/],
      // What was typed is shown as typed, never rendered: no spoiler, bold or link.
      [{ topics: "||**~~__" }, /^`\|\|\*\*~~__` has no words to search for/],
      [
        { timezone: "[Mars](https://evil.example)" },
        /^Unknown time zone `\[Mars\]\(https:\/\/evil\.example\)`\./,
      ],
      [{ topics: "x".repeat(101) }, /^A topic is at most 100 characters/],
      [{ topics: `${gnn}, the and` }, /^`the and` has only words nearly every paper has/],
      [{ max: 30 }, /^`max` must be a whole number from 1 to 25\.$/],
      [{ max: 0 }, /^`max` must be a whole number from 1 to 25\.$/],
    ];
    for (const [options, message] of cases) {
      const answer = await slash(env(), "subscribe", {
        options: { channel: A.reading, topics: diffusion, ...options },
      });
      expect(answer.ephemeral, JSON.stringify(options)).toBe(true);
      expect(answer.content, JSON.stringify(options)).toMatch(message);
    }
    expect(env().subscription(A.reading)).toBeUndefined();

    const before = env().subscription(A.papers)?.topics;
    const empty = await slash(env(), "topics", {
      subcommand: "add",
      options: { channel: A.papers, topic: "  " },
    });
    expect(empty).toMatchObject({
      ephemeral: true,
      content: expect.stringMatching(/^A topic cannot be empty/),
    });
    expect(env().subscription(A.papers)?.topics).toEqual(before);
  });

  it("refuses a voice channel, and a channel where Paperboy may not embed links", async () => {
    const voice = await slash(env(), "subscribe", { options: { channel: A.voice, topics: gnn } });
    expect(voice).toMatchObject({
      ephemeral: true,
      content: `<#${A.voice}> is not a text channel; roundups go to text or announcement channels.`,
    });
    const noEmbeds = await slash(env(), "subscribe", {
      options: { channel: A.noEmbeds, topics: gnn },
    });
    expect(noEmbeds).toMatchObject({
      ephemeral: true,
      content: `Paperboy is missing Embed Links in <#${A.noEmbeds}>; allow it in the channel's permissions.`,
    });
    expect(env().subscription(A.voice)).toBeUndefined();
    expect(env().subscription(A.noEmbeds)).toBeUndefined();
  });

  it("keeps servers apart: another server's channel is refused, its roundup neither seen nor changed", async () => {
    const elsewhere = /^That channel is not in this server; pick one of this server's/;
    // From server A, with B's channel id.
    const fromA = () =>
      Promise.all([
        slash(env(), "subscribe", { options: { channel: B.papers, topics: gnn, max: 1 } }),
        slash(env(), "unsubscribe", { options: { channel: B.papers } }),
        slash(env(), "topics", { subcommand: "add", options: { channel: B.papers, topic: gnn } }),
        slash(env(), "topics", {
          subcommand: "remove",
          options: { channel: B.papers, topic: "secret project alpha" },
        }),
        slash(env(), "topics", { subcommand: "list", options: { channel: B.papers } }),
        slash(env(), "roundup", { subcommand: "preview", options: { channel: B.papers } }),
        slash(env(), "roundup", { subcommand: "now", options: { channel: B.papers } }),
      ]);
    // Before server B has a roundup there: refused as a channel of another server.
    const early = await fromA();
    expect(early[0]).toMatchObject({ ephemeral: true, content: expect.stringMatching(elsewhere) });

    // Server B's own admin subscribes it.
    const inB = { guildId: B.guild, channelId: B.general };
    const made = await slash(env(), "subscribe", {
      ...inB,
      options: { channel: B.papers, topics: "secret project alpha" },
    });
    expect(made.content).toMatch(/^Subscribed\./);

    // Nothing about it is shown, nothing changes: each answer is the one from before B had a
    // roundup there, which would otherwise tell that it has one now.
    const late = await fromA();
    for (const [i, answer] of late.entries()) {
      expect(answer.ephemeral).toBe(true);
      expect(answer.content).toBe(early[i]?.content);
      expect(answer.content).not.toContain("secret");
    }
    const removable = (channel: string, userId?: string) =>
      autocomplete(env(), "topics", {
        subcommand: "remove",
        options: { channel, topic: "" },
        focused: "topic",
        ...(userId ? { userId } : {}),
      });
    expect(await removable(B.papers)).toEqual([]);
    // Its own topics are offered to an admin, and to no one else.
    expect((await removable(A.papers)).map((c) => c.value)).toEqual([gnn, diffusion]);
    expect(await removable(A.papers, A.member)).toEqual([]);
    const listed = await slash(env(), "subscriptions");
    expect(JSON.stringify(listed.embeds)).not.toContain(B.papers);

    expect(env().subscription(B.papers, B.guild)).toMatchObject({
      guildId: B.guild,
      topics: ["secret project alpha"],
      maxPapers: 10,
      status: "active",
    });
    expect(env().fake.channelMessages).toEqual([]);
  });

  it("tells a server whose Paperboy has no bot in it to invite the bot, not to give it View Channel", async () => {
    // The app's commands work in a server without its bot (added with `applications.commands`
    // only), but Discord refuses that server's channels to the bot (Missing Access).
    const env = await freshEnv();
    const removed = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removed;
    const refused = await slash(env, "subscribe", { options: { channel: A.papers, topics: gnn } });
    expect(refused).toMatchObject({
      ephemeral: true,
      content:
        "Paperboy is not in this server (added without its bot, or removed), so it cannot post here; invite it with the `bot` scope, then try again.",
    });
    expect(env.subscription(A.papers)).toBeUndefined();
  });
});

// ---- roundups posted ---------------------------------------------------------------------------------

// One server's days in order: each test goes on from where the one before left the server.
describe("a roundup", () => {
  const env = sharedEnv();

  it("is previewed, ephemerally, exactly as /roundup now then posts it", async () => {
    expect((await subscribePapers(env())).content).toMatch(/^Subscribed\./);

    const preview = await slash(env(), "roundup", {
      subcommand: "preview",
      options: { channel: A.papers },
    });
    expect(preview.ephemeral).toBe(true);
    const [embed] = preview.embeds;
    expect(embed?.title).toBe("Next roundup (preview)");
    const lines = (embed?.description ?? "").split("\n");
    // On the channel's clock (Paris), as its schedule: a day before it was set up at 07:00.
    expect(lines[0]).toBe(
      `<#${A.papers}> · papers first seen since Sun 22 Nov 2026, 07:00 (Europe/Paris)`,
    );
    expect(lines[1]).toBe(`${matchingMonday.length} papers in 2 messages:`);
    const previewed = lines.slice(2).map((line, i) => {
      const match = /^(\d+)\. \*\*(.+)\*\* — (.+)$/.exec(line);
      if (!match) throw new Error(`not a preview line: ${line}`);
      expect(Number(match[1])).toBe(i + 1);
      return { title: match[2], why: match[3] };
    });
    // Every paper says why: the topic it matched, and by which of its words.
    for (const { why } of previewed)
      expect(why).toMatch(/^“(graph neural networks|diffusion models)” \(/);
    expect(sorted(previewed.map((p) => p.title ?? ""))).toEqual(sorted(matchingMonday.map(plain)));
    expect(env().fake.channelMessages).toEqual([]); // a preview posts nothing

    const now = await slash(env(), "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(now).toMatchObject({
      ephemeral: true,
      content: `Posted today's roundup in <#${A.papers}>.`,
    });
    const messages = messagesIn(env(), A.papers);
    expect(messages).toHaveLength(2); // a header and 13 papers: 10 embeds, then 4
    expect(messages.map((m) => (m.body.embeds as APIEmbed[]).length)).toEqual([10, 4]);
    const [header] = embedsIn(messages);
    expect(header).toMatchObject({
      title: "Paper roundup · 2026-11-23",
      description: "13 new papers on this channel's topics, best match first.",
      fields: [{ name: "Topics", value: `${gnn} · ${diffusion}` }],
    });
    const papers = embedsIn(messages).slice(1);
    expect(papers.map((p) => p.title)).toEqual(previewed.map((p) => p.title));
    expect(papers.map((p) => p.fields?.find((f) => f.name === "Matched")?.value)).toEqual(
      previewed.map((p) => p.why),
    );

    // Posted as text that pings no one, with a nonce Discord enforces.
    const nonces = messages.map((m) => m.body.nonce);
    expect(nonces).toEqual([
      expect.stringMatching(/^pb\d+\.0\b/),
      expect.stringMatching(/^pb\d+\.1\b/),
    ]);
    for (const message of messages) {
      expect(message.body).toMatchObject({ allowed_mentions: { parse: [] }, enforce_nonce: true });
      expect(message.message.nonce).toBe(message.body.nonce);
    }
    const markdown = papers.find((p) => p.title === plain(markdownTitle));
    expect(markdown?.title).toContain("\\*\\*Boldly\\*\\*");
    expect(markdown?.title).toContain("\\[links\\]");
    expect(markdown?.title).not.toContain("**Boldly**");
    // Neither the paper from days before nor the off-topic one.
    const titles = postedTitles(messages).join("\n");
    expect(titles).not.toContain(earlier.gnn[0]);
    expect(titles).not.toContain(monday.offTopic[0]);

    // It counts as today's: the 09:00 run posts nothing more, and a second "now" is refused.
    await env().tick("2026-11-23T08:00:00Z");
    expect(messagesIn(env(), A.papers)).toHaveLength(2);
    const again = await slash(env(), "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(again.content).toBe(
      "Today's roundup for that channel is already sent; the next one comes Tue 24 Nov 2026, 09:00 (Europe/Paris).",
    );
  });

  /**
   * `/roundup preview` without channel: in a thread under #papers previews #papers'. Discord
   * sends the thread as the interaction's channel (the fake knows no threads).
   */
  async function expectPapersPreviewedIn(thread: {
    id: string;
    type: ChannelType.PublicThread | ChannelType.PrivateThread;
    name?: string;
  }) {
    const payload = env().fake.build.slashCommand({
      name: "roundup",
      subcommand: "preview",
      channelId: A.papers,
    });
    const inThread = {
      ...payload,
      channel_id: thread.id,
      channel: { ...payload.channel, ...thread, parent_id: A.papers },
    } as typeof payload;
    env().fake.injectInteraction(inThread);
    const preview = answerOf(await env().fake.waitForCallback(inThread.id));
    expect(preview.content).toBe("");
    expect(preview.embeds[0]?.description?.split("\n")[0]).toMatch(
      new RegExp(`^<#${A.papers}> · papers first seen since `),
    );
  }

  it("is previewed from a thread of its channel, as that channel's: a thread has no roundup", async () => {
    await subscribePapers(env()); // as before (this test may run alone)
    // A thread under #papers, as people open to talk about a roundup's paper.
    const thread = "1100000000000000099";
    const created = once(env().client, Events.ThreadCreate);
    env().fake.dispatch("THREAD_CREATE", {
      id: thread,
      guild_id: A.guild,
      parent_id: A.papers,
      type: ChannelType.PublicThread,
      name: "about the first paper",
      owner_id: env().fake.tester.id,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: "2026-11-23T05:30:00.000Z",
        locked: false,
      },
    });
    await created;
    await expectPapersPreviewedIn({ id: thread, type: ChannelType.PublicThread });
  });

  it("is previewed from a private thread the bot was never told of, as its channel's", async () => {
    await subscribePapers(env()); // as before (this test may run alone)
    // Discord sends no THREAD_CREATE for a private thread the bot is not in: the interaction
    // alone says where it is.
    await expectPapersPreviewedIn({
      id: "1100000000000000098",
      type: ChannelType.PrivateThread,
      name: "just the two of us",
    });
  });

  it("previews at most `max` papers, and posts those at the set local time", async () => {
    env().clock.set("2026-11-23T07:30:00Z");
    await slash(env(), "subscribe", {
      options: { channel: A.reading, topics: diffusion, timezone: "Europe/Paris", max: 2 },
    });
    const preview = await slash(env(), "roundup", {
      subcommand: "preview",
      options: { channel: A.reading },
    });
    const [, said, ...lines] = (preview.embeds[0]?.description ?? "").split("\n");
    expect(lines).toHaveLength(2);
    // More matched than it takes: the preview and the roundup say these are the top ones.
    expect(said).toBe("The top 2 of 3 papers in 1 message:");

    await env().tick("2026-11-23T07:59:00Z"); // 08:59 in Paris
    expect(messagesIn(env(), A.reading)).toEqual([]);
    await env().tick("2026-11-23T08:00:00Z");
    const posted = postedTitles(messagesIn(env(), A.reading));
    expect(posted).toEqual(lines.map((line) => /\*\*(.+)\*\*/.exec(line)?.[1]));
    expect(embedsIn(messagesIn(env(), A.reading))[0]?.description).toBe(
      "The top 2 of 3 new papers on this channel's topics, best match first.",
    );
    expect(messagesIn(env(), A.papers)).toHaveLength(2); // #papers had today's already
  });

  it("/subscriptions lists each channel's topics, next run in local time, last delivery and status", async () => {
    env().clock.set("2026-11-23T10:00:00Z");
    const { embeds } = await slash(env(), "subscriptions");
    expect(embeds[0]?.title).toBe("Roundups in this server (2)");
    expect(await statusOf(env(), A.papers)).toBe(
      [
        `<#${A.papers}> — active`,
        `Topics: ${gnn} · ${diffusion}`,
        "At 09:00 Europe/Paris, every day, up to 25 papers",
        "Next run: Tue 24 Nov 2026, 09:00 (Europe/Paris) · Last delivery: 2026-11-23",
      ].join("\n"),
    );
    expect(await statusOf(env(), A.reading)).toContain(
      "Next run: Tue 24 Nov 2026, 09:00 (Europe/Paris) · Last delivery: 2026-11-23",
    );

    // The next day's roundup has the next day's papers only.
    await env().tick("2026-11-24T08:00:00Z");
    expect(sorted(postedTitles(messagesIn(env(), A.papers)).slice(13))).toEqual(
      sorted(matchingTuesday),
    );
    expect(await statusOf(env(), A.papers)).toContain(
      "Next run: Wed 25 Nov 2026, 09:00 (Europe/Paris) · Last delivery: 2026-11-24",
    );
  });
});

// ---- when Discord says no -----------------------------------------------------------------------------

describe("a channel unsubscribed and subscribed again the same day", () => {
  it("gets one “Nothing new” that day, whatever the admin toggles", async () => {
    const env = await freshEnv();
    const setUp = (time: string) =>
      slash(env, "subscribe", {
        options: { channel: A.reading, topics: "robot grasping", time, post_empty: true },
      });
    env.clock.set("2026-11-24T07:00:00Z"); // Tuesday: its first roundup covers Monday 07:00 on
    expect((await setUp("08:00")).content).toMatch(/^Subscribed/);
    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: no paper on robot grasping came
    const quiet = "Nothing new on your topics today (2026-11-24).";
    expect(messagesIn(env, A.reading).map((m) => m.body.content)).toEqual([quiet]);

    env.clock.set("2026-11-24T09:00:00Z");
    const stopped = await slash(env, "unsubscribe", { options: { channel: A.reading } });
    expect(stopped.content).toMatch(/gets no more roundups/);
    const again = await setUp("12:00");
    expect(again.content).toContain("Next run: Wed 25 Nov 2026, 12:00 (UTC)");
    await env.tick("2026-11-24T12:00:00Z");
    expect(messagesIn(env, A.reading)).toHaveLength(1);
    await env.tick("2026-11-25T12:00:00Z");
    expect(messagesIn(env, A.reading).map((m) => m.body.content)).toEqual([
      quiet,
      "Nothing new on your topics today (2026-11-25).",
    ]);
  });
});

describe("delivery failures", () => {
  const nine = "2026-11-23T08:00:00Z"; // Monday, 09:00 in Paris
  const path = `/channels/${A.papers}/messages`;

  async function subscribed(): Promise<Env> {
    const env = await freshEnv();
    await subscribePapers(env);
    return env;
  }

  /** Server B's #b-papers subscribed too, at the same time as A's #papers. */
  async function subscribedInBothServers(): Promise<Env> {
    const env = await subscribed();
    await slash(env, "subscribe", {
      guildId: B.guild,
      channelId: B.general,
      options: { channel: B.papers, topics: gnn, timezone: "Europe/Paris", max: 3 },
    });
    return env;
  }

  /** A channel of server A deleted in Discord (no event sent); the channel as it was. */
  function deleteInDiscord(env: Env, channelId: string) {
    const guild = env.fake.world.guilds.find((g) => g.id === A.guild);
    const at = guild?.channels.findIndex((c) => c.id === channelId) ?? -1;
    const [channel] = at >= 0 ? (guild?.channels.splice(at, 1) ?? []) : [];
    if (!channel) throw new Error(`no channel ${channelId} in server A`);
    return channel;
  }

  it("rides out a 500 with discord.js's own retry", async () => {
    const env = await subscribed();
    env.fake.failNext({ method: "POST", path, status: 500 });
    await env.tick(nine);
    expect(sorted(postedTitles(messagesIn(env, A.papers)))).toEqual(
      sorted(matchingMonday.map(plain)),
    );
    expect(postsTo(env, A.papers).map((r) => [r.status, r.injected])).toEqual([
      [500, true],
      [200, false],
      [200, false],
    ]);
    expect(env.logs().some((e) => e.msg === "roundup send failed; will retry")).toBe(false);
  });

  it("retries a 5xx that outlasts discord.js's retries after a backoff, then posts it all", async () => {
    const env = await subscribed();
    env.fake.failNext({ method: "POST", path, status: 503, times: 4 }); // 1 try + 3 retries
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toEqual([]);
    expect(env.logs().find((e) => e.msg === "roundup send failed; will retry")).toMatchObject({
      retryInMs: 60_000,
    });
    expect(await statusOf(env, A.papers)).toMatch(/^<#\d+> — active\n/);

    await env.tick("2026-11-23T08:00:59Z");
    expect(messagesIn(env, A.papers)).toEqual([]);
    await env.tick("2026-11-23T08:01:00Z");
    const messages = messagesIn(env, A.papers);
    expect(messages).toHaveLength(2);
    expect(sorted(postedTitles(messages))).toEqual(sorted(matchingMonday.map(plain)));
    expect(env.roundups.outbox.latest(env.subscription(A.papers)?.id ?? 0)).toMatchObject({
      status: "sent",
      attempts: 1,
    });
  });

  it("posts a message once when Discord made it but the answer was lost (nonce)", async () => {
    const env = await subscribed();
    // Discord creates the message each time but answers 502; the bot cannot know it landed.
    env.fake.failNext({ method: "POST", path, status: 502, times: 4, processed: true });
    await env.tick(nine);
    await env.tick("2026-11-23T08:01:00Z"); // the runner's retry
    const attempts = postsTo(env, A.papers);
    const nonceOf = (body: unknown) => (body as { nonce?: string } | null)?.nonce;
    const firstNonce = nonceOf(attempts[0]?.body);
    expect(firstNonce).toMatch(/^pb\d+\.0\b/);
    expect(attempts.slice(0, 5).map((r) => nonceOf(r.body))).toEqual(Array(5).fill(firstNonce));
    const messages = messagesIn(env, A.papers);
    expect(messages.map((m) => m.body.nonce)).toEqual([
      firstNonce,
      expect.stringMatching(/^pb\d+\.1\b/),
    ]);
    expect(sorted(postedTitles(messages))).toEqual(sorted(matchingMonday.map(plain)));
  });

  it("posts a message once when the connection was cut after Discord made it, and records its id", async () => {
    const env = await subscribed();
    env.fake.failNext({ method: "POST", path, status: "dropped", processed: true });
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toHaveLength(1); // made, but the bot never heard
    const roundup = env.roundups.outbox.latest(env.subscription(A.papers)?.id ?? 0);
    expect(roundup).toMatchObject({ status: "sending", attempts: 1 });

    await env.tick("2026-11-23T08:01:00Z"); // the runner's retry, the same nonce
    const messages = messagesIn(env, A.papers);
    expect(messages).toHaveLength(2);
    expect(sorted(postedTitles(messages))).toEqual(sorted(matchingMonday.map(plain)));
    const sent = env.app.db
      .prepare("SELECT message_id AS id FROM roundup_messages WHERE roundup_id = ? ORDER BY seq")
      .all(roundup?.id);
    expect(sent).toEqual(messages.map((m) => ({ id: m.message.id })));
    expect(env.roundups.outbox.get(roundup?.id ?? 0)).toMatchObject({ status: "sent" });
  });

  it("posts a message once when its record fails (a full disk) for longer than Discord keeps its nonce", async () => {
    const env = await subscribed();
    // The write of what was posted fails, as on a full disk or a database gone read-only.
    env.app.db.exec(
      "CREATE TEMP TRIGGER disk_full BEFORE INSERT ON posted_papers BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toHaveLength(1);
    // A tick a minute, past Discord's few minutes of nonce memory, the disk still full.
    for (const minute of ["01", "02", "03", "04", "05"])
      await env.tick(`2026-11-23T08:${minute}:00Z`);
    expect(messagesIn(env, A.papers)).toHaveLength(1);
    expect(env.logs().filter((e) => e.msg === "roundup failed")).toHaveLength(6);

    env.app.db.exec("DROP TRIGGER disk_full"); // room again
    await env.tick("2026-11-23T08:06:00Z");
    const messages = messagesIn(env, A.papers);
    expect(messages).toHaveLength(2);
    expect(sorted(postedTitles(messages))).toEqual(sorted(matchingMonday.map(plain)));
    const roundup = env.roundups.outbox.latest(env.subscription(A.papers)?.id ?? 0);
    const sent = env.app.db
      .prepare("SELECT message_id AS id FROM roundup_messages WHERE roundup_id = ? ORDER BY seq")
      .all(roundup?.id);
    expect(sent).toEqual(messages.map((m) => ({ id: m.message.id })));
    expect(roundup).toMatchObject({ status: "sent" });
  });

  it("/roundup now says how much of the roundup was posted when the rest could not be", async () => {
    const env = await subscribed();
    const now = () => slash(env, "roundup", { subcommand: "now", options: { channel: A.papers } });
    // Discord takes the first of its two messages, then refuses the second.
    env.fake.failNext({ method: "POST", path, status: 403, after: 1 });
    const refused = await now();
    expect(messagesIn(env, A.papers)).toHaveLength(1);
    expect(refused).toMatchObject({
      ephemeral: true,
      content: `Part of the roundup (1 of 2 messages) was posted in <#${A.papers}>; the rest could not be: Paperboy may not post there (Missing Permissions); allow View Channel, Send Messages and Embed Links.`,
    });

    // Nothing posted, Discord failing: not "part of it".
    const other = await freshEnv();
    await slash(other, "subscribe", { options: { channel: A.reading, topics: gnn } });
    other.fake.failNext({
      method: "POST",
      path: `/channels/${A.reading}/messages`,
      status: 503,
      times: 4, // 1 try + 3 retries
    });
    const failing = await slash(other, "roundup", {
      subcommand: "now",
      options: { channel: A.reading },
    });
    expect(failing.content).toMatch(
      new RegExp(
        `^The roundup for <#${A.reading}> could not be posted yet; it will be retried \\(.+\\)\\.$`,
      ),
    );
  });

  it("/roundup now says which part Discord refused as it was (AutoMod), not that all was posted", async () => {
    const env = await subscribed();
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked, after: 1 });
    const reply = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(messagesIn(env, A.papers)).toHaveLength(1);
    expect(reply).toMatchObject({
      ephemeral: true,
      content: `Part of the roundup (1 of 2 messages) was posted in <#${A.papers}>; Discord refused one message, which is not sent again: Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation).`,
    });
  });

  it.each([
    [400, 50035, "Invalid Form Body"],
    [413, 40005, "Request entity too large"],
    [400, 50006, "Cannot send an empty message"],
  ])(
    "asks for a %i %i refusal, a message Paperboy made wrong, to be reported",
    async (status, code, message) => {
      const env = await subscribed();
      env.fake.failNext({ method: "POST", path, status, body: { code, message }, after: 1 });
      const reply = await slash(env, "roundup", {
        subcommand: "now",
        options: { channel: A.papers },
      });
      expect(reply.content).toContain(
        `Discord found it invalid (${code}: ${message}); please report this as a Paperboy bug.`,
      );
    },
  );

  it("/roundup now says Discord refused a part when the rest waits for a retry", async () => {
    const env = await subscribed();
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked });
    env.fake.failNext({ method: "POST", path, status: 503, times: 4 }); // 1 try + 3 retries
    const reply = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(messagesIn(env, A.papers)).toHaveLength(0);
    expect(reply.content).toMatch(
      new RegExp(
        `^The roundup for <#${A.papers}> could not be posted yet; it will be retried \\(.+\\); Discord refused one message, which is not sent again: Discord's AutoMod blocked it \\(200000: Message was blocked by automatic moderation\\)\\.$`,
      ),
    );
  });

  it("/roundup now says Discord refused a part when the rest could not be posted either", async () => {
    const env = await subscribed();
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked });
    env.fake.failNext({ method: "POST", path, status: 403 });
    const reply = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(messagesIn(env, A.papers)).toHaveLength(0);
    expect(reply.content).toBe(
      `The roundup could not be posted in <#${A.papers}>: Paperboy may not post there (Missing Permissions); allow View Channel, Send Messages and Embed Links; Discord refused one message, which is not sent again: Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation).`,
    );
  });

  it("/roundup now gives the reason once when Discord refused every message", async () => {
    const env = await subscribed();
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked, times: 2 });
    const reply = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(reply.content).toBe(
      `The roundup could not be posted in <#${A.papers}>: Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation).`,
    );
  });

  it("skips a message Discord's AutoMod blocks, never retrying it, and posts the rest", async () => {
    // Ten more of Monday's papers: a roundup of 23, in three messages (a header and 9, 10, 4).
    const more = Array.from({ length: 10 }, (_, i) => `Graph Neural Networks for Task ${i + 1}`);
    const env = await freshEnv((app) => {
      const dir = mkdtempSync(join(tmpdir(), "paperboy-roundup-e2e-more-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      ingestPage(app, dir, "more.txt", monday.at, more);
    });
    await subscribePapers(env);
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked, after: 1 });
    await env.tick(nine);
    // Past several of a transient failure's retries (1, 2, 4, 8 … minutes), and the afternoon.
    for (const at of ["08:01", "08:03", "08:07", "08:15", "08:31", "09:03", "15:00"])
      await env.tick(`2026-11-23T${at}:00Z`);

    expect(postsTo(env, A.papers).map((r) => r.status)).toEqual([200, 400, 200]);
    const messages = messagesIn(env, A.papers);
    expect(messages.map((m) => m.body.nonce)).toEqual([
      expect.stringMatching(/^pb\d+\.0\b/),
      expect.stringMatching(/^pb\d+\.2\b/),
    ]);
    const subscription = env.subscription(A.papers);
    const roundup = env.roundups.outbox.latest(subscription?.id ?? 0);
    expect(roundup).toMatchObject({ status: "sent", attempts: 0 });
    const planned = env.app.db
      .prepare(
        "SELECT seq, paper_ids AS ids FROM roundup_messages WHERE roundup_id = ? ORDER BY seq",
      )
      .all(roundup?.id) as { seq: number; ids: string }[];
    const papersOf = (seq: number) => JSON.parse(planned[seq]?.ids ?? "[]") as number[];
    expect(planned).toHaveLength(3);
    // The blocked message's papers are not recorded as posted; the others' are.
    const posted = new Set(
      env.app.db
        .prepare("SELECT paper_id FROM posted_papers WHERE channel_id = ?")
        .pluck()
        .all(A.papers) as number[],
    );
    expect(papersOf(1).filter((id) => posted.has(id))).toEqual([]);
    expect([...posted].sort()).toEqual([...papersOf(0), ...papersOf(2)].sort());
    expect(postedTitles(messages)).toHaveLength(posted.size);

    expect(subscription?.status).toBe("active");
    const status = await statusOf(env, A.papers);
    expect(status).toMatch(/^<#\d+> — active\n/);
    expect(status).toContain(
      "Not posted: 1 of 3 messages of the roundup of 2026-11-23, which Discord refused: Discord's AutoMod blocked it (200000: Message was blocked by automatic moderation)",
    );
    // One warning, with Discord's code and message; the server is not told (AutoMod told it).
    const warnings = env
      .logs()
      .filter((e) => e.msg === "roundup message refused by Discord; skipped");
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        roundup: roundup?.id,
        channel: A.papers,
        discord: { code: 200000, message: blocked.message },
      }),
    ]);
    expect(messagesIn(env, A.general)).toEqual([]);

    // Tuesday's roundup has Tuesday's papers: the blocked ones are not offered again.
    await env.tick("2026-11-24T08:00:00Z");
    expect(sorted(postedTitles(messagesIn(env, A.papers).slice(2)))).toEqual(
      sorted(matchingTuesday.map(plain)),
    );
  });

  it("sends a message AutoMod blocks once, even when its refusal could not be recorded at first (a full disk)", async () => {
    const env = await subscribed();
    const blocked = { code: 200000, message: "Message was blocked by automatic moderation" };
    // AutoMod blocks the second message each time it is sent, alerting the moderators each time.
    env.fake.failNext({ method: "POST", path, status: 400, body: blocked, after: 1, times: 3 });
    env.app.db.exec(
      "CREATE TEMP TRIGGER disk_full BEFORE UPDATE OF refused ON roundup_messages BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END",
    );
    await env.tick(nine);
    for (const minute of ["01", "02"]) await env.tick(`2026-11-23T08:${minute}:00Z`);
    env.app.db.exec("DROP TRIGGER disk_full"); // room again
    await env.tick("2026-11-23T08:03:00Z");

    expect(postsTo(env, A.papers).map((r) => r.status)).toEqual([200, 400]);
    const roundup = env.roundups.outbox.latest(env.subscription(A.papers)?.id ?? 0);
    expect(roundup).toMatchObject({ status: "sent" });
    expect(env.roundups.outbox.refusals(roundup?.id ?? 0)).toEqual([
      expect.stringContaining("Discord's AutoMod blocked it"),
    ]);
  });

  it("waits out a 429 and posts", async () => {
    const env = await subscribed();
    env.fake.failNext({
      method: "POST",
      path,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.02, global: false },
    });
    await env.tick(nine);
    expect(postsTo(env, A.papers).map((r) => [r.status, r.injected])).toEqual([
      [429, true],
      [200, false],
      [200, false],
    ]);
    expect(messagesIn(env, A.papers)).toHaveLength(2);
  });

  it("tries a post Discord asks to wait long for again then, naming no permission to give, not holding other channels' roundups", async () => {
    const env = await subscribedInBothServers();
    // The second message is asked to wait an hour (in a slowmode's words, which Discord's docs
    // say bots are not held to: no permission given to Paperboy would have spared it).
    const slowmode = "This action cannot be performed due to slowmode rate limit.";
    env.fake.failNext({
      method: "POST",
      path,
      status: 429,
      after: 1,
      body: { message: slowmode, code: 20016, retry_after: 3600, global: false },
    });
    await env.tick(nine); // waited out, it held this tick, B's roundup with it, for the hour
    expect(messagesIn(env, A.papers)).toHaveLength(1);
    expect(messagesIn(env, B.papers).length).toBeGreaterThan(0);
    const subscription = env.subscription(A.papers);
    const roundup = subscription && env.roundups.outbox.latest(subscription.id);
    expect(roundup).toMatchObject({
      status: "sending",
      lastError:
        "Discord asked Paperboy to wait 60 min before posting there again; it tries again then",
    });
    expect(Date.parse(roundup?.retryAt ?? "")).toBeGreaterThanOrEqual(Date.parse(nine) + 3_600_000);
  });

  it("leaves the offline console's roundup on the same database alone: `console` is no Discord channel", async () => {
    const env = await subscribed();
    const { subscription } = env.roundups.subscriptions.subscribe("console", "console", {
      topics: [gnn],
      time: "07:00", // UTC: due at the tick below, as #papers is
      by: "console",
      now: new Date(env.clock.now()),
    });
    await env.tick(nine);
    expect(messagesIn(env, A.papers).length).toBeGreaterThan(0); // the server's own goes out
    expect(env.fake.requests.filter((r) => r.path.includes("/channels/console"))).toEqual([]);
    expect(env.roundups.outbox.latest(subscription.id)).toBeUndefined();
    expect(env.roundups.subscriptions.byId(subscription.id)?.status).toBe("active");
  });

  /** #papers is gone (Discord answers 10003): its roundup is disabled, the server told. */
  const channelGone = (env: Awaited<ReturnType<typeof subscribed>>) =>
    env.fake.failNext({
      method: "POST",
      path,
      status: 404,
      body: { message: "Unknown Channel", code: 10003 },
    });

  it("tells the server once even when Discord made the notice but its answer was a 5xx", async () => {
    const env = await subscribed();
    channelGone(env);
    // Discord posts the notice, then answers 500: discord.js sends it again by itself.
    env.fake.failNext({
      method: "POST",
      path: `/channels/${A.general}/messages`,
      status: 500,
      processed: true,
    });
    await env.tick(nine);
    const told = messagesIn(env, A.general);
    expect(told.map((m) => (m.body as { content?: string }).content)).toEqual([
      `Paperboy's daily roundup for <#${A.papers}> is disabled: the channel no longer exists`,
    ]);
  });

  it("disables a roundup whose channel is gone (10003), and tells the server once", async () => {
    const env = await subscribed();
    channelGone(env);
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toEqual([]);
    const told = messagesIn(env, A.general);
    expect(told.map((m) => m.body)).toEqual([
      expect.objectContaining({
        content: `Paperboy's daily roundup for <#${A.papers}> is disabled: the channel no longer exists`,
        allowed_mentions: { parse: [] },
      }),
    ]);
    expect(await statusOf(env, A.papers)).toMatch(
      /^<#\d+> — disabled: the channel no longer exists\n[\s\S]*Next run: never \(disabled; \/subscribe again to restart\) · Last delivery: none yet$/,
    );

    // Later days: nothing posted, nothing said again.
    await env.tick("2026-11-24T08:00:00Z");
    await env.tick("2026-11-25T08:00:00Z");
    expect(messagesIn(env, A.papers)).toEqual([]);
    expect(messagesIn(env, A.general)).toHaveLength(1);
    expect(env.subscription(A.papers)?.status).toBe("disabled");
  });

  it("/roundup now resumes a roundup disabled by a 404 its channel did not mean, and says so", async () => {
    const env = await subscribed();
    channelGone(env); // one send answered 10003, the channel still there
    await env.tick(nine);
    expect(env.subscription(A.papers)?.status).toBe("disabled");

    const byHand = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(byHand).toMatchObject({
      ephemeral: true,
      content: `Posted today's roundup in <#${A.papers}>. The roundup was disabled and is active again: the next ones come on schedule.`,
    });
    expect(env.subscription(A.papers)).toMatchObject({ status: "active", statusReason: null });
    await env.tick("2026-11-24T08:00:00Z");
    expect(embedsIn(messagesIn(env, A.papers).slice(-1))[0]?.title).toBe(
      "Paper roundup · 2026-11-24",
    );
  });

  it("/subscribe changes a paused roundup's settings, says it stays paused and why, and sets up none where it cannot post", async () => {
    const env = await subscribed();
    await denySendMessages(env);
    await env.tick(nine); // Monday: 403, paused
    expect(env.subscription(A.papers)?.status).toBe("paused");

    const changed = await slash(env, "subscribe", {
      options: { channel: A.papers, time: "10:30", max: 5 },
    });
    expect(changed.ephemeral).toBe(true);
    // Why, as found now: the failed send's "may not post there" said less.
    const why = `Paperboy is missing Send Messages in <#${A.papers}>; allow it in the channel's permissions.`;
    expect(changed.content).toContain(`Roundup updated:\n<#${A.papers}> — paused: ${why}\n`);
    expect(changed.content).toContain(
      "It stays paused until Paperboy can post there (it resumes by itself on a roundup day once fixed, or at once with /roundup now).",
    );
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: why,
      time: "10:30",
      maxPapers: 5,
    });

    // A new roundup where Paperboy cannot post is still refused, saying why.
    const refused = await slash(env, "subscribe", {
      options: { channel: A.noEmbeds, topics: gnn },
    });
    expect(refused.content).toBe(
      `Paperboy is missing Embed Links in <#${A.noEmbeds}>; allow it in the channel's permissions.`,
    );
    expect(env.subscription(A.noEmbeds)).toBeUndefined();
  });

  it("pauses a roundup Paperboy may not post (50013), tells once, and resumes when allowed again", async () => {
    const env = await subscribed();
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toHaveLength(2); // Monday's roundup

    // An admin takes Send Messages away from Paperboy in #papers.
    const denySend = [
      { id: env.fake.botUser.id, type: "member" as const, deny: PermissionFlagsBits.SendMessages },
    ];
    const updated = once(env.client, Events.ChannelUpdate);
    env.fake.setPermissionOverwrites(A.papers, denySend);
    await updated;

    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: Discord refuses the post
    const refused = postsTo(env, A.papers).at(-1);
    expect([refused?.status, (refused?.responseBody as { code?: number })?.code]).toEqual([
      403, 50013,
    ]);
    expect(env.subscription(A.papers)?.status).toBe("paused");
    const pausedLine = await statusOf(env, A.papers);
    expect(pausedLine).toMatch(
      /^<#\d+> — paused: Paperboy may not post there \(Missing Permissions\); allow View Channel, Send Messages and Embed Links\n/,
    );
    expect(pausedLine).toContain("Last delivery: 2026-11-23");

    await env.tick("2026-11-25T08:00:00Z"); // Wednesday: still not allowed
    expect(messagesIn(env, A.papers)).toHaveLength(2);
    expect(env.subscription(A.papers)?.status).toBe("paused");
    // Posting by hand is refused up front, saying what is missing.
    const byHand = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(byHand).toMatchObject({
      ephemeral: true,
      content: `Paperboy is missing Send Messages in <#${A.papers}>; allow it in the channel's permissions.`,
    });
    expect(postsTo(env, A.papers)).toHaveLength(3); // Monday's two, Tuesday's refused one

    const restored = once(env.client, Events.ChannelUpdate);
    env.fake.setPermissionOverwrites(A.papers, []);
    await restored;
    await env.tick("2026-11-26T08:00:00Z"); // Thursday: resumes on its own
    expect(env.subscription(A.papers)?.status).toBe("active");
    const thursday = messagesIn(env, A.papers).slice(2);
    expect(embedsIn(thursday)[0]?.title).toBe("Paper roundup · 2026-11-26");
    // The papers of the days it could not post are not lost.
    expect(sorted(postedTitles(thursday))).toEqual(sorted(matchingTuesday));

    const told = messagesIn(env, A.general);
    expect(told).toHaveLength(1);
    expect(told[0]?.body.content).toMatch(
      new RegExp(
        `^Paperboy's daily roundup for <#${A.papers}> is paused: Paperboy may not post there`,
      ),
    );
  });

  it("pauses a roundup while Paperboy is timed out, says so once, and resumes when the timeout is lifted", async () => {
    const env = await subscribed();
    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toHaveLength(2); // Monday's roundup

    // A moderator times Paperboy out for a month: its permissions are as they were.
    const timeOut = async (until: string | null) => {
      const updated = once(env.client, Events.GuildMemberUpdate);
      env.fake.timeOutBot(A.guild, until);
      await updated;
    };
    await timeOut("2026-12-23T08:00:00Z");
    const timedOut =
      "Paperboy is timed out in this server until 2026-12-23 08:00 UTC; a moderator can remove its timeout";
    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: Discord refuses the post
    expect(env.subscription(A.papers)).toMatchObject({ status: "paused", statusReason: timedOut });
    // Later days: not resumed into another refusal.
    await env.tick("2026-11-25T08:00:00Z");
    await env.tick("2026-11-26T08:00:00Z");
    expect(env.subscription(A.papers)?.status).toBe("paused");
    expect(postsTo(env, A.papers)).toHaveLength(3); // Monday's two, Tuesday's refused one
    // Told once (Discord refuses the notice too, as every post in the server).
    expect(postsTo(env, A.general)).toHaveLength(1);
    const byHand = await slash(env, "roundup", {
      subcommand: "now",
      options: { channel: A.papers },
    });
    expect(byHand).toMatchObject({ ephemeral: true, content: timedOut });

    await timeOut(null);
    await env.tick("2026-11-27T08:00:00Z"); // Friday: resumes on its own
    expect(env.subscription(A.papers)?.status).toBe("active");
    expect(sorted(postedTitles(messagesIn(env, A.papers).slice(2)))).toEqual(
      sorted(matchingTuesday),
    );
  });

  it("gives, while paused, the cause the latest daily re-check found: a permission, then a timeout", async () => {
    const env = await subscribed();
    await env.tick(nine); // Monday's roundup
    await denySendMessages(env);
    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: 403, paused
    expect(await statusOf(env, A.papers)).toMatch(/^<#\d+> — paused: Paperboy may not post there/);

    // The permission is given back, but a moderator times Paperboy out.
    const restored = once(env.client, Events.ChannelUpdate);
    env.fake.setPermissionOverwrites(A.papers, []);
    await restored;
    const timedOut = once(env.client, Events.GuildMemberUpdate);
    env.fake.timeOutBot(A.guild, "2026-12-23T08:00:00Z");
    await timedOut;
    await env.tick("2026-11-25T08:00:00Z"); // Wednesday: the re-check finds the timeout
    const reason =
      "Paperboy is timed out in this server until 2026-12-23 08:00 UTC; a moderator can remove its timeout";
    expect(await statusOf(env, A.papers)).toMatch(new RegExp(`^<#\\d+> — paused: ${reason}\n`));
    // Paused since Tuesday's refusal still, and the server is not told again.
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: reason,
      statusSince: "2026-11-24T08:00:00.000Z",
    });
    expect(messagesIn(env, A.general)).toHaveLength(1);
  });

  it("goes with its channel when the channel is deleted, other channels' and servers' left alone", async () => {
    const env = await subscribedInBothServers();
    const general = await slash(env, "subscribe", {
      options: { channel: A.general, topics: gnn },
    });
    expect(general.content).toMatch(/^Subscribed/);

    // An admin deletes #papers while Paperboy runs.
    const papers = deleteInDiscord(env, A.papers);
    const deleted = once(env.client, Events.ChannelDelete);
    env.fake.dispatch("CHANNEL_DELETE", papers);
    await deleted;

    expect(env.subscription(A.papers)).toBeUndefined();
    expect(env.subscription(A.general)?.status).toBe("active");
    expect(env.subscription(B.papers, B.guild)?.status).toBe("active");
    const listed = await slash(env, "subscriptions", {});
    expect(JSON.stringify(listed)).not.toContain(A.papers);
    await env.tick(nine);
    expect(postsTo(env, A.papers)).toEqual([]); // nothing tried there
    expect(messagesIn(env, B.papers)).toHaveLength(1);
  });

  it("holds a roundup waiting for a retry while Paperboy is out of the server, and sends it once back", async () => {
    const env = await subscribed();
    env.fake.failNext({ method: "POST", path, status: 503, times: 4 }); // 1 try + 3 retries
    await env.tick(nine);
    expect(env.roundups.outbox.pending(env.subscription(A.papers)?.id ?? 0)).toBeDefined();

    const removed = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removed;
    await env.tick("2026-11-23T08:01:00Z"); // the retry's time: nothing tried while out
    expect(postsTo(env, A.papers)).toHaveLength(4);
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: "Paperboy was removed from the server; add it again to resume.",
    });
    expect(await statusOf(env, A.papers)).toContain(
      "Next run: once it resumes, a retry of the roundup of 2026-11-23 (2 messages left)",
    );

    await addBackToA(env);
    await env.tick("2026-11-23T08:02:00Z");
    expect(env.subscription(A.papers)?.status).toBe("active");
    expect(sorted(postedTitles(messagesIn(env, A.papers)))).toEqual(
      sorted(matchingMonday.map(plain)),
    );
  });

  it("resumes at start a server's roundups paused for its removal, when Paperboy is in it again", async () => {
    const env = await freshEnv((app) => {
      const stored = createSubscriptionStore(app.db);
      const at = new Date("2026-11-20T10:00:00Z");
      for (const channel of [A.papers, A.reading]) {
        stored.subscribe(A.guild, channel, { by: A.member, now: at, topics: [gnn] });
      }
      // Removed while Paperboy ran, added back while it was stopped.
      stored.pauseGuild(
        A.guild,
        "Paperboy was removed from the server; add it again to resume.",
        at,
      );
      // Paused for another reason meanwhile: left to its daily re-check.
      const reading = stored.get(A.guild, A.reading);
      stored.setStatus(reading?.id ?? 0, "paused", "Paperboy may not post there", at);
    });
    await env.logged("roundups re-checked: Paperboy is back"); // after start-up, not in it
    expect(env.subscription(A.papers)).toMatchObject({ status: "active", statusReason: null });
    expect(env.subscription(A.reading)).toMatchObject({
      status: "paused",
      statusReason: "Paperboy may not post there",
    });
  });

  it("starts without waiting for Discord to take what a server back is told of its roundups", async () => {
    let holding: (hold: ReturnType<FakeDiscord["hold"]>) => void = () => {};
    const held = new Promise<ReturnType<FakeDiscord["hold"]>>((resolve) => {
      holding = resolve;
    });
    const starting = startEnv((app, fake) => {
      const stored = createSubscriptionStore(app.db);
      const at = new Date("2026-11-20T10:00:00Z");
      stored.subscribe(A.guild, A.papers, { by: A.member, now: at, topics: [gnn] });
      stored.pauseGuild(
        A.guild,
        "Paperboy was removed from the server; add it again to resume.",
        at,
      );
      // Added back while Paperboy was stopped, without Send Messages in #papers: the server is
      // told, and Discord is slow to take that (rate limits, an outage).
      fake.setPermissionOverwrites(A.papers, [
        { id: fake.botUser.id, type: "member", deny: PermissionFlagsBits.SendMessages },
      ]);
      holding(fake.hold({ method: "POST", path: `/channels/${A.general}/messages` }));
    });
    const notice = await held;
    // Waiting on that post, start-up logged no "ready", and npm start listened neither for
    // SIGTERM (which killed it, with no shutdown) nor for the gateway's close.
    const first = await Promise.race([
      starting.then(() => "started"),
      notice.arrived.then(() => new Promise((later) => setImmediate(later, "held at start"))),
    ]);
    notice.release();
    const env = await starting;
    onTestFinished(() => env.close());
    expect(first).toBe("started");
    await env.logged("roundups re-checked: Paperboy is back");
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: `Paperboy is missing Send Messages in <#${A.papers}>; allow it in the channel's permissions.`,
    });
    const told = messagesIn(env, A.general).map((message) => String(message.body.content));
    expect(told).toEqual([expect.stringContaining("Paperboy is missing Send Messages")]);
  });

  it("is waited for by shutdown while it re-checks a server that added it back", async () => {
    const env = await freshEnv((app, fake) => {
      const stored = createSubscriptionStore(app.db);
      const by = { by: A.member, now: new Date("2026-11-20T10:00:00Z"), topics: [gnn] };
      stored.subscribe(A.guild, A.papers, by);
      stored.subscribe(A.guild, A.reading, by);
      // Removed while Paperboy was stopped (paused at start for that), and added back as it
      // runs without Send Messages in #papers: the server is told, and Discord is slow to
      // take that. #reading, re-checked next, can resume.
      fake.removeBotFromGuild(A.guild);
      fake.setPermissionOverwrites(A.papers, [
        { id: fake.botUser.id, type: "member", deny: PermissionFlagsBits.SendMessages },
      ]);
    });
    const notice = env.fake.hold({ method: "POST", path: `/channels/${A.general}/messages` });
    const order: string[] = [];
    const rechecked = env.nextLog("roundups re-checked: Paperboy is back");
    void rechecked.then(() => order.push("re-checked"));
    env.fake.addBotToGuild(A.guild);
    await notice.arrived;

    // Shutdown begins: the database must not be closed under #reading's re-check.
    const settled = env.inFlight.settled(5_000, env.clock); // the test's clock: no grace ends
    void settled.then(() => order.push("settled"));
    notice.release();
    expect(await settled).toBe(true);
    expect(order).toEqual(["re-checked", "settled"]);
    expect(env.subscription(A.reading)?.status).toBe("active");
  });

  it("leaves a server that adds it back once shutdown has begun for the next start", async () => {
    const env = await freshEnv((app, fake) => {
      const stored = createSubscriptionStore(app.db);
      const by = { by: A.member, now: new Date("2026-11-20T10:00:00Z"), topics: [gnn] };
      stored.subscribe(A.guild, A.reading, by);
      fake.removeBotFromGuild(A.guild); // paused at start for that
    });
    expect(await env.inFlight.settled(5_000, env.clock)).toBe(true); // the pause written
    const paused = env.subscription(A.reading);
    expect(paused?.status).toBe("paused");

    // The database could close under a re-check begun now, its outcome not recorded.
    env.inFlight.close();
    const added = once(env.client, Events.GuildCreate); // after the bot's own listener
    env.fake.addBotToGuild(A.guild);
    await added;
    expect(await env.inFlight.settled(5_000, env.clock)).toBe(true);
    expect(env.subscription(A.reading)).toEqual(paused);
    expect(env.logs().map((entry) => entry.msg)).not.toContain(
      "roundups re-checked: Paperboy is back",
    );
  });

  it("records a server's removal, its return and a channel's deletion once a write can begin, in that order", async () => {
    const { env, free } = await envWithWritesHeld();
    await removedAndAddedBack(env);
    const deleted = once(env.client, Events.ChannelDelete);
    env.fake.dispatch("CHANNEL_DELETE", deleteInDiscord(env, A.general));
    await deleted;
    expect(env.subscription(A.papers)?.status).toBe("active"); // nothing written yet
    expect(env.subscription(A.general)).toBeDefined();

    free();
    expect(await env.inFlight.settled(5_000, env.clock)).toBe(true); // the test's clock: no grace ends
    // Re-checked before the pause was written, it stayed paused while Paperboy was back.
    expect(env.subscription(A.papers)?.status).toBe("active");
    expect(env.logs().map((entry) => entry.msg)).toContain("roundups re-checked: Paperboy is back");
    expect(env.subscription(A.general)).toBeUndefined();
  });

  it("keeps, paused, the roundups of a server that removes Paperboy while its return's look for deleted channels waits to be written", async () => {
    const { env, free } = await envWithWritesHeld();
    await removedAndAddedBack(env);
    // Removed again: discord.js empties the server's list of channels.
    const removedAgain = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removedAgain;

    free();
    expect(await env.inFlight.settled(5_000, env.clock)).toBe(true);
    // Not taken for deleted channels: Paperboy is only out of the server, until it is back.
    expect(env.subscription(A.papers)?.status).toBe("paused");
    expect(env.subscription(A.general)?.status).toBe("paused");
    expect(env.logs().map((entry) => entry.msg)).not.toContain(
      "roundup removed with its deleted channel",
    );
  });

  it("pauses at start the roundups of a server that removed Paperboy while it was stopped", async () => {
    const env = await freshEnv((app, fake) => {
      const stored = createSubscriptionStore(app.db);
      const by = { by: A.member, now: new Date("2026-11-20T10:00:00Z"), topics: [gnn] };
      stored.subscribe(A.guild, A.papers, by);
      stored.subscribe(B.guild, B.papers, by);
      fake.removeBotFromGuild(A.guild);
    });
    expect(await env.inFlight.settled(5_000, env.clock)).toBe(true); // the pause written
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: "Paperboy was removed from the server; add it again to resume.",
    });
    expect(env.subscription(B.papers, B.guild)?.status).toBe("active");
    await env.tick("2026-11-23T09:00:00Z"); // both due (09:00 UTC)
    expect(postsTo(env, A.papers)).toEqual([]); // nothing tried where Paperboy is not
    // Paused for what the day's re-check found, which adding Paperboy back resumes too.
    expect(env.subscription(A.papers)?.statusReason).toMatch(/^Paperboy is not in this server/);
    expect(messagesIn(env, B.papers).length).toBeGreaterThan(0); // the other server's goes out

    await addBackToA(env);
    expect(env.subscription(A.papers)?.status).toBe("active");
    await env.tick("2026-11-24T09:00:00Z"); // the missed day's papers come with the next
    expect(postedTitles(messagesIn(env, A.papers))).toHaveLength(10);
  });

  it("goes with a channel deleted while Paperboy was stopped, at start", async () => {
    const deletedChannel = "1999999999999999999"; // in no server of the fake's
    const env = await freshEnv((app) => {
      const stored = createSubscriptionStore(app.db);
      const by = { by: A.member, now: new Date("2026-11-20T10:00:00Z"), topics: [gnn] };
      stored.subscribe(A.guild, deletedChannel, by);
      stored.subscribe(A.guild, A.papers, by);
    });
    expect(env.subscription(deletedChannel)).toBeUndefined();
    expect(env.subscription(A.papers)?.status).toBe("active");
    expect(env.logs()).toContainEqual(
      expect.objectContaining({
        msg: "roundup removed with its deleted channel",
        channel: deletedChannel,
      }),
    );
  });

  it("goes with a channel deleted while Paperboy was away, once the server's channels come back", async () => {
    const env = await subscribed();
    const general = await slash(env, "subscribe", {
      options: { channel: A.general, topics: gnn },
    });
    expect(general.content).toMatch(/^Subscribed/);
    const guild = env.fake.world.guilds.find((g) => g.id === A.guild);
    if (!guild) throw new Error("server A is missing");

    // An outage of the server, during which #papers is deleted: back, its channels come
    // without it.
    const outage = once(env.client, Events.GuildUnavailable);
    env.fake.dispatch("GUILD_DELETE", { id: A.guild, unavailable: true });
    await outage;
    deleteInDiscord(env, A.papers);
    const available = once(env.client, Events.GuildAvailable);
    env.fake.dispatch("GUILD_CREATE", guildCreatePayload(guild));
    await available;
    expect(env.subscription(A.papers)).toBeUndefined();
    expect(env.subscription(A.general)?.status).toBe("active");

    // Removed from the server, and #general deleted meanwhile: added again, the same.
    const removed = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removed;
    deleteInDiscord(env, A.general);
    const back = once(env.client, Events.GuildCreate);
    env.fake.addBotToGuild(A.guild);
    await back;
    expect(env.subscription(A.general)).toBeUndefined();
  });

  it("disables a paused roundup whose deletion it missed, saying the channel no longer exists", async () => {
    const env = await subscribed();
    await env.tick(nine); // Monday's roundup
    await denySendMessages(env);
    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: 403, paused
    expect(env.subscription(A.papers)?.status).toBe("paused");

    // An admin deletes #papers and no CHANNEL_DELETE reaches Paperboy, which no longer knows
    // the channel (a restart or the server's outage would remove the roundup, as above).
    deleteInDiscord(env, A.papers);
    env.client.channels.cache.delete(A.papers);
    env.client.guilds.cache.get(A.guild)?.channels.cache.delete(A.papers);

    await env.tick("2026-11-25T08:00:00Z"); // Wednesday: the daily re-check finds it gone
    expect(env.subscription(A.papers)).toMatchObject({
      status: "disabled",
      statusReason: "the channel no longer exists",
    });
    expect(await statusOf(env, A.papers)).toMatch(
      /^<#\d+> — disabled: the channel no longer exists\n/,
    );
    expect(messagesIn(env, A.general).at(-1)?.body.content).toBe(
      `Paperboy's daily roundup for <#${A.papers}> is disabled: the channel no longer exists`,
    );
  });

  it("pauses a server's roundups when Paperboy is removed from it, until it is back", async () => {
    const env = await subscribedInBothServers();

    // A server outage is not a removal.
    const outage = once(env.client, Events.GuildUnavailable);
    env.fake.dispatch("GUILD_DELETE", { id: B.guild, unavailable: true });
    await outage;
    expect(env.subscription(B.papers, B.guild)?.status).toBe("active");
    const available = once(env.client, Events.GuildAvailable);
    const guildB = env.fake.world.guilds.find((g) => g.id === B.guild);
    if (!guildB) throw new Error("server B is missing");
    env.fake.dispatch("GUILD_CREATE", guildCreatePayload(guildB));
    await available;

    const removed = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removed;
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: "Paperboy was removed from the server; add it again to resume.",
    });
    expect(env.subscription(B.papers, B.guild)?.status).toBe("active");

    await env.tick(nine);
    expect(messagesIn(env, A.papers)).toEqual([]);
    expect(messagesIn(env, A.general)).toEqual([]); // no one there to tell
    expect(env.subscription(A.papers)?.status).toBe("paused"); // not given up on
    expect(messagesIn(env, B.papers)).toHaveLength(1); // the other server's goes out

    await addBackToA(env);
    // Back at once, not on its next day's re-check: "add it again to resume" was done.
    expect(await statusOf(env, A.papers)).toMatch(/^<#\d+> — active\n/);
    await env.tick("2026-11-24T08:00:00Z");
    expect(env.subscription(A.papers)?.status).toBe("active");
    expect(embedsIn(messagesIn(env, A.papers))[0]?.title).toBe("Paper roundup · 2026-11-24");
  });

  it("added back, keeps paused a roundup paused for a permission before Paperboy was removed", async () => {
    const env = await subscribed();
    const general = await slash(env, "subscribe", { options: { channel: A.general, topics: gnn } });
    expect(general.content).toMatch(/^Subscribed/);
    await env.tick(nine); // Monday's roundups
    await denySendMessages(env);
    await env.tick("2026-11-24T08:00:00Z"); // Tuesday: #papers refused (403), paused
    expect(env.subscription(A.papers)?.status).toBe("paused");
    const posts = postsTo(env, A.papers).length;

    const removed = once(env.client, Events.GuildDelete);
    env.fake.removeBotFromGuild(A.guild);
    await removed;
    // Wednesday's re-check, while Paperboy is out, finds it not in the server.
    await env.tick("2026-11-25T08:00:00Z");
    expect(env.subscription(A.papers)?.statusReason).toMatch(/^Paperboy is not in this server/);

    await addBackToA(env);
    // #general was paused only for the removal: it resumes at once. #papers still may not
    // post: it stays paused, saying what is missing, not "active" until its next refusal.
    expect(env.subscription(A.general)?.status).toBe("active");
    expect(env.subscription(A.papers)).toMatchObject({
      status: "paused",
      statusReason: `Paperboy is missing Send Messages in <#${A.papers}>; allow it in the channel's permissions.`,
    });
    expect(await statusOf(env, A.papers)).toMatch(
      /^<#\d+> — paused: Paperboy is missing Send Messages/,
    );
    await env.tick("2026-11-26T08:00:00Z");
    expect(postsTo(env, A.papers)).toHaveLength(posts); // not sent into another refusal
    // The server is told again, with what is missing: its admin just added Paperboy back.
    expect(messagesIn(env, A.general).map((m) => m.body.content)).toEqual([
      expect.stringMatching(/is paused: Paperboy may not post there/),
      `Paperboy's daily roundup for <#${A.papers}> is paused: Paperboy is missing Send Messages in <#${A.papers}>; allow it in the channel's permissions.`,
    ]);
  });
});
