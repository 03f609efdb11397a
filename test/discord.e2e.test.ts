/**
 * End to end: the bot's real discord.js client (startDiscordBot, as `npm start` runs it)
 * against the local Discord fake, over an in-memory archive. Nothing sleeps: tests wait on
 * what the fake records, and time that matters to the bot (the 1.5 s defer deadline,
 * search expiry) comes from a clock the test moves.
 */
import { spawn } from "node:child_process";
import { EventEmitter, once } from "node:events";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIMessage,
  type APIStringSelectComponent,
  Client,
  ComponentType,
  DefaultRestOptions,
  MessageFlags,
} from "discord.js";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { commands as realCommands } from "../commands/index.ts";
import { createBotContext } from "../src/bot/context.ts";
import { plain } from "../src/bot/limits.ts";
import { sessionLifetimeMs } from "../src/bot/sessions.ts";
import {
  type BotContext,
  type Clock,
  type Command,
  type Reply,
  realClock,
} from "../src/bot/types.ts";
import { ConfigError, loadConfig } from "../src/config.ts";
import { clientOptions, readyTimeoutMs, startDiscordBot } from "../src/discord/client.ts";
import { deferAfterMs } from "../src/discord/interactions.ts";
import { discordProblem } from "../src/discord/problems.ts";
import { createDiscordRoundupPort } from "../src/discord/roundup-port.ts";
import { createLogger } from "../src/log.ts";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import { createWritable } from "../src/writable.ts";
import { FakeDiscord, type RecordedCallback } from "./discord-fake/index.ts";
import {
  abstractAbout,
  archiveDir,
  arxivLine,
  at,
  cleanEnv,
  ingestTime,
  listingPage,
  lockedElsewhere,
  openApp,
  paperIdByTitle,
  runCli,
  runNode,
  settledNow,
  slowIngestRefresh,
  tempDir,
  writeLargeDump,
  writeLockProbe,
} from "./helpers.ts";

/** Distinctive, so a leak into any log line is unmistakable. */
const TOKEN = "MTE4.e2e-fake-token.Zq9xWv_Ks2";
const ephemeral = MessageFlags.Ephemeral;
/** On every text reply: a link in a paper's title shows no page in the channel. */
const noLinkPreviews = MessageFlags.SuppressEmbeds;
const spraying = "Challenging the Need for Packet Spraying in Large-Scale Distributed Training";
/** Titles that read alike: the same title in other case and punctuation, and two cut alike. */
const alikeTitles = [
  { id: "1706.03762", title: "Attention Is All You Need", date: "2017-06-12" },
  { id: "2306.00001", title: "Attention is all you need.", date: "2023-06-01" },
  ...["in the wild", "in zoos"].map((end, i) => ({
    id: `2401.0000${i + 2}`,
    title: `Koalas ${"and wombats ".repeat(9)}${end}`,
    date: `2024-01-0${i + 2}`,
  })),
];
const evilTitle =
  "Ping @everyone and @here: **bold** claims, [x](https://evil) links and `rm -rf` code";
const evilTopic = "zorblax quinterfrob";
/** Its llama is the 99th and 100th UTF-16 units: where a 100-character choice name is cut. */
const llamaTitle =
  "Herding Llamas: Graph Transformers for Flock Dynamics, Trained on Fifteen Years of Pasture Videos 🦙 and Alpacas";
/** Its flag's two letters are the 98th to 101st UTF-16 units: a 100-character cut is between them. */
const flagTitle =
  "Tour de Force: Graph Transformers for Cycling Race Tactics, Trained on Thirty Years of 40 Stages 🇫🇷 and Peloton Data";
/** Its "é" is an "e" and an accent: the accent is the 100th UTF-16 unit, where a cut falls. */
const accentTitle =
  "Dune Migration Under Wind Shear: Graph Transformers for Sand Transports, Trained on a Merzouga Cafe\u0301's Records";
/** A title with a link to a page anyone may have made. */
const linkTitle = "Wombat Tunnels, Mapped: the Data at https://evil.example/wombat.gif";
const quokkaTopic = "quokka burrow acoustics";
/**
 * Papers of a dump without arXiv ids (linked to an arXiv title search), each title nothing but
 * markdown characters, long enough to be cut: escaped, each character is two, and in the
 * search's URL three.
 */
const markdownOnlyTitles = [1, 2, 3, 4, 5].map((n) => `${"*_~|`".repeat(60)} ${n}`);

// ---- test doubles ---------------------------------------------------------------------------

/** A clock the test moves: `advance` runs what fell due, in order. */
function manualClock(start: number) {
  let now = start;
  let scheduled = 0;
  const tasks = new Set<{ seq: number; due: number; ms: number; task: () => void }>();
  const waiters = new Set<() => void>();
  return {
    now: () => now,
    schedule(ms: number, task: () => void) {
      const entry = { seq: scheduled++, due: now + ms, ms, task };
      tasks.add(entry);
      for (const waiter of waiters) waiter();
      return { cancel: () => void tasks.delete(entry) };
    },
    advance(ms: number): void {
      now += ms;
      const due = [...tasks].filter((t) => t.due <= now).sort((a, b) => a.due - b.due);
      for (const entry of due) {
        tasks.delete(entry);
        entry.task();
      }
    },
    /** How many tasks were ever scheduled: a mark for `whenScheduled`. */
    mark: () => scheduled,
    /** Resolves once a task of this delay, scheduled since `mark`, is pending. */
    whenScheduled(ms: number, mark = 0): Promise<void> {
      const pending = () => [...tasks].some((t) => t.ms === ms && t.seq >= mark);
      if (pending()) return Promise.resolve();
      return new Promise((resolve) => {
        const waiter = () => {
          if (!pending()) return;
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
  };
}

type LogEntry = Record<string, unknown>;

/** Pino output, line by line (what production writes to stderr), and waiting on it. */
function logCapture() {
  const lines: string[] = [];
  const written = new EventEmitter();
  const entries = () => lines.map((line) => JSON.parse(line) as LogEntry);
  return {
    stream: {
      write(line: string) {
        lines.push(line);
        written.emit("line");
      },
    },
    get text() {
      return lines.join("");
    },
    entries,
    /** The first entry matching, now or once it is logged. */
    waitFor(predicate: (entry: LogEntry) => boolean, timeoutMs = 5_000): Promise<LogEntry> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = entries().find(predicate);
          if (!found) return;
          clearTimeout(timer);
          written.off("line", check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          written.off("line", check);
          reject(new Error(`no matching log line within ${timeoutMs} ms`));
        }, timeoutMs);
        written.on("line", check);
        check();
      });
    },
  };
}

/** A test command whose answer the test gives, whenever it likes. */
function controlledCommand(name: string) {
  const pending: ((reply: Reply) => void)[] = [];
  const waiting: ((answer: (reply: Reply) => void) => void)[] = [];
  const command: Command = {
    definition: { name, description: "Test only: answers when the test says so" },
    run: () =>
      new Promise<Reply>((resolve) => {
        const waiter = waiting.shift();
        if (waiter) waiter(resolve);
        else pending.push(resolve);
      }),
  };
  return {
    command,
    /** Resolves, once the handler runs, with the function that answers it. */
    started(): Promise<(reply: Reply) => void> {
      const answer = pending.shift();
      return answer ? Promise.resolve(answer) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

const explode: Command = {
  definition: { name: "explode", description: "Test only: fails unexpectedly" },
  run() {
    throw new Error("kaboom: the test command failed");
  },
};

/** The bot as `npm start` runs it, against the fake, with test doubles for time and logs. */
async function startBot(
  fake: FakeDiscord,
  app: Paperboy,
  options: {
    commands?: readonly Command[];
    clock?: Clock;
    env?: Record<string, string>;
    log?: ReturnType<typeof logCapture>;
    logLevel?: pino.Level;
    /** Log through createLogger, as `npm start` does, scrubbing secrets (levels as labels). */
    productionLog?: true;
    /** What writes wait for: the archive refresh's ingest, as `npm start` hands it over. */
    writable?: () => Promise<void>;
  } = {},
) {
  const clock = options.clock ?? manualClock(ingestTime.getTime());
  const logs = options.log ?? logCapture();
  const commands = options.commands ?? realCommands;
  const config = loadConfig({
    DISCORD_TOKEN: TOKEN,
    DISCORD_API_URL: fake.apiBase,
    PAPERBOY_DB: ":memory:",
    ...options.env,
  });
  const log = options.productionLog
    ? createLogger(config, logs.stream)
    : pino({ level: options.logLevel ?? "info" }, logs.stream);
  let context: BotContext | undefined;
  const client = await startDiscordBot({
    config,
    commands,
    context: (ready) => {
      const port = createDiscordRoundupPort(ready);
      context = createBotContext({ app, clock, log, port, writable: options.writable });
      return context;
    },
    meta: app.meta,
    clock,
    log,
    ...(options.writable && { writable: options.writable }),
  });
  if (!context) throw new Error("startDiscordBot built no context");
  return { client, logs, context };
}

const proxyPassword = "pr0xy-s3cret";
/** `url` through an authenticating proxy, as DISCORD_API_URL may name one. */
const throughProxy = (url: string) => url.replace("http://", `http://paperboy:${proxyPassword}@`);

/** The address of a fake that has closed: nothing answers there. */
async function unreachableApiBase(): Promise<string> {
  const closed = await FakeDiscord.start({ token: TOKEN });
  await closed.close();
  return closed.apiBase;
}

// ---- shapes of what the bot sent ------------------------------------------------------------

type Rows = APIActionRowComponent<APIButtonComponentWithCustomId | APIStringSelectComponent>[];

function embedOf(data: Record<string, unknown> | undefined): APIEmbed {
  const embed = (data?.embeds as APIEmbed[] | undefined)?.[0];
  if (!embed) throw new Error(`expected an embed in ${JSON.stringify(data)}`);
  return embed;
}

function rowsOf(data: Record<string, unknown> | undefined): Rows {
  return (data?.components ?? []) as Rows;
}

function buttons(data: Record<string, unknown> | undefined): APIButtonComponentWithCustomId[] {
  return (rowsOf(data)[0]?.components ?? []) as APIButtonComponentWithCustomId[];
}

/** The message's select menu: under a results page's buttons, or alone under "Closest titles". */
function select(data: Record<string, unknown> | undefined): APIStringSelectComponent {
  const menu = rowsOf(data)
    .flatMap((row) => row.components)
    .find((component) => component.type === ComponentType.StringSelect);
  if (menu?.type !== ComponentType.StringSelect) throw new Error("expected a select menu");
  return menu;
}

function customIdOf(button: APIButtonComponentWithCustomId | undefined): string {
  if (!button?.custom_id) throw new Error("expected a button with a custom id");
  return button.custom_id;
}

/** The numbers of the result lines in a results embed ("**6.** [Title](url)" → 6). */
function resultNumbers(embed: APIEmbed): number[] {
  return [...(embed.description ?? "").matchAll(/^\*\*(\d+)\.\*\* \[/gm)].map((m) => Number(m[1]));
}

// ---- registration ------------------------------------------------------------------------------

describe("command registration at start", () => {
  const commandNames = realCommands.map((c) => c.definition.name);
  let fake: FakeDiscord;
  let app: Paperboy;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN, guilds: [{}, {}] });
    app = openPaperboy(":memory:");
  });
  afterAll(async () => {
    await fake?.close();
    app?.close();
  });

  const readyLine = (logs: ReturnType<typeof logCapture>) =>
    logs.entries().find((e) => e.msg === "discord bot ready");

  it("stops with one clear line when Discord refuses the token or cannot be reached", async () => {
    const refused = await startBot(fake, app, { env: { DISCORD_TOKEN: "revoked.token.x" } }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused?.message).toBe(
      "DISCORD_TOKEN: Discord refused this token; copy it again from the Bot page of the developer portal",
    );
    const apiBase = await unreachableApiBase();
    const unreachable = await startBot(fake, app, { env: { DISCORD_API_URL: apiBase } }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(unreachable).toBeInstanceOf(ConfigError);
    expect(unreachable?.message).toMatch(
      new RegExp(
        `^could not reach Discord at ${apiBase.replace(/[.]/g, "\\.")} \\(DISCORD_API_URL\\): `,
      ),
    );
    expect(unreachable?.message).not.toContain(TOKEN);
  });

  it("never prints the user:password of a DISCORD_API_URL through a proxy when it stops", async () => {
    const stopped = (apiUrl: string) =>
      startBot(fake, app, { env: { DISCORD_API_URL: apiUrl } }).then(
        () => expect.fail("started"),
        (error: Error) => error.message,
      );
    const unreachable = await stopped(throughProxy(await unreachableApiBase()));
    expect(unreachable).toMatch(
      /^could not reach Discord at http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/api \(DISCORD_API_URL\): /,
    );
    // Not Discord's API: the line names the URL twice, once in the request that failed.
    const notApi = await stopped(throughProxy(fake.url));
    expect(notApi).toMatch(
      /^DISCORD_API_URL: http:\/\/\[redacted\]@127\.0\.0\.1:\d+ does not answer/,
    );
    expect(notApi).toContain(`(GET http://[redacted]@${fake.url.slice("http://".length)}/v10/`);
    for (const message of [unreachable, notApi]) {
      expect(message).not.toContain(proxyPassword);
    }
    expect(() => loadConfig({ DISCORD_API_URL: "ftp://paperboy:pr0xy-s3cret@proxy" })).toThrow(
      'DISCORD_API_URL: expected an http(s) URL such as https://discord.com/api, got "ftp://[redacted]@proxy"',
    );
  });

  describe("a DISCORD_API_URL where Discord's API is not", () => {
    const fix =
      "set it to the API's base URL, such as https://discord.com/api (discord.js adds /v10 itself)";
    const problem = (apiUrl: string, clock?: Clock) =>
      startBot(fake, app, { env: { DISCORD_API_URL: apiUrl }, ...(clock ? { clock } : {}) }).then(
        () => expect.fail("started"),
        (error: Error) => {
          expect(error).toBeInstanceOf(ConfigError);
          return error.message;
        },
      );
    /** A local web server answering every request with `answer`, closed when the test ends. */
    async function webServer(answer: (response: ServerResponse) => void): Promise<string> {
      const server = createServer((_request, response) => answer(response));
      server.listen(0, "127.0.0.1");
      await once(server, "listening");
      onTestFinished(() => {
        server.closeAllConnections();
        server.close();
      });
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }

    it("a base URL without /api, or with /v10 again: Discord's API is not there", async () => {
      expect(await problem(fake.url)).toBe(
        `DISCORD_API_URL: ${fake.url} does not answer as Discord's API does (GET ${fake.url}/v10/gateway/bot answered 404 Not Found); ${fix}`,
      );
      const twice = `${fake.apiBase}/v10`;
      expect(await problem(twice)).toBe(
        `DISCORD_API_URL: ${twice} does not answer as Discord's API does (GET ${twice}/v10/gateway/bot answered 404 Not Found); ${fix}`,
      );
    });

    it("a web server answering with a page: not what discord.js could read", async () => {
      const web = await webServer((response) =>
        response.writeHead(200, { "content-type": "text/html" }).end("<html>Welcome</html>"),
      );
      expect(await problem(web)).toBe(
        `DISCORD_API_URL: ${web} does not answer as Discord's API does (it answered, but not with what Discord sends); ${fix}`,
      );
    });

    it("a server that never answers: said so after the start-up minute, or discord.js's own timeout", async () => {
      const silent = await webServer(() => {});
      const clock = manualClock(ingestTime.getTime());
      const stopped = problem(silent, clock);
      await clock.whenScheduled(readyTimeoutMs);
      clock.advance(readyTimeoutMs);
      expect(await stopped).toBe(
        `Discord at ${silent} (DISCORD_API_URL) did not answer within 60 s`,
      );
      // deploy-commands has no start-up minute: discord.js gives up on each request by itself.
      const aborted = new DOMException("This operation was aborted", "AbortError");
      expect(discordProblem(aborted, { apiUrl: silent, database: "data/paperboy.db" })).toBe(
        `Discord at ${silent} (DISCORD_API_URL) did not answer in time`,
      );
    });
  });

  it("gives up on a gateway it cannot connect to after a minute, in one line, logging each try at debug", async () => {
    // As behind a firewall that lets HTTPS to discord.com through but blocks the websocket.
    const blocked = await FakeDiscord.start({ token: TOKEN, gatewayBlocked: true });
    const clock = manualClock(ingestTime.getTime());
    const logs = logCapture();
    const destroy = vi.spyOn(Client.prototype, "destroy");
    const starting = startBot(blocked, app, {
      clock,
      log: logs,
      logLevel: "debug",
      env: { DISCORD_API_URL: blocked.apiBase },
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    await clock.whenScheduled(readyTimeoutMs);
    // discord.js only tells of a failed connection at debug, and tries again and again.
    await logs.waitFor((e) => e.level === 20 && /network error/.test(String(e.message)));
    clock.advance(readyTimeoutMs);
    const error = await starting;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(
      `could not connect to the Discord gateway at ${blocked.gatewayUrl}/ within 60 s: is its websocket ` +
        "blocked (a firewall or proxy that lets HTTPS through)? LOG_LEVEL=debug shows each try",
    );
    expect(destroy).toHaveBeenCalled();
    expect(logs.text).not.toContain(TOKEN);
    destroy.mockRestore();
    await blocked.close();
  });

  it("registers globally once; an unchanged restart skips it, a changed command set does not", async () => {
    const first = await startBot(fake, app);
    await first.client.destroy();
    expect(fake.commandWrites.map((w) => [w.method, w.guildId])).toEqual([["PUT", null]]);
    expect(fake.commands.global.map((c) => c.name)).toEqual(commandNames);
    const search = fake.commands.global.find((c) => c.name === "search");
    expect(search?.options?.map((o) => [o.name, o.required ?? false])).toEqual([
      ["query", true],
      ["in", false],
      ["limit", false],
    ]);
    expect(app.meta.get("commands:global")).toMatch(/^[0-9a-f]{64}$/);
    expect(readyLine(first.logs)).toMatchObject({ commandsRegistered: true });

    const second = await startBot(fake, app);
    await second.client.destroy();
    expect(fake.commandWrites).toHaveLength(1);
    expect(readyLine(second.logs)).toMatchObject({ commandsRegistered: false });

    const third = await startBot(fake, app, { commands: [...realCommands, explode] });
    await third.client.destroy();
    expect(fake.commandWrites).toHaveLength(2);
    expect(fake.commands.global.map((c) => c.name)).toContain("explode");
  });

  it("registers to DISCORD_GUILD_ID when set, leaving the global commands alone", async () => {
    const guildId = fake.guild.id;
    // Registered globally first: as the test before leaves it, and so when run alone.
    const global = await startBot(fake, app);
    await global.client.destroy();
    const writesBefore = fake.commandWrites.length;
    const first = await startBot(fake, app, { env: { DISCORD_GUILD_ID: guildId } });
    await first.client.destroy();
    expect(fake.commandWrites.slice(writesBefore).map((w) => [w.method, w.guildId])).toEqual([
      ["PUT", guildId],
    ]);
    expect(fake.commands.guilds[guildId]?.map((c) => c.name)).toEqual(commandNames);
    expect(fake.commands.global.length).toBeGreaterThan(0);
    // Discord shows both sets in that server: the operator is told, and how to end it.
    expect(first.logs.entries().find((e) => e.level === 40)).toMatchObject({
      guild: guildId,
      msg: expect.stringMatching(
        new RegExp(
          `^the global commands registered earlier still show in server ${guildId} beside its own, so it lists each command twice; .*--remove-global`,
        ),
      ),
    });

    const second = await startBot(fake, app, { env: { DISCORD_GUILD_ID: guildId } });
    await second.client.destroy();
    expect(fake.commandWrites).toHaveLength(writesBefore + 1);
    expect(readyLine(second.logs)).toMatchObject({ commandsRegistered: false });
  });

  it("takes the commands off the servers registered to before, so none lists them twice", async () => {
    const [guild, other] = fake.world.guilds.map((g) => g.id);
    if (!guild || !other) throw new Error("the fake needs two guilds");
    // Registered to one server first: as the test before leaves it, and so when run alone.
    const before = await startBot(fake, app, { env: { DISCORD_GUILD_ID: guild } });
    await before.client.destroy();
    const writesBefore = fake.commandWrites.length;
    // From one DISCORD_GUILD_ID to another server: the first one's set goes.
    const moved = await startBot(fake, app, { env: { DISCORD_GUILD_ID: other } });
    await moved.client.destroy();
    expect(fake.commandWrites.slice(writesBefore).map((w) => [w.method, w.guildId])).toEqual([
      ["PUT", other],
      ["PUT", guild],
    ]);
    expect(fake.commands.guilds[guild]).toEqual([]);
    expect(readyLine(moved.logs)).toMatchObject({ commandsRemovedFrom: [guild] });

    // Back to global: the server set goes too, the global one is registered.
    const gone = "123456789012345678"; // a server the bot has left: nothing to take off there
    app.meta.set(`commands:guild:${gone}`, "registered before the bot left");
    const global = await startBot(fake, app);
    await global.client.destroy();
    expect(fake.commands.guilds[other]).toEqual([]);
    expect(fake.commands.global.map((c) => c.name)).toEqual(commandNames);
    expect(readyLine(global.logs)).toMatchObject({ commandsRemovedFrom: [gone, other] });
    expect(global.logs.entries().filter((e) => e.level === 40)).toEqual([]);
    expect(
      fake.requests
        .filter((r) => r.method === "PUT" && r.path.includes(`/guilds/${gone}/`))
        .map((r) => r.status),
    ).toEqual([403]);
    expect(app.meta.keysStartingWith("commands:guild:")).toEqual([]);

    const writesAfter = fake.commandWrites.length;
    const again = await startBot(fake, app);
    await again.client.destroy();
    expect(fake.commandWrites).toHaveLength(writesAfter);
    expect(readyLine(again.logs)).toEqual(
      expect.not.objectContaining({ commandsRemovedFrom: expect.anything() }),
    );
  });

  it("answers an interaction that arrives while it is still registering its commands", async () => {
    const fresh = openPaperboy(":memory:"); // nothing registered yet: start-up registers
    onTestFinished(() => void fresh.close());
    // Discord rate-limits the registration: discord.js waits before trying again.
    fake.failNext({
      method: "PUT",
      path: /\/commands$/,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.2, global: false },
    });
    const starting = startBot(fake, fresh);
    await fake.waitForRequest({ method: "PUT", path: /\/commands$/ }, { includePast: false });
    const help = fake.injectInteraction(fake.build.slashCommand({ name: "help" }));
    const { client } = await starting;
    onTestFinished(() => client.destroy());
    const callback = await fake.waitForCallback(help.id);
    expect(callback.type).toBe(4);
    expect(embedOf(callback.data).fields?.length).toBeGreaterThan(0);
  });

  it("records the commands it registered once another process's write lock is free (paperboy ingest beside it), and starts", async () => {
    const fresh = openApp(join(tempDir(), "paperboy.db")); // nothing registered yet: start-up registers
    // A wait in busy_timeout fails at once here, as it fails after 5 s in npm start.
    fresh.db.pragma("busy_timeout = 0");
    const otherProcess = lockedElsewhere(fresh.db.name);
    const writable = createWritable(fresh.db, async () => {}, realClock);
    let asked = () => {};
    const writableAsked = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const starting = startBot(fake, fresh, {
      writable: () => {
        asked();
        return writable();
      },
    });
    await Promise.race([writableAsked, starting]); // written at once, it failed: starting rejects
    expect(fresh.meta.get("commands:global")).toBeUndefined(); // registered, not yet recorded
    otherProcess.exec("COMMIT");
    const { client, logs } = await starting;
    onTestFinished(() => client.destroy());
    expect(readyLine(logs)).toMatchObject({ commandsRegistered: true });
    expect(fresh.meta.get("commands:global")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("says the database was locked, not that Discord could not be reached, when the record of the registration cannot wait longer", async () => {
    const fresh = openApp(join(tempDir(), "paperboy.db"));
    fresh.db.pragma("busy_timeout = 0");
    lockedElsewhere(fresh.db.name);
    const failed = await startBot(fake, fresh).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed).toBeInstanceOf(ConfigError);
    expect(failed?.message).toBe(
      "the database stayed locked by another process (a paperboy ingest of a big file?) while the commands registered were recorded; try again once it is done",
    );
  });

  it("says a full or failing disk is the database's, not that Discord could not be reached", () => {
    const context = { apiUrl: "http://127.0.0.1:9/api", database: join(tempDir(), "paperboy.db") };
    const full = new Database.SqliteError("database or disk is full", "SQLITE_FULL");
    expect(discordProblem(full, context)).toBe(
      `the database could not record the commands registered: ${context.database}: its disk is full (database or disk is full); free some space there, or point --db/PAPERBOY_DB at a file on another disk`,
    );
    // Not told from a full disk by SQLite (see storageProblem): this one has room.
    const failing = new Database.SqliteError("disk I/O error", "SQLITE_IOERR_READ");
    expect(discordProblem(failing, context)).toMatch(
      /^the database could not record the commands registered: .*paperboy\.db: an I\/O error from its disk or file system as SQLite read or wrote it \(disk I\/O error\)/,
    );
  });

  it("stops with one clear line when DISCORD_GUILD_ID names a server the bot is not in", async () => {
    const writesBefore = fake.commandWrites.length;
    let built = false;
    const notIn = "123456789012345678";
    const failed = await startDiscordBot({
      config: loadConfig({
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.apiBase,
        DISCORD_GUILD_ID: notIn,
      }),
      commands: realCommands,
      context: () => {
        built = true;
        throw new Error("no context should be built when registration fails");
      },
      meta: app.meta,
      clock: manualClock(ingestTime.getTime()),
      log: pino({ level: "silent" }),
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed).toBeInstanceOf(ConfigError);
    expect(failed?.message).toBe(
      `DISCORD_GUILD_ID: the bot is not in server ${notIn}; invite it there first ` +
        `(README, "Going online"), or leave DISCORD_GUILD_ID out to register the commands globally`,
    );
    expect(built).toBe(false);
    expect(fake.commandWrites).toHaveLength(writesBefore);
  });
});

describe("paperboy deploy-commands", () => {
  let fake: FakeDiscord;
  const db = join(tempDir(), "paperboy.db"); // removed after these tests
  const deploy = async (env: Record<string, string>, ...args: string[]) => {
    vi.stubEnv("DISCORD_TOKEN", TOKEN);
    vi.stubEnv("DISCORD_API_URL", fake.apiBase);
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    try {
      return await runCli(["deploy-commands", "--db", db, ...args]);
    } finally {
      vi.unstubAllEnvs();
    }
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN });
  });
  afterAll(() => fake?.close());

  it("registers every time it is run, globally or to --guild", async () => {
    const names = realCommands.map((c) => c.definition.name);
    for (let run = 0; run < 2; run++) {
      expect(await deploy({})).toEqual({
        code: 0,
        stdout: `Registered ${names.length} commands globally (may take up to an hour to show).\n`,
        stderr: "",
      });
    }
    const guildId = fake.guild.id;
    expect(await deploy({}, "--guild", guildId)).toEqual({
      code: 0,
      stdout:
        `Registered ${names.length} commands to server ${guildId}.\n` +
        "The global commands registered earlier show there too, so that server lists each command twice; --remove-global removes them (from every server).\n",
      stderr: "",
    });
    expect(fake.commandWrites.map((w) => [w.method, w.guildId])).toEqual([
      ["PUT", null],
      ["PUT", null],
      ["PUT", guildId],
    ]);
    expect(fake.commands.guilds[guildId]?.map((c) => c.name)).toEqual(names);
  });

  it("takes the server's commands off when going global, and the global ones with --remove-global", async () => {
    const names = realCommands.map((c) => c.definition.name);
    const guildId = fake.guild.id;
    const writesBefore = fake.commandWrites.length;
    const writes = () =>
      fake.commandWrites
        .slice(writesBefore)
        .map((w) => [w.method, w.guildId, w.commands.map((c) => c.name)]);
    // The test before registered to the server: going global takes that set off.
    expect(await deploy({})).toEqual({
      code: 0,
      stdout:
        `Registered ${names.length} commands globally (may take up to an hour to show).\n` +
        `Removed the commands registered earlier to server ${guildId}.\n`,
      stderr: "",
    });
    expect(writes()).toEqual([
      ["PUT", null, names],
      ["PUT", guildId, []],
    ]);
    // From global to one server only.
    expect(await deploy({ DISCORD_GUILD_ID: guildId }, "--remove-global")).toEqual({
      code: 0,
      stdout:
        `Registered ${names.length} commands to server ${guildId}.\n` +
        "Removed the global commands: only that server lists them now.\n",
      stderr: "",
    });
    expect(writes().slice(2)).toEqual([
      ["PUT", guildId, names],
      ["PUT", null, []],
    ]);
    expect(fake.commands.global).toEqual([]);
    // Nothing global is left to warn about.
    expect((await deploy({}, "--guild", guildId)).stdout).toBe(
      `Registered ${names.length} commands to server ${guildId}.\n`,
    );
    expect(await deploy({}, "--remove-global")).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "paperboy: --remove-global: only with --guild ID (or DISCORD_GUILD_ID), the one server to keep the commands in\n",
    });
  });

  it("answers a wrong server id, a refused token and an unreachable Discord in one line", async () => {
    const writesBefore = fake.commandWrites.length;
    expect(await deploy({}, "--guild", "abc")).toEqual({
      code: 2,
      stdout: "",
      stderr: 'paperboy: --guild: expected a server id (17–20 digits), got "abc"\n',
    });
    expect(await deploy({}, "--guild", "123456789012345678")).toMatchObject({
      code: 2,
      stderr:
        "paperboy: --guild: the bot is not in server 123456789012345678; invite it there first " +
        '(README, "Going online"), or leave --guild out to register the commands globally\n',
    });
    expect(await deploy({ DISCORD_TOKEN: "revoked.token.x" })).toMatchObject({
      code: 2,
      stderr:
        "paperboy: DISCORD_TOKEN: Discord refused this token; copy it again from the Bot page of the developer portal\n",
    });
    const apiBase = await unreachableApiBase();
    const unreachable = await deploy({ DISCORD_API_URL: apiBase });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(
      new RegExp(
        `^paperboy: could not reach Discord at ${apiBase.replace(/[.]/g, "\\.")} \\(DISCORD_API_URL\\): .+\n$`,
      ),
    );
    expect(fake.commandWrites).toHaveLength(writesBefore);
  });
});

// ---- serving interactions ---------------------------------------------------------------------

describe("Paperboy serving interactions through discord.js", () => {
  let fake: FakeDiscord;
  let app: Paperboy;
  let client: Client<true>;
  let otherUserId: string;
  const clock = manualClock(ingestTime.getTime());
  const logs = logCapture();
  const slow = controlledCommand("slow");
  const slowSecret = controlledCommand("slowsecret");
  const evilDir = mkdtempSync(join(tmpdir(), "paperboy-e2e-"));

  beforeAll(async () => {
    fake = await FakeDiscord.start({
      token: TOKEN,
      guilds: [{ members: [{ user: { username: "someone-else" } }] }],
    });
    const other = fake.guild.members.find((m) => m.user.username === "someone-else");
    if (!other) throw new Error("the second member is missing");
    otherUserId = other.user.id;

    writeFileSync(
      join(evilDir, "evil.txt"),
      listingPage([
        { title: evilTitle, abstract: abstractAbout(evilTopic) },
        { title: llamaTitle, abstract: abstractAbout("llama herding") },
        { title: flagTitle, abstract: abstractAbout("peloton tactics") },
        { title: accentTitle, abstract: abstractAbout("dune migration") },
        { title: linkTitle, abstract: abstractAbout("burrow surveying") },
      ]),
    );
    writeFileSync(
      join(evilDir, "markdown-only.jsonl"),
      markdownOnlyTitles
        .map((title) => arxivLine({ title, abstract: abstractAbout(quokkaTopic) }))
        .join("\n"),
    );
    writeFileSync(
      join(evilDir, "alike.jsonl"),
      alikeTitles
        .map(({ id, title, date }) =>
          arxivLine({ id, title, update_date: date, abstract: abstractAbout("wallaby hops") }),
        )
        .join("\n"),
    );
    app = openPaperboy(":memory:");
    app.ingest([archiveDir, evilDir], { now: at(ingestTime) });

    ({ client } = await startBot(fake, app, {
      clock,
      log: logs,
      commands: [...realCommands, explode, slow.command, slowSecret.command],
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
    app?.close();
    rmSync(evilDir, { recursive: true, force: true });
  });

  /** Injects an interaction and returns it with the bot's callback. */
  async function answered<T extends Parameters<FakeDiscord["injectInteraction"]>[0]>(
    payload: T,
  ): Promise<{ payload: T; callback: RecordedCallback }> {
    fake.injectInteraction(payload);
    return { payload, callback: await fake.waitForCallback(payload.id) };
  }

  /** Runs /search and returns the reply and the message Discord made of it. */
  async function search(query: string) {
    const { payload, callback } = await answered(
      fake.build.slashCommand({ name: "search", options: { query } }),
    );
    const message = fake.interaction(payload.id)?.original;
    if (!message) throw new Error("the search reply made no message");
    return { slash: payload, callback, message };
  }

  function pressButton(message: APIMessage, customId: string, userId?: string) {
    return answered(
      fake.build.button({ customId, message: message.id, ...(userId ? { userId } : {}) }),
    );
  }

  /** What picking the paper titled `title` from /paper's list sends. */
  const pickedValue = (title: string) => `id:${paperIdByTitle(app, title)}`;

  describe("/search", () => {
    const query = "diffusion models";

    it("tells apart results whose titles read alike in its paper menu, by year and arXiv id", async () => {
      const labels = async (query: string, field = "all") => {
        const options = { query, in: field };
        const { callback } = await answered(fake.build.slashCommand({ name: "search", options }));
        return select(callback.data).options.map((option) => option.label);
      };
      const attention = (await labels("attention is all you need")).slice(0, 2).sort();
      expect(attention).toEqual(
        [
          "1. Attention Is All You Need (2017, arXiv 1706.03762)",
          "2. Attention is all you need. (2023, arXiv 2306.00001)",
        ].sort(),
      );
      // Cut at the same place, within the menu's 100 characters; unnumbered, the closest titles
      // of a search that found nothing (no abstract has koalas).
      for (const [field, number] of [
        ["all", "[12]\\. "],
        ["abstract", ""],
      ]) {
        const koalas = (await labels("koalas wombats", field)).filter((l) => l.includes("Koalas"));
        expect(koalas).toHaveLength(2);
        expect(new Set(koalas).size).toBe(2);
        for (const label of koalas) {
          expect(label.length).toBeLessThanOrEqual(100);
          expect(label).toMatch(
            new RegExp(`^${number}Koalas and wombats .*… \\(2024, arXiv 2401\\.0000[23]\\)$`),
          );
        }
      }
    });

    it("answers with an embed of the first 5 results, Prev/Next buttons and a paper menu", async () => {
      const expected = app.search(query, { limit: 10 }).hits;
      expect(expected.length).toBeGreaterThan(5);
      const { callback } = await search(query);

      expect(callback.type).toBe(4); // CHANNEL_MESSAGE_WITH_SOURCE
      expect((Number(callback.data?.flags ?? 0) & ephemeral) === 0).toBe(true);
      const embed = embedOf(callback.data);
      expect(embed.title).toBe(`Search: ${query}`);
      expect(resultNumbers(embed)).toEqual([1, 2, 3, 4, 5]);
      for (const hit of expected.slice(0, 5)) expect(embed.description).toContain(plain(hit.title));
      expect(embed.footer?.text).toMatch(/^Page 1 of 2 · 10 results/);

      const [prev, next] = buttons(callback.data);
      expect([prev?.label, prev?.disabled, next?.label, next?.disabled]).toEqual([
        "◀ Prev",
        true,
        "Next ▶",
        false,
      ]);
      expect(customIdOf(next)).toMatch(/^search:page:[\w-]+:1$/);
      const menu = select(callback.data);
      expect(menu.custom_id).toBe("search:open");
      expect(menu.options.map((o) => o.value)).toEqual(
        expected.slice(0, 5).map((h) => String(h.id)),
      );
    });

    it("turns the page when the searcher presses Next, updating the message in place", async () => {
      const { callback, message } = await search(query);
      const next = customIdOf(buttons(callback.data)[1]);

      const page2 = await pressButton(message, next);
      expect(page2.callback.type).toBe(7); // UPDATE_MESSAGE
      expect(resultNumbers(embedOf(page2.callback.data))).toEqual([6, 7, 8, 9, 10]);
      expect(embedOf(page2.callback.data).footer?.text).toMatch(/^Page 2 of 2/);
      const [prev, nextAgain] = buttons(page2.callback.data);
      expect([prev?.disabled, nextAgain?.disabled]).toEqual([false, true]);
      // The message everyone sees now shows page 2.
      const stored = fake.message(message.id);
      expect(stored?.embeds[0]?.footer?.text).toMatch(/^Page 2 of 2/);

      const back = await pressButton(message, customIdOf(prev));
      expect(resultNumbers(embedOf(back.callback.data))).toEqual([1, 2, 3, 4, 5]);
    });

    it("refuses another user's Next with an ephemeral message and leaves the page alone", async () => {
      const { callback, message } = await search(query);
      const next = customIdOf(buttons(callback.data)[1]);

      const refused = await pressButton(message, next, otherUserId);
      expect(refused.callback.type).toBe(4);
      expect(Number(refused.callback.data?.flags) & ephemeral).toBe(ephemeral);
      expect(refused.callback.data?.content).toBe(
        "Only the person who searched can turn these pages; run /search yourself.",
      );
      expect(fake.message(message.id)?.embeds[0]?.footer?.text).toMatch(/^Page 1 of 2/);
    });

    it("opens the paper picked from the menu, for the picker only", async () => {
      const { callback, message } = await search(query);
      const menu = select(callback.data);
      const picked = menu.options[2]?.value ?? "";

      const { callback: opened } = await answered(
        fake.build.stringSelect({
          customId: menu.custom_id,
          values: [picked],
          message: message.id,
        }),
      );
      expect(opened.type).toBe(4);
      expect(Number(opened.data?.flags) & ephemeral).toBe(ephemeral);
      const paper = app.papers.get(Number(picked));
      expect(embedOf(opened.data).title).toBe(plain(paper?.title ?? "?"));
      expect(embedOf(opened.data).footer?.text).toBe(`Paperboy id ${picked}`);
    });

    it("answers a search that matches nothing to the searcher alone, with its closest titles to open", async () => {
      const { callback, message } = await search("qwzxv");
      // "No papers match" went to the whole channel, a dead end for everyone but the searcher.
      expect(Number(callback.data?.flags) & ephemeral).toBe(ephemeral);
      expect(callback.data?.content).toBe("No papers match “qwzxv”. Try fewer or different words.");

      const wombats = await answered(
        fake.build.slashCommand({
          name: "search",
          options: { query: "wombat tunnels", in: "abstract" },
        }),
      );
      expect(Number(wombats.callback.data?.flags) & ephemeral).toBe(ephemeral);
      // The titles match: `in` kept them out, which the reply said only when no title was close.
      expect(wombats.callback.data?.content).toBe(
        `No paper abstracts match “wombat tunnels”. Leave out \`in\` to search titles and abstracts. Closest titles:\n• ${plain(linkTitle)}`,
      );
      const menu = rowsOf(wombats.callback.data)[0]?.components[0] as APIStringSelectComponent;
      const wombatId = String(paperIdByTitle(app, linkTitle));
      expect(menu.options).toEqual([{ label: linkTitle, value: wombatId }]);
      const reply = fake.interaction(wombats.payload.id)?.original;
      const { callback: opened } = await answered(
        fake.build.stringSelect({
          customId: menu.custom_id,
          values: [wombatId],
          message: reply?.id ?? message.id,
        }),
      );
      expect(Number(opened.data?.flags) & ephemeral).toBe(ephemeral);
      expect(embedOf(opened.data).footer?.text).toBe(`Paperboy id ${wombatId}`);
    });

    it("expires after 10 minutes: the buttons come off the message, and pressing one explains", async () => {
      const mark = clock.mark();
      const { slash, callback, message } = await search(query);
      const next = customIdOf(buttons(callback.data)[1]);
      // The clean-up is scheduled once the reply is sent, a moment after Discord has it.
      await clock.whenScheduled(sessionLifetimeMs, mark);

      clock.advance(sessionLifetimeMs - 1_000);
      const stillLive = await pressButton(message, next);
      expect(stillLive.callback.type).toBe(7);

      clock.advance(1_000);
      const edit = await fake.waitForWebhookEdit(slash.id);
      expect(edit.messageId).toBe("@original");
      expect(edit.body.components).toEqual([]);
      expect(fake.message(message.id)?.components ?? []).toEqual([]);

      const expired = await pressButton(message, next);
      expect(expired.callback.type).toBe(4);
      expect(Number(expired.callback.data?.flags) & ephemeral).toBe(ephemeral);
      expect(expired.callback.data?.content).toBe(
        "This search is over: its buttons work for 10 minutes, for your 10 latest searches, and not after Paperboy restarts. Run /search again.",
      );
    });
  });

  describe("/paper", () => {
    function autocomplete(typed: string) {
      return answered(
        fake.build.autocomplete({ name: "paper", options: { paper: typed }, focused: "paper" }),
      );
    }
    type Choice = { name: string; value: string };
    const choicesOf = (callback: RecordedCallback) => (callback.data?.choices ?? []) as Choice[];

    function expectValidChoices(choices: Choice[]): void {
      expect(choices.length).toBeGreaterThan(0);
      expect(choices.length).toBeLessThanOrEqual(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeGreaterThan(0);
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.value).toMatch(/^id:\d+$/);
        const title = app.papers.get(Number(choice.value.slice("id:".length)))?.title ?? "";
        expect(title.startsWith(choice.name.replace(/…$/, ""))).toBe(true);
      }
    }

    it("autocompletes titles despite typos, with paper ids as values", async () => {
      const { callback } = await autocomplete("packet sprayng");
      expect(callback.type).toBe(8); // APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
      const choices = choicesOf(callback);
      expectValidChoices(choices);
      expect(choices[0]).toEqual({ name: spraying, value: pickedValue(spraying) });
    });

    it("cuts long titles to Discord's 100 characters", async () => {
      const long =
        "Generative Discovery of Novel Chemical Designs using Diffusion Modeling and Transformer Deep Neural Networks with Application to Deep Eutectic Solvents";
      const { callback } = await autocomplete("generative discovery novel chemical designs");
      const choices = choicesOf(callback);
      expectValidChoices(choices);
      const choice = choices.find((c) => c.value === pickedValue(long));
      expect(choice?.name).toHaveLength(100);
      expect(choice?.name.endsWith("…")).toBe(true);
    });

    it("cuts a title between characters, never between the halves of an emoji", async () => {
      expect(llamaTitle.indexOf("🦙")).toBe(98);
      const { callback } = await autocomplete("herding llamas");
      const choices = choicesOf(callback);
      expectValidChoices(choices);
      const choice = choices.find((c) => c.value === pickedValue(llamaTitle));
      // Discord stores text as UTF-8, where half an emoji is no character: it refuses the list.
      expect(choice?.name).toBe(`${llamaTitle.slice(0, 97)}…`);
      expect(Buffer.from(choice?.name ?? "", "utf8").toString("utf8")).toBe(choice?.name);
    });

    it("cuts a title between what reads as characters: a flag's two letters, a letter and its accent", async () => {
      expect(flagTitle.indexOf("🇫🇷")).toBe(97);
      expect(accentTitle.indexOf("\u0301")).toBe(99);
      // Half a flag is a letter in a box ("🇫"), and an "e" without its accent another word.
      for (const [typed, title, shown] of [
        ["cycling race tactics", flagTitle, "… of 40 Stages…"],
        ["dune migration wind shear", accentTitle, "… a Merzouga Caf…"],
      ] as const) {
        const { callback } = await autocomplete(typed);
        const choices = choicesOf(callback);
        expectValidChoices(choices);
        const choice = choices.find((c) => c.value === pickedValue(title));
        expect(choice?.name.slice(-shown.length + 1)).toBe(shown.slice(1));
      }
    });

    it("offers the most recent papers before anything is typed", async () => {
      const { callback } = await autocomplete("");
      const choices = choicesOf(callback);
      expectValidChoices(choices);
      expect(choices.map((c) => c.value)).toEqual(app.papers.recent(25).map((p) => `id:${p.id}`));
    });

    it("shows a paper's details, picked by id or by typed title", async () => {
      const id = paperIdByTitle(app, spraying);
      for (const value of [`id:${id}`, "packet sprayng"]) {
        const { callback } = await answered(
          fake.build.slashCommand({ name: "paper", options: { paper: value } }),
        );
        expect(callback.type).toBe(4);
        const embed = embedOf(callback.data);
        expect(embed.title).toBe(spraying);
        expect(embed.footer?.text).toBe(`Paperboy id ${id}`);
        expect(embed.description?.length).toBeGreaterThan(100);
        expect(embed.fields?.map((f) => f.name)).toContain("Found on");
      }
    });

    it("takes a number typed without picking for words of a title, not for the id it happens to be", async () => {
      // Typing "1706", the start of arXiv id 1706.03762, opened Paperboy's paper 1706, of 2025.
      const id = String(paperIdByTitle(app, spraying));
      const offered = choicesOf((await autocomplete(id)).callback);
      expect(offered.map((c) => c.name)).not.toContain(spraying);
      const { callback } = await answered(
        fake.build.slashCommand({ name: "paper", options: { paper: id } }),
      );
      expect(Number(callback.data?.flags) & ephemeral).toBe(ephemeral);
      // The number under every paper is its Paperboy id: "No paper matches “53”" said nothing
      // to the member who typed it from there of how to open that paper.
      expect(callback.data?.content).toBe(
        `No title has “${id}”: a number typed is read as words of a title. Paperboy id ${id} is “${spraying}”: send \`id:${id}\` to open it.`,
      );
      const { callback: asked } = await answered(
        fake.build.slashCommand({ name: "paper", options: { paper: `id:${id}` } }),
      );
      expect(embedOf(asked.data).title).toBe(spraying);
      const missing = "98765";
      expect(app.papers.get(Number(missing))).toBeUndefined();
      const { callback: none } = await answered(
        fake.build.slashCommand({ name: "paper", options: { paper: missing } }),
      );
      expect(none.data?.content).toBe(
        `No paper matches “${missing}”. Pick one from the list as you type, or try /search.`,
      );
    });

    it("says a paper picked from the list, then removed before the command was sent, was removed", async () => {
      const owlDir = mkdtempSync(join(tmpdir(), "paperboy-e2e-"));
      onTestFinished(() => rmSync(owlDir, { recursive: true, force: true }));
      const owlPage = join(owlDir, "owls.txt");
      const owls = "Burrowing Owls Count Their Neighbours by Ear";
      writeFileSync(owlPage, listingPage([{ title: owls, abstract: abstractAbout("owl calls") }]));
      app.ingest([owlDir], { now: at(ingestTime) });
      const picked = choicesOf((await autocomplete("burrowing owls")).callback)[0];
      expect(picked?.name).toBe(owls);
      app.forget(owlPage);

      const { callback } = await answered(
        fake.build.slashCommand({ name: "paper", options: { paper: picked?.value ?? "" } }),
      );
      expect(Number(callback.data?.flags) & ephemeral).toBe(ephemeral);
      // It said "No paper in the archive has the id or link “348”": a number no one typed.
      expect(callback.data?.content).toBe(
        `No paper has Paperboy id ${picked?.value.slice("id:".length)}: it was removed from the archive, or never was in it. Pick one from the list as you type, or try /search.`,
      );
    });
  });

  describe("errors", () => {
    it("explains an unknown command, ephemerally", async () => {
      const { callback } = await answered(fake.build.slashCommand({ name: "nosuch" }));
      expect(callback.type).toBe(4);
      expect(Number(callback.data?.flags) & ephemeral).toBe(ephemeral);
      expect(callback.data?.content).toBe("There is no /nosuch command here; try /help.");
    });

    it("answers a failing handler with a reference that is in the log, and keeps serving", async () => {
      const { callback } = await answered(fake.build.slashCommand({ name: "explode" }));
      expect(callback.type).toBe(4);
      expect(Number(callback.data?.flags) & ephemeral).toBe(ephemeral);
      const content = String(callback.data?.content);
      const ref = /^Something went wrong on our side \(ref ([0-9A-F]{6})\)/.exec(content)?.[1];
      expect(ref).toBeDefined();
      expect(content).not.toContain("kaboom");

      const logged = logs.entries().find((e) => e.msg === "command failed" && e.ref === ref);
      expect(logged).toMatchObject({
        level: 50,
        request: "command /explode",
        err: { message: "kaboom: the test command failed" },
      });

      const { callback: after } = await answered(fake.build.slashCommand({ name: "help" }));
      expect(after.type).toBe(4);
      expect(embedOf(after.data).fields?.length).toBeGreaterThan(0);
    });

    it("retries a rate-limited (429) callback, and the reply still lands", async () => {
      fake.failNext({
        method: "POST",
        path: /\/callback$/,
        status: 429,
        body: { message: "You are being rate limited.", retry_after: 0.02, global: false },
      });
      const { payload, callback } = await answered(fake.build.slashCommand({ name: "help" }));
      expect(callback.type).toBe(4);
      expect(embedOf(callback.data).fields?.length).toBeGreaterThan(0);
      const attempts = fake.requests.filter(
        (r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`,
      );
      expect(attempts.map((r) => [r.status, r.injected])).toEqual([
        [429, true],
        [204, false],
      ]);
      expect(fake.pendingFailures).toBe(0);
    });
  });

  describe("slow answers", () => {
    it("defers after the deadline, then edits the placeholder into the answer", async () => {
      const mark = clock.mark();
      const slash = fake.injectInteraction(fake.build.slashCommand({ name: "slow" }));
      const answer = await slow.started();
      await clock.whenScheduled(deferAfterMs, mark);
      expect(fake.callbacks.filter((c) => c.interactionId === slash.id)).toEqual([]);

      clock.advance(deferAfterMs);
      const deferred = await fake.waitForCallback(slash.id);
      expect(deferred.type).toBe(5); // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
      expect(Number(deferred.data?.flags ?? 0) & ephemeral).toBe(0);

      answer({ content: "Done after a while, @everyone" });
      const edit = await fake.waitForWebhookEdit(slash.id);
      expect(edit.messageId).toBe("@original");
      expect(edit.body).toMatchObject({
        content: "Done after a while, @everyone",
        allowed_mentions: { parse: [] },
      });
      expect(edit.message.flags).toBe(noLinkPreviews); // resolved, public
      expect(fake.callbacks.filter((c) => c.interactionId === slash.id)).toHaveLength(1);
      const logged = await logs.waitFor((e) => e.msg === "interaction" && e.command === "slow");
      expect(logged).toMatchObject({ deferred: true, outcome: "ok" });
    });

    it("defers a slow admin command ephemerally, and edits that placeholder into the answer", async () => {
      const channel = fake.textChannel.id;
      // The server's owner: Manage Server is a server permission, not the channel's.
      const asAdmin = { userId: fake.guild.ownerId };
      const subscribed = await answered(
        fake.build.slashCommand({
          name: "subscribe",
          ...asAdmin,
          options: { channel, topics: "packet spraying" }, // the archive has papers on it
        }),
      );
      expect(subscribed.callback.data?.content).toMatch(/^Subscribed\./);
      // Discord rate-limits the roundup's post: discord.js waits before trying again.
      const path = `/channels/${channel}/messages`;
      fake.failNext({
        method: "POST",
        path,
        status: 429,
        body: { message: "You are being rate limited.", retry_after: 0.2, global: false },
      });
      const mark = clock.mark();
      const slash = fake.injectInteraction(
        fake.build.slashCommand({
          name: "roundup",
          subcommand: "now",
          ...asAdmin,
          options: { channel },
        }),
      );
      await clock.whenScheduled(deferAfterMs, mark);
      await fake.waitForRequest({ method: "POST", path });
      clock.advance(deferAfterMs);

      // Not even "Paperboy is thinking…" shows in the channel: the admin's answer is theirs only.
      const deferred = await fake.waitForCallback(slash.id);
      expect(deferred).toMatchObject({ type: 5, data: { flags: ephemeral } });
      const edit = await fake.waitForWebhookEdit(slash.id);
      expect(edit.messageId).toBe("@original");
      expect(edit.body).toMatchObject({
        content: `Posted today's roundup in <#${channel}>.`,
        allowed_mentions: { parse: [] },
      });
      expect(edit.message.flags).toBe(ephemeral | noLinkPreviews);
      expect(fake.webhookDeletes.filter((d) => d.interactionId === slash.id)).toEqual([]);
      expect(fake.followUps.filter((f) => f.interactionId === slash.id)).toEqual([]);
      expect(fake.channelMessages.filter((m) => m.channelId === channel)).not.toEqual([]);
      const logged = await logs.waitFor((e) => e.msg === "interaction" && e.command === "roundup");
      expect(logged).toMatchObject({ deferred: true, outcome: "ok" });
    });

    it("sends a public command's slow answer that is only for its asker (an error) as an ephemeral follow-up", async () => {
      const mark = clock.mark();
      const slash = fake.injectInteraction(fake.build.slashCommand({ name: "slowsecret" }));
      const answer = await slowSecret.started();
      await clock.whenScheduled(deferAfterMs, mark);
      clock.advance(deferAfterMs);
      expect((await fake.waitForCallback(slash.id)).type).toBe(5);

      answer({ content: "Only for you", ephemeral: true });
      const followUp = await fake.waitForFollowUp(slash.id);
      expect(followUp.body).toMatchObject({
        content: "Only for you",
        allowed_mentions: { parse: [] },
      });
      expect(Number(followUp.body.flags) & ephemeral).toBe(ephemeral);
      expect(followUp.message.flags).toBe(ephemeral | noLinkPreviews);
      // The public "thinking…" placeholder does not linger.
      expect(fake.webhookDeletes.filter((d) => d.interactionId === slash.id)).toEqual([
        expect.objectContaining({ messageId: "@original" }),
      ]);
    });
  });

  describe("a callback Discord took but answered with a 5xx", () => {
    // discord.js sends it again, and Discord refuses the second as already acknowledged (40060).
    const lostAnswer = { method: "POST", path: /\/callback$/, status: 502, processed: true };
    const callbackStatuses = (payload: { id: string; token: string }) =>
      fake.requests
        .filter((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`)
        .map((r) => r.status);

    it("still turns the deferred placeholder into the answer", async () => {
      const mark = clock.mark();
      fake.failNext(lostAnswer);
      const slash = fake.injectInteraction(fake.build.slashCommand({ name: "slow" }));
      const answer = await slow.started();
      await clock.whenScheduled(deferAfterMs, mark);
      clock.advance(deferAfterMs);
      expect((await fake.waitForCallback(slash.id)).type).toBe(5);
      await fake.waitFor(() => callbackStatuses(slash).length === 2);
      answer({ content: "Done, whatever Discord said" });
      const edit = await fake.waitForWebhookEdit(slash.id);
      expect(edit.body).toMatchObject({ content: "Done, whatever Discord said" });
      expect(callbackStatuses(slash)).toEqual([502, 400]);
    });

    it("still takes a search's buttons off after 10 minutes", async () => {
      const mark = clock.mark();
      const before = Date.now();
      fake.failNext(lostAnswer);
      const { slash } = await search("diffusion models");
      const logged = await logs.waitFor(
        (e) => e.msg === "interaction" && e.command === "search" && Number(e.time) >= before,
      );
      expect(logged.outcome).toBe("ok");
      await clock.whenScheduled(sessionLifetimeMs, mark);
      clock.advance(sessionLifetimeMs);
      const edit = await fake.waitForWebhookEdit(slash.id);
      expect(edit.body.components).toEqual([]);
      expect(callbackStatuses(slash)).toEqual([502, 400]);
    });
  });

  describe("paper text is shown as text and pings no one", () => {
    it("escapes markdown in titles and sends allowed_mentions { parse: [] }", async () => {
      const id = paperIdByTitle(app, evilTitle);
      const escaped = plain(evilTitle);
      expect(escaped).toContain("\\*\\*bold\\*\\*");
      expect(escaped).toContain("\\[x\\]");
      expect(escaped).toContain("\\`rm -rf\\`");

      const found = await search(evilTopic);
      const description = embedOf(found.callback.data).description ?? "";
      expect(description).toContain(escaped);
      expect(description).not.toContain("**bold**");
      expect(description).not.toContain("[x](https://evil)");
      // The result links to an arXiv title search whose URL cannot end the markdown link early.
      const link = /^\*\*1\.\*\* \[(.*)\]\((https:\/\/[^\s)]*)\)\n/.exec(description);
      expect(link?.[1]).toBe(escaped);
      expect(link?.[2]).toMatch(
        /^https:\/\/arxiv\.org\/search\/\?searchtype=title&query=[\w%.-]+$/,
      );
      expect(new URL(link?.[2] ?? "").searchParams.get("query")).toBe(evilTitle);

      const { callback: detail } = await answered(
        fake.build.slashCommand({ name: "paper", options: { paper: `id:${id}` } }),
      );
      expect(embedOf(detail.data).title).toBe(escaped);

      const { callback: opened } = await answered(
        fake.build.stringSelect({
          customId: select(found.callback.data).custom_id,
          values: [String(id)],
          message: found.message.id,
        }),
      );
      expect(embedOf(opened.data).title).toBe(escaped);

      for (const callback of [found.callback, detail, opened]) {
        expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
      }
    });

    it("shows every result of a page whole, however long its escaped title and its link", async () => {
      const { callback } = await search(quokkaTopic);
      const description = embedOf(callback.data).description ?? "";
      expect(description.length).toBeLessThanOrEqual(4096);
      const offered = select(callback.data).options.map((o) => o.value);
      expect(offered).toHaveLength(5);
      // Each result shown has its title's link and its "matched in" line; those that did not fit
      // are named, and the menu still opens them.
      const results = description.split("\n\n");
      const shown = results.filter((result) => /^\*\*\d\.\*\* \[/.test(result));
      expect(shown.length).toBeGreaterThan(1);
      for (const result of shown) {
        expect(result).toMatch(
          /^\*\*\d\.\*\* \[[^\n]*\]\(https:\/\/arxiv\.org\/search\/[^\s)]*\)\n/,
        );
        expect(result).toMatch(/\n-# matched in abstract$/);
      }
      const rest = 5 - shown.length;
      if (rest)
        expect(results.at(-1)).toBe(
          `… and ${rest} more too long to show here: open them from the menu`,
        );
    });

    it("cuts an escaped title between two escapes, never after the backslash of one", async () => {
      const title = markdownOnlyTitles[0] ?? "";
      const { callback } = await answered(
        fake.build.slashCommand({
          name: "paper",
          options: { paper: pickedValue(title) },
        }),
      );
      const shown = embedOf(callback.data).title ?? "";
      expect(shown).toHaveLength(255);
      // "\_\…" showed its backslash: a cut "\" escapes nothing.
      expect(shown).toBe(`${plain(title).slice(0, 254)}…`);
      expect(shown.endsWith("\\_…")).toBe(true);
    });

    it("shows no preview of a link a paper's title has, in a text reply", async () => {
      const { callback } = await answered(
        fake.build.slashCommand({
          name: "search",
          options: { query: "wombat tunnels", in: "abstract" },
        }),
      );
      expect(callback.data?.content).toContain(`Closest titles:\n• ${linkTitle}`);
      // Discord would show the page (an image, say) under Paperboy's reply.
      expect(Number(callback.data?.flags ?? 0) & noLinkPreviews).toBe(noLinkPreviews);
    });

    it("sent every message so far with allowed_mentions { parse: [] }", () => {
      const messageCallbacks = fake.callbacks.filter((c) => c.type === 4 || c.type === 7);
      expect(messageCallbacks.length).toBeGreaterThan(15);
      for (const callback of messageCallbacks) {
        expect(callback.data?.allowed_mentions).toEqual({ parse: [] });
      }
      for (const followUp of fake.followUps) {
        expect(followUp.body.allowed_mentions).toEqual({ parse: [] });
      }
      // Taking a search's buttons off too: whatever an edit changes, it parses no mention.
      expect(fake.webhookEdits.some((edit) => !("content" in edit.body))).toBe(true);
      for (const edit of fake.webhookEdits) {
        expect(edit.body.allowed_mentions).toEqual({ parse: [] });
      }
    });

    it("never logged the bot token", () => {
      expect(logs.entries().length).toBeGreaterThan(20);
      expect(logs.text).not.toContain(TOKEN);
    });
  });
});

describe("an answer Discord refuses, in the log `npm start` writes", () => {
  let fake: FakeDiscord;
  let app: Paperboy;
  let client: Client<true>;
  const clock = manualClock(ingestTime.getTime());
  const logs = logCapture();
  const slow = controlledCommand("slow");

  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN });
    app = openPaperboy(":memory:");
    ({ client } = await startBot(fake, app, {
      clock,
      log: logs,
      commands: [...realCommands, slow.command],
      // discord.js's own account of its requests too, as an operator looking into a problem sees it.
      env: { DISCORD_API_URL: throughProxy(fake.apiBase), LOG_LEVEL: "debug" },
      productionLog: true,
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
    app?.close();
  });

  /** A /slow deferred as "Paperboy is thinking…", with the function that answers it. */
  async function deferredSlow() {
    const mark = clock.mark();
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "slow" }));
    const answer = await slow.started();
    await clock.whenScheduled(deferAfterMs, mark);
    clock.advance(deferAfterMs);
    await fake.waitForCallback(slash.id);
    return { slash, answer };
  }

  const sendFailed = (method: string) => (entry: LogEntry) =>
    entry.outcome === "send-failed" && (entry.err as { method?: string }).method === method;

  it("names the failed request without the interaction's token, the bot's or the proxy's password", async () => {
    const edited = await deferredSlow();
    fake.failNext({
      method: "PATCH",
      path: /^\/webhooks\//,
      status: 404,
      body: { message: "Unknown Webhook", code: 10015 },
    });
    edited.answer({ content: "Too late" });
    const edit = await logs.waitFor(sendFailed("PATCH"));
    // The member is told so (see the next test) before the next request is made to fail.
    await fake.waitForFollowUp(edited.slash.id);

    // Only for its asker, so a follow-up; Discord's 5xx outlasts discord.js's retries.
    const followed = await deferredSlow();
    fake.failNext({ method: "POST", path: /^\/webhooks\/\d+\/[^/]+$/, status: 500, times: 4 });
    followed.answer({ content: "Only for you", ephemeral: true });
    const followUp = await logs.waitFor(sendFailed("POST"));

    const webhook = `http://[redacted]@${fake.apiBase.slice("http://".length)}/v10/webhooks/${fake.applicationId}/[redacted]`;
    expect(edit).toMatchObject({ level: "error", msg: "interaction", command: "slow" });
    expect((edit.err as { url: string }).url).toBe(`${webhook}/messages/%40original`);
    expect(followUp).toMatchObject({ level: "error", msg: "interaction", command: "slow" });
    expect((followUp.err as { url: string }).url).toBe(`${webhook}?wait=true`);
    for (const secret of [edited.slash.token, followed.slash.token, TOKEN, proxyPassword]) {
      expect(logs.text).not.toContain(secret);
    }
  });
  it("tells the member, with a reference that is in the log, when Discord refuses the answer itself", async () => {
    const refused = {
      status: 400,
      body: { code: 50035, message: "Invalid Form Body", errors: {} },
    };
    // A reply, and a deferred answer's edit: the member saw "did not respond", or "thinking…" for good.
    fake.failNext({ method: "POST", path: /\/callback$/, ...refused });
    const help = fake.injectInteraction(fake.build.slashCommand({ name: "help" }));
    const { data: replied } = await fake.waitForCallback(help.id);
    const { slash, answer } = await deferredSlow();
    fake.failNext({ method: "PATCH", path: /^\/webhooks\//, ...refused });
    answer({ content: "Refused by Discord" });
    const { body: followedUp } = await fake.waitForFollowUp(slash.id);
    // Its "thinking…" is gone: left, it stayed until Discord gave up on it.
    expect(fake.interaction(slash.id)?.original).toBeNull();

    for (const [command, data] of [
      ["help", replied],
      ["slow", followedUp],
    ] as const) {
      expect(Number(data?.flags) & ephemeral).toBe(ephemeral);
      expect(data?.allowed_mentions).toEqual({ parse: [] });
      const told =
        /^Something went wrong on our side \(ref ([0-9A-F]{6})\)\. Please try again later\.$/;
      const ref = told.exec(String(data?.content))?.[1];
      expect(ref, command).toBeDefined();
      const logged = await logs.waitFor((e) => e.msg === "interaction" && e.ref === ref);
      expect(logged).toMatchObject({ command, outcome: "send-failed", err: { status: 400 } });
    }
  });

  it("names no interaction token in discord.js's debug lines of a rate-limited edit", async () => {
    const { slash, answer } = await deferredSlow();
    fake.failNext({
      method: "PATCH",
      path: /^\/webhooks\//,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.01, global: false },
    });
    answer({ content: "After the wait" });
    expect((await fake.waitForWebhookEdit(slash.id)).body.content).toBe("After the wait");
    const limited = await logs.waitFor((e) => /unexpected 429/.test(String(e.message)));
    // discord.js keys a webhook's queue by the application and the token.
    expect(limited.message).toContain(`Major parameter: ${fake.applicationId}/[redacted]\n`);
    expect(String(limited.message)).toMatch(
      new RegExp(`^\\[REST [^\\]]+:${fake.applicationId}/\\[redacted\\]\\] `),
    );
    expect(logs.text).not.toContain(slash.token);
  });
});

describe("a search's message after Paperboy restarted", () => {
  it("still opens the paper picked from its menu; only its pages need the search kept in memory", async () => {
    const fake = await FakeDiscord.start({ token: TOKEN });
    const app = openPaperboy(":memory:");
    app.ingest([archiveDir], { now: at(ingestTime) });
    onTestFinished(async () => {
      await fake.close();
      app.close();
    });
    const before = await startBot(fake, app);
    const slash = fake.injectInteraction(
      fake.build.slashCommand({ name: "search", options: { query: "packet spraying" } }),
    );
    const { data } = await fake.waitForCallback(slash.id);
    const message = fake.interaction(slash.id)?.original;
    await before.client.destroy();
    const after = await startBot(fake, app);
    onTestFinished(() => after.client.destroy());

    const menu = select(data);
    const picked = menu.options[0]?.value ?? "";
    const pick = fake.injectInteraction(
      fake.build.stringSelect({
        customId: menu.custom_id,
        values: [picked],
        message: message?.id ?? "",
      }),
    );
    const opened = await fake.waitForCallback(pick.id);
    // It said "This search is over … Run /search again", for a paper the menu names.
    expect(embedOf(opened.data).title).toBe(spraying);
    expect(Number(opened.data?.flags) & ephemeral).toBe(ephemeral);

    const next = customIdOf(buttons(data)[1]);
    const press = fake.injectInteraction(
      fake.build.button({ customId: next, message: message?.id ?? "" }),
    );
    expect((await fake.waitForCallback(press.id)).data?.content).toBe(
      "This search is over: its buttons work for 10 minutes, for your 10 latest searches, and not after Paperboy restarts. Run /search again.",
    );
  });
});

describe("while the archive refresh ingests a big file", () => {
  it("answers what only reads, defers /subscribe and holds a roundup due, then answers and posts them once the ingest is over", async () => {
    const fake = await FakeDiscord.start({
      token: TOKEN,
      guilds: [{ channels: [{ name: "general" }, { name: "papers" }] }],
    });
    const app = openApp(join(tempDir(), "paperboy.db"));
    app.ingest([archiveDir], { now: at(ingestTime) });
    const refresh = slowIngestRefresh(app);
    const clock = manualClock(ingestTime.getTime());
    const logs = logCapture();
    const { client, context } = await startBot(fake, app, {
      clock,
      log: logs,
      writable: refresh.idle,
    });
    onTestFinished(async () => {
      await client.destroy();
      await context.search.close();
      await fake.close();
    });
    const lockHeld = writeLockProbe(app.db.name);
    const channel = fake.textChannel.id;
    const papers = fake.guild.channels.find((c) => c.name === "papers")?.id ?? "";
    // Set up two days ago: its roundup was due at 09:00 today, and the first tick is now.
    context.roundups.subscriptions.subscribe(fake.guild.id, papers, {
      topics: ["packet spraying"],
      timeZone: "UTC",
      by: "admin",
      now: new Date(ingestTime.getTime() - 2 * 24 * 60 * 60 * 1000),
    });

    const ingest = refresh.start();
    const mark = clock.mark();
    const slash = fake.injectInteraction(
      fake.build.slashCommand({
        name: "subscribe",
        userId: fake.guild.ownerId,
        options: { channel, topics: "packet spraying" },
      }),
    );
    await clock.whenScheduled(deferAfterMs, mark);
    // The event loop is free meanwhile: a title typed gets its choices, a search its results.
    const typed = fake.injectInteraction(
      fake.build.autocomplete({
        name: "paper",
        options: { paper: "packet sprayng" },
        focused: "paper",
      }),
    );
    const choices = (await fake.waitForCallback(typed.id)).data?.choices as { name: string }[];
    expect(choices[0]?.name).toBe(spraying);
    const search = fake.injectInteraction(
      fake.build.slashCommand({ name: "search", options: { query: "packet spraying" } }),
    );
    expect(embedOf((await fake.waitForCallback(search.id)).data).title).toBe(
      "Search: packet spraying",
    );
    expect(fake.callbacks.filter((c) => c.interactionId === slash.id)).toEqual([]);

    clock.advance(deferAfterMs);
    expect(await fake.waitForCallback(slash.id)).toMatchObject({
      type: 5,
      data: { flags: ephemeral },
    });
    const ticking = context.roundups.runner.tick(new Date(clock.now()));
    expect(await settledNow(ticking)).toBe(false);
    expect(lockHeld()).toBe(true);
    expect(context.roundups.subscriptions.get(fake.guild.id, channel)).toBeUndefined();
    expect(fake.channelMessages).toEqual([]);

    await ingest.commit();
    await ticking;
    const [roundup] = fake.channelMessages.filter((m) => m.channelId === papers);
    expect(JSON.stringify(roundup?.body)).toContain(plain(spraying));
    const edit = await fake.waitForWebhookEdit(slash.id);
    expect(edit.body.content).toMatch(/^Subscribed\. Daily roundup:/);
    expect(context.roundups.subscriptions.get(fake.guild.id, channel)?.topics).toEqual([
      "packet spraying",
    ]);
    const logged = await logs.waitFor((e) => e.msg === "interaction" && e.command === "subscribe");
    expect(logged).toMatchObject({ deferred: true, outcome: "ok" });
  });
});

// ---- configuration and process edges -----------------------------------------------------------

describe("clientOptions", () => {
  it("leaves discord.js's default API base alone when DISCORD_API_URL is unset", async () => {
    const options = clientOptions(loadConfig({}));
    expect(options.rest).not.toHaveProperty("api");
    const client = new Client(options);
    try {
      expect(client.rest.options.api).toBe(DefaultRestOptions.api);
      expect(client.rest.options.api).toBe("https://discord.com/api");
    } finally {
      await client.destroy();
    }
  });

  it("has discord.js reject a message post it is asked to wait over 30 s for, and wait out the rest", () => {
    const reject = clientOptions(loadConfig({})).rest?.rejectOnRateLimit;
    if (typeof reject !== "function") throw new Error("no rejectOnRateLimit function");
    const limit = (method: string, route: string, retryAfter: number) =>
      ({ method, route, retryAfter }) as Parameters<typeof reject>[0];
    expect(reject(limit("POST", "/channels/:id/messages", 30_001))).toBe(true);
    expect(reject(limit("post", "/channels/:id/messages", 6 * 3_600_000))).toBe(true);
    expect(reject(limit("POST", "/channels/:id/messages", 30_000))).toBe(false);
    // An interaction's answer, a command registration: waited for, as before.
    expect(reject(limit("POST", "/interactions/:id/:token/callback", 60_000))).toBe(false);
    expect(reject(limit("PUT", "/applications/:id/commands", 60_000))).toBe(false);
  });

  it("points discord.js at DISCORD_API_URL when set", async () => {
    const client = new Client(
      clientOptions(loadConfig({ DISCORD_API_URL: "http://127.0.0.1:9/api/" })),
    );
    try {
      expect(client.rest.options.api).toBe("http://127.0.0.1:9/api");
      expect(client.rest.options.version).toBe(DefaultRestOptions.version);
    } finally {
      await client.destroy();
    }
  });
});

const root = fileURLToPath(new URL("../", import.meta.url));

describe("process edges", () => {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-e2e-proc-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("stops with one clear line when Discord refuses its token while it runs (reset in the portal)", async () => {
    const fake = await FakeDiscord.start({ token: TOKEN });
    onTestFinished(() => fake.close());
    const running = runNode(["src/bin/paperboy.mjs", "start"], {
      cwd: root,
      env: cleanEnv({
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.apiBase,
        PAPERBOY_DB: join(dir, "token-reset.db"),
        PAPERBOY_ARCHIVE: mkdtempSync(join(dir, "archive-")),
      }),
    });
    // Serving: it registered its commands (once ready) and answers.
    await fake.waitFor((e) => e.kind === "commands", { timeoutMs: 15_000 });
    const help = fake.injectInteraction(fake.build.slashCommand({ name: "help" }));
    await fake.waitForCallback(help.id);

    fake.resetToken();
    const result = await running;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "paperboy: DISCORD_TOKEN: Discord refused this token; copy it again from the Bot page of the developer portal\n",
    );
    expect(result.stderr).not.toContain(TOKEN);
  });

  it("scrubs the token from everything createLogger writes", async () => {
    const script = [
      `import { createLogger } from ${JSON.stringify(join(root, "src/log.ts"))};`,
      `const token = ${JSON.stringify(TOKEN)};`,
      `const log = createLogger({ logLevel: "info", discordToken: token });`,
      `log.info({ authorization: "Bot " + token }, "logging in with " + token);`,
      `log.error({ err: new Error("request failed for " + token) }, "failed");`,
      // discord.js's errors carry the request's URL, and an interaction's token with it.
      `log.error({ err: { url: "https://discord.com/api/v10/interactions/1234567890123456789/aW50ZXJhY3Rpb246MTIz-x_y/callback?with_response=false" } }, "reply failed");`,
      `log.error({ err: { url: "https://discord.com/api/v10/webhooks/1234567890123456789/aW50ZXJhY3Rpb246MTIz-x_y/messages/@original" } }, "edit failed");`,
      // In quotes, which JSON escapes: the scrub must leave the escape whole.
      `log.error('PATCH "https://discord.com/api/v10/webhooks/1234567890123456789/aW50ZXJhY3Rpb246MTIz" failed');`,
    ].join("\n");
    const result = await runNode(["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      env: cleanEnv({}),
      stdin: "",
    });
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stderr).not.toContain("aW50ZXJhY3Rpb246MTIz");
    expect(JSON.parse(lines[2] ?? "{}").err.url).toBe(
      "https://discord.com/api/v10/interactions/1234567890123456789/[redacted]/callback?with_response=false",
    );
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({
      authorization: "Bot [redacted]",
      msg: "logging in with [redacted]",
    });
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({
      err: { message: "request failed for [redacted]" },
    });
  });

  it("writes the log at once without a token, and asynchronously for the bot", () => {
    // The offline console's operator reads warnings between its own lines: written a moment
    // later, the first ingest's landed on the console's prompt.
    const writesAtOnce = (discordToken: string | undefined) =>
      (
        createLogger({ logLevel: "silent", discordToken }) as unknown as Record<
          symbol,
          { sync: boolean }
        >
      )[pino.symbols.streamSym]?.sync;
    expect(writesAtOnce(undefined)).toBe(true);
    expect(writesAtOnce(TOKEN)).toBe(false);
  });

  it("logs on, and ends, when stderr cannot be written (a log file on a full disk)", async () => {
    // /dev/full fails every write with ENOSPC, as a full disk does.
    const full = openSync("/dev/full", "w");
    onTestFinished(() => closeSync(full));
    const script = [
      `import { createLogger } from ${JSON.stringify(join(root, "src/log.ts"))};`,
      `const log = createLogger({ logLevel: "info", discordToken: undefined });`,
      "const turn = () => new Promise((resolve) => setImmediate(resolve));",
      // Each line in a turn of its own, for the write of the one before to have failed.
      `for (let i = 1; i <= 5; i++) { log.error({ i }, "roundup failed"); await turn(); await turn(); }`,
      `process.stdout.write("logged 5 lines\\n");`,
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root, env: cleanEnv({}), stdio: ["ignore", "pipe", full] },
    );
    // An uncaught ENOSPC error, then pino's flush at exit retrying the write forever.
    const stuck = setTimeout(() => child.kill("SIGKILL"), 10_000);
    let stdout = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    const [code] = await once(child, "close");
    clearTimeout(stuck);
    expect(stdout).toBe("logged 5 lines\n");
    expect(code).toBe(0);
  });

  it("runs the offline console over piped stdin without a token, and exits at end of input", async () => {
    // Started from an empty folder so that no .env of the developer's is read.
    const result = await runNode([join(root, "src/bin/paperboy.mjs"), "start"], {
      cwd: dir,
      env: cleanEnv({
        PAPERBOY_DB: join(dir, "paperboy.db"),
        PAPERBOY_ARCHIVE: join(root, "data/archive"),
      }),
      stdin: "/search query: packet sprayng\n",
    });
    // The first start ingests the archive: not worth a log line on the console's terminal.
    expect(result.stderr).toContain("Offline console: 5 archive files, 337 papers. Type /help");
    expect(result.stderr).not.toContain('"level"');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Search: packet sprayng\n/);
    expect(result.stdout).toContain(`1. ${spraying}`);
  });

  it("shows how far a big first load has got before the console starts, as `paperboy ingest` does", async () => {
    const archive = tempDir();
    const dump = writeLargeDump(join(archive, "dump.jsonl"));
    const result = await runNode([join(root, "src/bin/paperboy.mjs"), "start"], {
      cwd: dir,
      env: cleanEnv({ PAPERBOY_DB: join(dir, "big.db"), PAPERBOY_ARCHIVE: archive }),
      stdin: "",
    });
    expect(result.code).toBe(0);
    // Not a terminal: a plain line at each tenth reached (a 4.5 MB file is read in two parts).
    expect(result.stderr).toMatch(
      new RegExp(`^${dump}: 3,574 records, 79 %\nOffline console: 1 archive file, 4,500 papers.`),
    );
  });

  it("stops in one line, without a stack trace, when its first ingest cannot be written", async () => {
    const db = join(dir, "limited.db");
    const archive = mkdtempSync(join(dir, "archive-"));
    writeLargeDump(join(archive, "dump.jsonl"));
    // Files may grow to 2 MiB at most (ulimit -f): the dump's papers take more.
    // On its thread, the ingest's SqliteError reached `npm start` as its code alone, `{ code:
    // 'SQLITE_IOERR_WRITE' }`, thrown with Node's stack trace.
    const result = await runNode(["src/bin/paperboy.mjs", "start"], {
      cwd: root,
      env: cleanEnv({ PAPERBOY_DB: db, PAPERBOY_ARCHIVE: archive }),
      fileLimitKib: 2048,
    });
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(
      `paperboy: ${db}: SQLite could not write it (disk I/O error): this process may not write files past 2.0 MiB (ulimit -f); raise or lift that limit (ulimit -f unlimited; LimitFSIZE= in a systemd unit), or point --db/PAPERBOY_DB at a file on another disk. What was being written when it failed was not kept.`,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.code).toBe(1);
  });

  it("stops quietly when the console's output is closed, as `npm start | head -1` does", async () => {
    const child = spawn(process.execPath, [join(root, "src/bin/paperboy.mjs"), "start"], {
      cwd: dir,
      env: cleanEnv({
        PAPERBOY_DB: join(dir, "paperboy.db"),
        PAPERBOY_ARCHIVE: join(root, "data/archive"),
      }),
    });
    onTestFinished(() => {
      child.kill(); // should it hang
    });
    // More help than a pipe holds: it cannot all be written before the reader goes.
    child.stdin.end("/help\n".repeat(200));
    child.stdout.once("data", () => child.stdout.destroy());
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const [code] = await once(child, "close");
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });
});
