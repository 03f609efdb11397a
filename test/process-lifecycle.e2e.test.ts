/**
 * `paperboy start` as operators run and stop it: real processes, real signals (Ctrl-C,
 * systemd's or docker's SIGTERM), a second bot started on the same database; the bots talk
 * to the local Discord fake, on a database file of the test's own. Nothing sleeps: the test
 * waits for what a bot logs or the fake records.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, existsSync, symlinkSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { MessageFlags, PermissionFlagsBits } from "discord.js";
import { describe, expect, it, onTestFinished } from "vitest";
import { openPaperboy } from "../src/paperboy.ts";
import { createSubscriptionStore } from "../src/roundup/subscriptions.ts";
import { lockBot } from "../src/store/bot-lock.ts";
import { openDatabase } from "../src/store/db.ts";
import { FakeDiscord } from "./discord-fake/index.ts";
import {
  archiveDir,
  cleanEnv,
  kilobyteRecord,
  modesCount,
  runAttempt,
  tempDir,
  watchStderr,
} from "./helpers.ts";

const ready = '"msg":"discord bot ready"';
const root = fileURLToPath(new URL("../", import.meta.url));
const TOKEN = "MTE4.shutdown-e2e-token.Hq2Lm";
const lab = {
  guild: "1100000000000000001",
  admins: "1100000000000000002",
  general: "1100000000000000011",
  papers: "1100000000000000012",
};

async function startFake(): Promise<FakeDiscord> {
  const fake = await FakeDiscord.start({
    token: TOKEN,
    guilds: [
      {
        id: lab.guild,
        name: "Lab",
        roles: [{ id: lab.admins, name: "Admins", permissions: PermissionFlagsBits.ManageGuild }],
        testerRoles: [lab.admins],
        systemChannelId: lab.general,
        channels: [
          { id: lab.general, name: "general" },
          { id: lab.papers, name: "papers" },
        ],
      },
    ],
  });
  onTestFinished(() => fake.close());
  return fake;
}

/**
 * A database as an earlier run left it: the shipped archive, and a roundup for #papers set up
 * yesterday whose topics match papers enough for more than one message.
 */
function seededDatabase(): string {
  const path = join(tempDir(), "paperboy.db");
  const app = openPaperboy(path);
  app.ingest([archiveDir]);
  createSubscriptionStore(app.db).subscribe(lab.guild, lab.papers, {
    topics: ["graph neural networks", "language models", "diffusion"],
    maxPapers: 25,
    by: lab.admins,
    now: new Date(Date.now() - 24 * 60 * 60 * 1000),
  });
  app.close();
  return path;
}

/**
 * `paperboy start` as a child process, online against `fake`, on the archive `archive` (the
 * shipped one unless given); its stderr kept to wait on.
 */
function startBot(fake: FakeDiscord, dbPath: string, archive = archiveDir) {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [join(root, "src/bin/paperboy.mjs"), "start"],
    {
      cwd: tempDir(), // no .env of the developer's
      env: cleanEnv({
        DISCORD_TOKEN: TOKEN,
        DISCORD_API_URL: fake.apiBase,
        PAPERBOY_DB: dbPath,
        PAPERBOY_ARCHIVE: archive,
      }),
    },
  );
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const stderr = watchStderr(child);
  return {
    child,
    stderr: stderr.text,
    /** The JSON lines logged so far. */
    logs: () =>
      stderr
        .text()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    said: stderr.said,
    async exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
      const [code, signal] = await exited;
      return { code, signal };
    },
  };
}

/**
 * Resolves once the bot connected to `fake` answered a command. "discord bot ready" comes just
 * before it listens for signals: one sent at once could still find Node's default (the process
 * killed), not Paperboy's shutdown.
 */
async function serving(fake: FakeDiscord): Promise<void> {
  const help = fake.injectInteraction(fake.build.slashCommand({ name: "help" }));
  await fake.waitForCallback(help.id);
}

/** The roundups the database holds, with how many of their messages Discord was sent. */
function roundupsIn(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare(
        `SELECT r.status, count(m.seq) AS messages, count(m.message_id) AS sent
         FROM roundups r JOIN roundup_messages m ON m.roundup_id = r.id GROUP BY r.id`,
      )
      .all();
  } finally {
    db.close();
  }
}

/**
 * /roundup now for #papers, which Discord is slow to answer: its first message is held until
 * `release()`, keeping the bot's shutdown waiting (5 s at most) for the roundup to finish.
 */
async function roundupNowHeld(fake: FakeDiscord) {
  const post = fake.hold({ method: "POST", path: `/channels/${lab.papers}/messages` });
  fake.injectInteraction(
    fake.build.slashCommand({
      name: "roundup",
      subcommand: "now",
      guildId: lab.guild,
      channelId: lab.general,
      options: { channel: lab.papers },
    }),
  );
  await post.arrived;
  return post;
}

describe("stopped by a signal", () => {
  it("finishes a roundup /roundup now is posting, records it, and answers the admin", async () => {
    const fake = await startFake();
    const dbPath = seededDatabase();
    const bot = startBot(fake, dbPath);
    await bot.said(ready);

    // Discord is slow to answer the roundup's first message when the bot is told to stop.
    const post = await roundupNowHeld(fake);
    bot.child.kill("SIGTERM");
    await bot.said('"msg":"shutting down"');
    post.release();

    expect(await bot.exit()).toEqual({ code: 0, signal: null });
    const posted = fake.channelMessages.filter((message) => message.channelId === lab.papers);
    const [roundup, ...others] = roundupsIn(dbPath) as {
      status: string;
      messages: number;
      sent: number;
    }[];
    expect(others).toEqual([]);
    // Every message posted, and recorded so: a restart sends none of them again.
    expect(roundup).toEqual({ status: "sent", messages: posted.length, sent: posted.length });
    expect(posted.length).toBeGreaterThan(1);
    const answered = bot.logs().find((entry) => entry.msg === "interaction");
    expect(answered).toMatchObject({ command: "roundup", outcome: "ok" });
  });

  it("turns away the interactions that come while it finishes, starting nothing", async () => {
    const fake = await startFake();
    const bot = startBot(fake, seededDatabase());
    await bot.said(ready);
    const post = await roundupNowHeld(fake);
    bot.child.kill("SIGTERM");
    await bot.said('"msg":"shutting down"');

    // The gateway is still connected while the roundup finishes: work begun now could be cut
    // off by the database closing (a roundup posted, not recorded, and posted again).
    const search = fake.injectInteraction(
      fake.build.slashCommand({ name: "search", options: { query: "graph neural networks" } }),
    );
    const typing = fake.injectInteraction(
      fake.build.autocomplete({ name: "paper", focused: "paper", options: { paper: "graph" } }),
    );
    const searchAnswer = await fake.waitForCallback(search.id);
    const typingAnswer = await fake.waitForCallback(typing.id);
    post.release();

    expect(await bot.exit()).toEqual({ code: 0, signal: null });
    expect(searchAnswer.data).toMatchObject({
      content: "Paperboy is restarting; try this again in a minute.",
      allowed_mentions: { parse: [] },
    });
    expect(Number(searchAnswer.data?.flags) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(typingAnswer.data).toEqual({ choices: [] });
    const answered = bot.logs().filter((entry) => entry.msg === "interaction");
    expect(answered).toHaveLength(3);
    expect(Object.fromEntries(answered.map(({ command, outcome }) => [command, outcome]))).toEqual({
      search: "restarting",
      paper: "restarting",
      roundup: "ok", // begun before, and finished
    });
  });
});

describe("stopped by a signal during its first load", () => {
  it("stops the file being read, says what it stored and that npm start goes on, and does not go online; exits 143", async () => {
    const fake = await startFake();
    const dbPath = seededDatabase();
    // A named pipe as the archive (a file, read as itself): its read waits for the test to
    // write it, so SIGTERM comes while it is read.
    const dump = join(tempDir(), "dump.jsonl");
    expect(spawnSync("mkfifo", [dump]).status).toBe(0);
    const bot = startBot(fake, dbPath, dump);
    // Opened for writing once the ingest thread has opened it to read.
    const writer = await open(dump, "w");
    bot.child.kill("SIGTERM");
    await bot.said("Stopping (SIGTERM)");
    await writer.writeFile(kilobyteRecord(1, "echidnas"));
    await writer.close();

    expect(await bot.exit()).toEqual({ code: 143, signal: null });
    expect(
      bot
        .stderr()
        .split("\n")
        .filter((line) => !line.startsWith("{")),
    ).toEqual([
      "Stopping (SIGTERM): the file being read will not be stored, unless it is being written already; the files stored before it are kept.",
      `Stopped (SIGTERM) while reading ${dump}: nothing of it is stored (a file is stored whole or not at all).`,
      "Stored: 0 of 1 file.",
      "Run npm start again to go on: the files stored are skipped as unchanged.",
      "",
    ]);
    expect(bot.logs().map((entry) => entry.msg)).not.toContain("discord bot ready");
    const db = new Database(dbPath, { readonly: true });
    onTestFinished(() => {
      db.close();
    });
    expect(db.prepare("SELECT count(*) FROM sources WHERE path = ?").pluck().get(dump)).toBe(0);
  });
});

describe("a second bot on the same database", () => {
  it("waits for the first to stop, then serves", async () => {
    const fake = await startFake();
    const dbPath = seededDatabase();
    const first = startBot(fake, dbPath);
    await first.said(ready);
    await serving(fake);

    const second = startBot(fake, dbPath);
    await second.said("another Paperboy bot is running on this database; waiting up to 10 s");
    expect(second.stderr()).not.toContain(ready);
    first.child.kill("SIGTERM");
    expect(await first.exit()).toEqual({ code: 0, signal: null });
    await second.said(ready);
    await serving(fake);

    second.child.kill("SIGINT");
    expect(await second.exit()).toEqual({ code: 0, signal: null });
  });

  it("is refused once the wait is over, in one line naming the database", async () => {
    const dbPath = join(tempDir(), "paperboy.db");
    const waits: string[] = [];
    const holder = await lockBot(dbPath, { waitMs: 0, onWait: () => waits.push("holder") });
    await expect(
      lockBot(dbPath, { waitMs: 0, onWait: () => waits.push("second") }),
    ).rejects.toThrow(
      `${dbPath}: another Paperboy bot is running on this database (a second npm start, or a process manager starting two); stop it first`,
    );
    expect(waits).toEqual(["second"]);

    holder.release(); // as when the first bot's process ends, however it ends
    const next = await lockBot(dbPath, { waitMs: 0, onWait: () => waits.push("next") });
    next.release();
    expect(waits).toEqual(["second"]);
  });

  it("is the same lock through a symlink to the database", async () => {
    const dbPath = join(tempDir(), "paperboy.db");
    openDatabase(dbPath).close();
    const link = join(tempDir(), "linked.db");
    symlinkSync(dbPath, link);
    const holder = await lockBot(dbPath, { waitMs: 0, onWait() {} });
    await expect(lockBot(link, { waitMs: 0, onWait() {} })).rejects.toThrow(
      `${link}: another Paperboy bot is running on this database`,
    );
    holder.release();
    (await lockBot(link, { waitMs: 0, onWait() {} })).release();
  });

  // A database anywhere in the checkout (PAPERBOY_DB=paperboy.db) leaves its lock file behind,
  // which `git status` listed, and `git add .` took in, beside the ignored database.
  it.skipIf(!existsSync(join(root, ".git")))(
    "leaves a lock file git ignores wherever its database is, as the database's own files",
    () => {
      for (const dbPath of ["paperboy.db", "data/paperboy.db", "elsewhere/bot.db"]) {
        const lockFile = `${dbPath}-bot-lock`;
        const check = spawnSync("git", ["check-ignore", "--no-index", "-q", lockFile], {
          cwd: root,
        });
        expect({ lockFile, ignored: check.status === 0 }).toEqual({ lockFile, ignored: true });
      }
    },
  );

  // `sudo npm start` once, then the bot run as its own user: everything else of the database
  // can be given to that user, and the lock file left as it was.
  it.skipIf(modesCount === undefined)(
    "is refused a lock file its user may not write, which would keep no other bot off",
    async () => {
      const folder = tempDir();
      chmodSync(folder, 0o777);
      const dbPath = join(folder, "paperboy.db");
      writeFileSync(`${dbPath}-bot-lock`, "");
      chmodSync(`${dbPath}-bot-lock`, 0o444);
      // Taken as that user, it locked nothing: a second bot as that user took it as well.
      const run = await runAttempt(
        [
          `const { lockBot } = await import(${JSON.stringify(join(root, "src/store/bot-lock.ts"))});`,
          `await lockBot(${JSON.stringify(dbPath)}, { waitMs: 0, onWait() {} });`,
          'console.log("locked");',
        ],
        { user: modesCount },
      );
      expect(run).toEqual({
        code: 0,
        stdout: `${dbPath}-bot-lock: not writable by this user, so it cannot keep a second Paperboy bot off this database; give this user write permission on it, or delete it (the bot makes it again)\n`,
        stderr: "",
      });
    },
  );
});
