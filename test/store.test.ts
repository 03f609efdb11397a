import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import type { PaperRecord } from "../src/archive/types.ts";
import { type Db, openDatabase, schemaVersion, UnusableDatabaseError } from "../src/store/db.ts";
import { migrations } from "../src/store/migrations.ts";
import { recentPapersQuery } from "../src/store/papers.ts";
import { modesCount, openApp, runAttempt, tempDir, thrownBy, writeElsewhere } from "./helpers.ts";

const root = fileURLToPath(new URL("../", import.meta.url));

/** A database file made by hand with better-sqlite3 alone, as another program would leave it. */
function handMadeDb(setup: (db: Db) => void): string {
  const path = join(tempDir(), "paperboy.db");
  const db = new Database(path);
  setup(db);
  db.close();
  return path;
}

function inspect<T>(path: string, read: (db: Db) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const userVersion = (db: Db) => db.pragma("user_version", { simple: true }) as number;
const schemaObjects = (db: Db) =>
  db.prepare("SELECT name FROM sqlite_master ORDER BY name").pluck().all() as string[];

describe("openDatabase", () => {
  it("turns on WAL and foreign keys for a file database", () => {
    const db = openDatabase(join(tempDir(), "paperboy.db"));
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  /**
   * Another process that begins writing a new database file and holds it `ms`: as when two
   * processes make a new database at once.
   */
  async function writingElsewhere(path: string, ms: number) {
    new Database(path).close();
    const writer = spawn(
      process.execPath,
      [
        "-e",
        `const db = new (require("better-sqlite3"))(process.argv[1]);
         db.exec("BEGIN IMMEDIATE");
         process.stdout.write("writing");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${ms});`,
        path,
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = once(writer, "exit");
    await once(writer.stdout, "data");
    return { exited, stop: () => writer.kill() };
  }

  it("waits for another process's lock to switch a new database to WAL", async () => {
    // SQLite does not wait for the lock the switch to WAL takes as busy_timeout waits for
    // others: of two processes making a new database at once, one stopped with "database is
    // locked".
    const path = join(tempDir(), "paperboy.db");
    const writer = await writingElsewhere(path, 300);
    const db = openDatabase(path);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
      await writer.exited;
    }
  });

  it("says another process kept the database locked when it did past the busy timeout", async () => {
    const path = join(tempDir(), "paperboy.db");
    const writer = await writingElsewhere(path, 60_000);
    try {
      const error = thrownBy(() => openDatabase(path));
      expect(error).toBeInstanceOf(UnusableDatabaseError);
      expect(error.message).toBe(
        `${path}: another process kept the database locked for over 5 s; try again once it is done`,
      );
    } finally {
      writer.stop();
      await writer.exited;
    }
  }, 15_000); // the busy timeout, 5 s, is waited out

  it("makes foreign keys bite: deleting a source removes its paper links", () => {
    const app = openApp(join(tempDir(), "paperboy.db"));
    app.db.exec(`
      INSERT INTO papers (id, title_key, title, abstract, first_seen, updated_at)
        VALUES (1, 't', 'T', 'A', 'now', 'now');
      INSERT INTO sources (id, path, format, size, sha256, ingested_at, papers, added, updated, unchanged, warnings)
        VALUES (1, '/p.txt', 'page', 1, 'x', 'now', 1, 1, 0, 0, 0);
      INSERT INTO paper_sources VALUES (1, 1, 3);`);
    expect(() => app.db.exec("INSERT INTO paper_sources VALUES (99, 1, 1)")).toThrow(/FOREIGN KEY/);
    app.db.exec("DELETE FROM sources");
    expect(app.db.prepare("SELECT count(*) FROM paper_sources").pluck().get()).toBe(0);
  });

  it("creates the folder of a new database file and brings it to the newest schema", () => {
    const path = join(tempDir(), "nested", "deeper", "paperboy.db");
    openDatabase(path).close();
    expect(schemaVersion).toBe(migrations.length);
    inspect(path, (db) => {
      expect(userVersion(db)).toBe(migrations.length);
      expect(schemaObjects(db)).toEqual(
        expect.arrayContaining(["papers", "sources", "paper_sources", "papers_fts", "titles_fts"]),
      );
    });
  });

  it("refuses a path where its folder cannot be made, naming the folder, creating nothing", () => {
    const file = join(tempDir(), "notes.txt");
    writeFileSync(file, "a file, not a folder");
    for (const path of [join(file, "paperboy.db"), join(file, "deeper", "paperboy.db")]) {
      expect(() => openDatabase(path)).toThrow(
        new UnusableDatabaseError(
          `${path}: cannot create its folder ${dirname(path)}: part of that path is a file, not a folder; point --db/PAPERBOY_DB at another file`,
        ),
      );
    }
    expect(readFileSync(file, "utf8")).toBe("a file, not a folder");
  });

  // In a child process: Node's recursive mkdir spun there for good, which no test could stop.
  it.skipIf(!existsSync("/proc/self"))(
    "refuses a path where the system will not make its folder (under /proc), without hanging",
    async () => {
      const path = "/proc/paperboy-test/data/paperboy.db";
      const run = await runAttempt(
        [
          `const { openDatabase } = await import(${JSON.stringify(join(root, "src/store/db.ts"))});`,
          `openDatabase(${JSON.stringify(path)});`,
        ],
        { killAfterMs: 15_000 },
      );
      expect(run).toEqual({
        code: 0,
        stdout: `${path}: cannot create its folder /proc/paperboy-test/data: the system has no such folder to make (is it under /proc or /sys, or on a disk no longer mounted?); point --db/PAPERBOY_DB at another file\n`,
        stderr: "",
      });
    },
  );

  /**
   * openDatabase(path, options) in a child process run as modesCount's user: the message of
   * what it threw, or "opened" and the schema version.
   */
  async function openAsOrdinaryUser(path: string, options: { onlyReads?: boolean } = {}) {
    const run = await runAttempt(
      [
        `const { openDatabase } = await import(${JSON.stringify(join(root, "src/store/db.ts"))});`,
        `const db = openDatabase(${JSON.stringify(path)}, ${JSON.stringify(options)});`,
        `console.log("opened", db.pragma("user_version", { simple: true }));`,
        "db.close();",
      ],
      { user: modesCount },
    );
    expect(run.stderr).toBe("");
    return run.stdout.trim();
  }
  /** A folder that user may enter; with `writable`, write in too. */
  const folderFor = (writable: boolean) => {
    const dir = tempDir();
    chmodSync(dir, writable ? 0o777 : 0o755);
    return dir;
  };

  it("refuses a folder given as the database, naming a file in it to give", () => {
    const dir = tempDir();
    for (const mustExist of [false, true]) {
      expect(() => openDatabase(dir, { mustExist })).toThrow(
        new UnusableDatabaseError(
          `${dir}: a folder, not a database file; point --db/PAPERBOY_DB at a file in it, like ${join(dir, "paperboy.db")}`,
        ),
      );
    }
  });

  describe.skipIf(modesCount === undefined)("not writable by this user", () => {
    it("a new database in a folder it may not write in is refused, naming the folder", async () => {
      const dir = folderFor(false);
      const path = join(dir, "paperboy.db");
      expect(await openAsOrdinaryUser(path)).toBe(
        `${path}: cannot create the database file: this user may not write in ${dir}; make that folder writable, or point --db/PAPERBOY_DB at another file`,
      );
    });

    it("a database file it may not read is refused, saying so", async () => {
      const path = join(folderFor(true), "paperboy.db");
      openDatabase(path).close();
      chmodSync(path, 0o000);
      for (const onlyReads of [false, true]) {
        expect(await openAsOrdinaryUser(path, { onlyReads })).toBe(
          `${path}: this user may not read it; give this user read and write permission on it, or point --db/PAPERBOY_DB at another file`,
        );
      }
    });

    it("a database whose -wal and -shm files another user left is refused, naming them", async () => {
      const path = join(folderFor(true), "paperboy.db");
      openDatabase(path).close();
      chmodSync(path, 0o666); // the database itself this user's to read and write
      // As a `sudo paperboy ingest` stopped midway leaves them. The database was said to be
      // unreadable, which it is not.
      writeFileSync(`${path}-wal`, "", { mode: 0o600 });
      writeFileSync(`${path}-shm`, Buffer.alloc(32 * 1024), { mode: 0o600 });
      for (const onlyReads of [false, true]) {
        expect(await openAsOrdinaryUser(path, { onlyReads })).toBe(
          `${path}: this user may not read and write ${path}-wal and ${path}-shm beside it (made by another user: a sudo run?); give this user read and write permission on them, or point --db/PAPERBOY_DB at another file`,
        );
      }
    });

    it("a folder it cannot create in is named", async () => {
      const parent = folderFor(false);
      chmodSync(parent, 0o555);
      const path = join(parent, "data", "paperboy.db");
      expect(await openAsOrdinaryUser(path)).toBe(
        `${path}: not writable: cannot create its folder ${join(parent, "data")} (permission denied); point --db/PAPERBOY_DB at another file`,
      );
    });

    it("a database in a read-only folder is refused, even to read: WAL needs its files there", async () => {
      const path = join(folderFor(false), "paperboy.db");
      openDatabase(path).close();
      chmodSync(path, 0o666); // the file itself writable: only its folder is not
      chmodSync(dirname(path), 0o555);
      for (const onlyReads of [false, true]) {
        expect(await openAsOrdinaryUser(path, { onlyReads })).toBe(
          `${path}: not writable: its folder is read-only for this user, and SQLite keeps the database's -wal and -shm files there; make the folder writable, or point --db/PAPERBOY_DB at another file`,
        );
      }
    });

    it("a read-only database file is refused at once, unless the caller only reads", async () => {
      const path = join(folderFor(true), "paperboy.db");
      openDatabase(path).close();
      chmodSync(path, 0o444);
      // SQLite would open it read-only; the first write, hours later, would fail.
      expect(await openAsOrdinaryUser(path)).toBe(
        `${path}: not writable by this user; give this user write permission on it, or point --db/PAPERBOY_DB at another file`,
      );
      const owners = openDatabase(path); // its bot, running (see the test below)
      expect(await openAsOrdinaryUser(path, { onlyReads: true })).toBe(`opened ${schemaVersion}`);
      owners.close();
    });

    it.skipIf(modesCount?.uid === undefined)(
      "another user's database is read only while they have it open, not to leave them files they cannot write",
      async () => {
        const path = join(folderFor(true), "paperboy.db");
        openDatabase(path).close();
        chmodSync(path, 0o644); // its owner's, as a bot's database is
        // Made by that user's read, the -wal and -shm files stayed: the owner's next ingest
        // failed with "attempt to write a readonly database".
        expect(await openAsOrdinaryUser(path, { onlyReads: true })).toBe(
          `${path}: another user's database, which this user may only read: read while nothing of theirs has it open, it would be left with -wal and -shm files they could not write, and their bot would fail; run this as that user, or while their bot runs`,
        );
        expect(readdirSync(dirname(path))).toEqual(["paperboy.db"]);
        const owners = openDatabase(path); // the bot, running
        expect(await openAsOrdinaryUser(path, { onlyReads: true })).toBe(`opened ${schemaVersion}`);
        owners.close();
        const again = openDatabase(path);
        again.prepare("INSERT INTO meta (key, value) VALUES ('written', 'yes')").run();
        again.close();
      },
    );

    it.skipIf(modesCount?.uid === undefined)(
      "another user's database named through a symlink is read while they have it open",
      async () => {
        const path = join(folderFor(true), "paperboy.db");
        openDatabase(path).close();
        chmodSync(path, 0o644);
        const link = join(folderFor(true), "link.db");
        symlinkSync(path, link);
        const owners = openDatabase(path); // the bot, running
        // Its -wal is beside the file the link leads to: none beside the link read as "not open".
        expect(await openAsOrdinaryUser(link, { onlyReads: true })).toBe(`opened ${schemaVersion}`);
        owners.close();
      },
    );
  });

  it("works in memory too", () => {
    const db = openDatabase(":memory:");
    expect(userVersion(db)).toBe(migrations.length);
    db.close();
  });

  it("reopens a database without migrating it again, keeping its rows", () => {
    const path = join(tempDir(), "paperboy.db");
    const first = openDatabase(path);
    first
      .prepare(
        "INSERT INTO papers (title_key, title, abstract, first_seen, updated_at) VALUES ('k', 'Kept', 'A', 'now', 'now')",
      )
      .run();
    first.close();
    const again = openDatabase(path); // migration 1 run twice would fail: "table papers already exists"
    expect(userVersion(again)).toBe(migrations.length);
    expect(again.prepare("SELECT title FROM papers").pluck().all()).toEqual(["Kept"]);
    again.close();
  });

  it("migrates once when another process migrates the same new file first", async () => {
    const path = join(tempDir(), "paperboy.db");
    const setup = new Database(path);
    setup.pragma("journal_mode = WAL"); // as openDatabase leaves it: others read meanwhile
    setup.close();
    // The other process: every migration done but not committed when this one looks at
    // user_version; it commits a moment later, while this one waits for the write lock.
    const other = await writeElsewhere(path, {
      statements: [...migrations, `PRAGMA user_version = ${migrations.length}`],
    });
    const db = openDatabase(path); // before: "table papers already exists"
    expect(userVersion(db)).toBe(migrations.length);
    db.close();
    await other.done;
  });

  it("upgrades a database left at schema version 1 and keeps its rows", () => {
    const path = handMadeDb((db) => {
      db.exec(migrations[0] as string);
      db.pragma("user_version = 1");
      db.exec(
        "INSERT INTO papers (title_key, title, abstract, first_seen, updated_at) VALUES ('k', 'Old', 'A', 'then', 'then')",
      );
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT title FROM papers").pluck().all()).toEqual(["Old"]);
    db.close();
  });

  it("upgrades a database at schema version 4: each channel's latest roundup is remembered", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 4)) db.exec(migration);
      db.pragma("user_version = 4");
      db.exec(`
        INSERT INTO papers (id, title_key, title, abstract, first_seen, updated_at)
          VALUES (1, 'k', 'Kept', 'A', 'then', 'then');
        INSERT INTO subscriptions (id, guild_id, channel_id, created_by, created_at) VALUES
          (1, 'g1', 'quiet', 'admin', '2026-11-01T00:00:00.000Z'),
          (2, 'g1', 'posted', 'admin', '2026-11-01T00:00:00.000Z'),
          (3, 'g1', 'refused', 'admin', '2026-11-01T00:00:00.000Z'),
          (4, 'g1', 'unfinished', 'admin', '2026-11-01T00:00:00.000Z');
        INSERT INTO roundups (subscription_id, local_date, window_start, window_end, status, planned_at, finished_at) VALUES
          (1, '2026-11-22', 'a', 'b', 'sent', '2026-11-22T08:00:00.000Z', '2026-11-22T08:00:01.000Z'),
          (1, '2026-11-23', 'a', 'b', 'skipped', '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z'),
          (2, '2026-11-23', 'a', 'b', 'sent', '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:02.000Z'),
          (3, '2026-11-23', 'a', 'b', 'failed', '2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00.000Z'),
          (4, '2026-11-23', 'a', 'b', 'sent', '2026-11-23T09:00:00.000Z', NULL);
        INSERT INTO posted_papers (channel_id, paper_id, roundup_id, posted_at) VALUES
          ('posted', 1, 3, '2026-11-23T08:00:02.000Z'),
          ('unsubscribed', 1, NULL, '2026-11-21T08:00:00.000Z');
      `);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT * FROM channel_served ORDER BY channel_id").all()).toEqual([
      { channel_id: "posted", served_at: "2026-11-23T08:00:02.000Z" },
      { channel_id: "quiet", served_at: "2026-11-23T08:00:00.000Z" },
      { channel_id: "unfinished", served_at: "2026-11-23T09:00:00.000Z" }, // by its planning
      { channel_id: "unsubscribed", served_at: "2026-11-21T08:00:00.000Z" },
    ]);
    db.close();
  });

  it("upgrades a database at schema version 5: direction controls stored before leave paper text", () => {
    // Ingest drops them now, but only from files it reads again; an unchanged file is not.
    const stored = {
      title: "Order-Preserving \u202eGFlowNets",
      abstract: "\u202bWe \u2066propose\u2069 \u202a \u202c a sampler. \u200fMarks\u200e stay.",
      authors: "Ada\u202dLovelace, Alan Turing",
    };
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 5)) db.exec(migration);
      db.pragma("user_version = 5");
      db.prepare(
        `INSERT INTO papers (id, title_key, title, abstract, authors, first_seen, updated_at)
           VALUES (1, 'order preserving gflownets', @title, @abstract, @authors, 'then', 'then'),
                  (2, 'clean', 'Clean', 'Clean.', NULL, 'then', 'then')`,
      ).run(stored);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT title, abstract, authors FROM papers ORDER BY id").all()).toEqual([
      {
        title: "Order-Preserving GFlowNets",
        abstract: "We propose a sampler. \u200fMarks\u200e stay.",
        authors: "Ada Lovelace, Alan Turing",
      },
      { title: "Clean", abstract: "Clean.", authors: null },
    ]);
    db.close();
  });

  it("upgrades a database at schema version 6: its roundup messages are none of them refused", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 6)) db.exec(migration);
      db.pragma("user_version = 6");
      db.exec(`
        INSERT INTO subscriptions (id, guild_id, channel_id, created_by, created_at)
          VALUES (1, 'g1', 'c1', 'admin', '2026-11-01T00:00:00.000Z');
        INSERT INTO roundups (id, subscription_id, local_date, window_start, window_end, status, planned_at)
          VALUES (1, 1, '2026-11-23', 'a', 'b', 'sending', '2026-11-23T08:00:00.000Z');
        INSERT INTO roundup_messages (roundup_id, seq, body, paper_ids, message_id, sent_at) VALUES
          (1, 0, '{}', '[]', 'm0', '2026-11-23T08:00:01.000Z'),
          (1, 1, '{}', '[]', NULL, NULL);
      `);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    const rows = db
      .prepare("SELECT seq, message_id, refused FROM roundup_messages ORDER BY seq")
      .all();
    expect(rows).toEqual([
      { seq: 0, message_id: "m0", refused: null },
      { seq: 1, message_id: null, refused: null }, // still to send
    ]);
    db.close();
  });

  it("upgrades a database at schema version 7: its papers count as changed since the index was merged", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 7)) db.exec(migration);
      db.pragma("user_version = 7");
      db.exec(`INSERT INTO papers (id, title_key, title, abstract, first_seen, updated_at) VALUES
        (1, 'a', 'A', 'Aa.', 'then', 'then'), (2, 'b', 'B', 'Bb.', 'then', 'then')`);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    const unmerged = db.prepare("SELECT value FROM meta WHERE key = 'index:unmerged-changes'");
    // So its next ingest that changes papers merges the index, however few it changes.
    expect(unmerged.pluck().get()).toBe("2");
    db.close();
  });

  it("upgrades a database at schema version 8: words of one paper become typo corrections", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 8)) db.exec(migration);
      db.pragma("user_version = 8");
      db.exec(`INSERT INTO papers_fts (rowid, title, abstract) VALUES
        (1, 'packet spraying', 'on packet loss'), (2, 'packet routing', 'of 5g packets');
        INSERT INTO terms (term) VALUES ('packet')`);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    // Words as the typo index takes them (letters only, 4 to 24 of them), the old ones first.
    const terms = db.prepare("SELECT term FROM terms ORDER BY id").pluck().all();
    expect(terms).toEqual(["packet", "loss", "packets", "routing", "spraying"]);
    db.close();
  });

  it("upgrades a database at schema version 9: its papers have no venue until read again", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 9)) db.exec(migration);
      db.pragma("user_version = 9");
      db.exec(`INSERT INTO papers (id, title_key, title, abstract, published, first_seen, updated_at)
        VALUES (1, 'a', 'A', 'Aa.', '2017-01-01', 'then', 'then')`);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    const paper = db.prepare("SELECT title, published, venue FROM papers WHERE id = 1").get();
    expect(paper).toEqual({ title: "A", published: "2017-01-01", venue: null });
    db.prepare("UPDATE papers SET venue = 'NIPS 2017' WHERE id = 1").run();
    expect(db.prepare("SELECT venue FROM papers").pluck().get()).toBe("NIPS 2017");
    db.close();
  });

  it("upgrades a database at schema version 10: nothing forgotten yet, what was posted kept", () => {
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 10)) db.exec(migration);
      db.pragma("user_version = 10");
      db.exec(`INSERT INTO papers (id, title_key, title, abstract, first_seen, updated_at)
        VALUES (1, 'a', 'A', 'Aa.', 'then', 'then');
        INSERT INTO posted_papers (channel_id, paper_id, posted_at) VALUES ('c1', 1, 'then')`);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM forgotten_posts").pluck().get()).toBe(0);
    expect(db.prepare("SELECT paper_id FROM posted_papers").pluck().all()).toEqual([1]);
    db.close();
  });

  it("upgrades a database at schema version 11: its topics' quote marks, which meant nothing, are taken out", () => {
    // Quotes keep words as typed now: a topic stored with them is read as it was, without them.
    const path = handMadeDb((db) => {
      for (const migration of migrations.slice(0, 11)) db.exec(migration);
      db.pragma("user_version = 11");
      db.exec(`INSERT INTO subscriptions (id, guild_id, channel_id, created_by, created_at) VALUES
        (1, 'g1', 'c1', 'admin', 'then'), (2, 'g1', 'c2', 'admin', 'then')`);
      const topic = db.prepare(
        "INSERT INTO subscription_topics (subscription_id, topic, position) VALUES (?, ?, ?)",
      );
      const topics: [number, string][] = [
        [1, '"surgical" robotics'],
        [1, "diffusion models"],
        [1, "Surgical Robotics"], // the same as the first, without its quotes
        [1, "“Graph Neural Networks”"],
        [1, '«mamba» 27" screens „ssm“'],
        [1, "rock 'n' roll"],
        [2, "surgical robotics"],
        [2, '"surgical" robotics'],
      ];
      for (const [i, [id, text]] of topics.entries()) topic.run(id, text, i + 1);
    });
    const db = openDatabase(path);
    expect(userVersion(db)).toBe(migrations.length);
    const topicsOf = (id: number) =>
      db
        .prepare(
          "SELECT topic FROM subscription_topics WHERE subscription_id = ? ORDER BY position",
        )
        .pluck()
        .all(id);
    expect(topicsOf(1)).toEqual([
      "surgical robotics",
      "diffusion models",
      "Graph Neural Networks",
      "mamba 27 screens ssm",
      "rock 'n' roll",
    ]);
    expect(topicsOf(2)).toEqual(["surgical robotics"]);
    db.close();
  });

  describe("a database made by a newer Paperboy", () => {
    const newer = schemaVersion + 1;

    function newerDb(): string {
      return handMadeDb((db) => {
        db.exec("CREATE TABLE from_the_future (x)");
        db.pragma(`user_version = ${newer}`);
      });
    }

    it("is refused with an UnusableDatabaseError that says what to do", () => {
      const path = newerDb();
      const error = thrownBy(() => openDatabase(path));
      expect(error).toBeInstanceOf(UnusableDatabaseError);
      expect(error.name).toBe("UnusableDatabaseError");
      expect(error.message).toBe(
        `${path}: database schema version ${newer} is newer than this Paperboy understands ` +
          `(${schemaVersion}); upgrade Paperboy or point --db/PAPERBOY_DB at another file`,
      );
    });

    it("is left exactly as it was: same bytes, no WAL files", () => {
      const path = newerDb();
      const before = readFileSync(path);
      expect(() => openDatabase(path)).toThrow(UnusableDatabaseError);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(join(path, ".."))).toEqual(["paperboy.db"]);
      inspect(path, (db) => {
        expect(userVersion(db)).toBe(newer);
        expect(schemaObjects(db)).toEqual(["from_the_future"]);
      });
    });
  });

  it("refuses a file that is not a database with an UnusableDatabaseError, not touching it", () => {
    const path = join(tempDir(), "notes.txt");
    const text = "These are my notes, not a database. ".repeat(10);
    writeFileSync(path, text);
    expect(() => openDatabase(path)).toThrow(
      new UnusableDatabaseError(
        `${path}: not a SQLite database; point --db/PAPERBOY_DB at another file`,
      ),
    );
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("refuses a database file cut short (a copy that did not finish) in one line, not touching it", () => {
    const whole = openDatabase(join(tempDir(), "paperboy.db"));
    whole.pragma("journal_mode = DELETE"); // all in the one file, as a copy of it would be
    whole.close();
    const path = join(tempDir(), "paperboy.db");
    const cut = readFileSync(whole.name).subarray(0, 8192);
    writeFileSync(path, cut);
    expect(() => openDatabase(path)).toThrow(
      new UnusableDatabaseError(
        `${path}: the database file is damaged (database disk image is malformed); ` +
          "restore it from a backup, or point --db/PAPERBOY_DB at another file",
      ),
    );
    expect(readFileSync(path).equals(cut)).toBe(true);
  });

  it("refuses a path that is no regular file (a named pipe here) in one line", () => {
    const path = join(tempDir(), "paperboy.db");
    execFileSync("mkfifo", [path]);
    const error = thrownBy(() => openDatabase(path));
    expect(error).toBeInstanceOf(UnusableDatabaseError);
    expect(error.message).toBe(
      `${path}: SQLite could not read or write it (disk I/O error): it is not a regular file; ` +
        "point --db/PAPERBOY_DB at another file",
    );
  });

  it("runs a migration in one transaction: when it fails, nothing of it stays", () => {
    // The last object migration 1 creates already exists, so the migration fails at its
    // very end, after creating everything else.
    const created = [
      ...(migrations[0] as string).matchAll(/CREATE (?:VIRTUAL )?(?:TABLE|INDEX) (\w+)/g),
    ].map((m) => m[1] as string);
    const last = created.at(-1) as string;
    expect(created.length).toBeGreaterThan(5);
    const path = handMadeDb((db) => db.exec(`CREATE TABLE ${last} (squatter)`));

    expect(() => openDatabase(path)).toThrow(/already/);

    inspect(path, (db) => {
      expect(userVersion(db)).toBe(0);
      expect(schemaObjects(db)).toEqual([last]);
    });
    expect(existsSync(path)).toBe(true);
  });
});

describe("paper store: merging records into papers", () => {
  const abstract = "An abstract long enough to be one.";
  const record = (fields: Partial<PaperRecord> = {}): PaperRecord => ({
    line: 1,
    title: "Merge Rules for Papers",
    abstract,
    ...fields,
  });

  it("adds, then leaves unchanged, then updates", () => {
    const { papers } = openApp();
    const added = papers.merge(record(), "2026-01-01T00:00:00.000Z");
    expect(added.outcome).toBe("added");
    expect(added.paper).toMatchObject({
      firstSeen: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    });
    const same = papers.merge(record(), "2026-02-01T00:00:00.000Z");
    expect(same.outcome).toBe("unchanged");
    expect(same.paper.updatedAt).toBe("2026-01-01T00:00:00.000Z");
    const changed = papers.merge(record({ upvotes: 4 }), "2026-03-01T00:00:00.000Z");
    expect(changed.outcome).toBe("updated");
    expect(changed.paper).toMatchObject({
      id: added.paper.id,
      upvotes: 4,
      firstSeen: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-03-01T00:00:00.000Z",
    });
  });

  it("finds a paper by its title whatever the case, spacing and punctuation", () => {
    const { papers } = openApp();
    const { paper } = papers.merge(record(), "now");
    const again = papers.merge(record({ title: "merge  rules for PAPERS" }), "now");
    expect(again.paper.id).toBe(paper.id);
  });

  it("keeps the highest upvotes and never forgets a field a later source leaves out", () => {
    const { papers } = openApp();
    papers.merge(record({ upvotes: 9, authorsCount: 3, published: "2024-06-29" }), "now");
    const { paper } = papers.merge(record({ upvotes: 2 }), "now");
    expect(paper).toMatchObject({ upvotes: 9, authorsCount: 3, published: "2024-06-29" });
  });

  it("keeps the earliest date any source gives, in either order", () => {
    // A listing shows the day a paper came out; the arXiv snapshot's update_date is its last
    // revision's. Whichever file was read last set the date, so that editing one flipped it.
    for (const dates of [
      ["2024-01-09", "2024-05-01"],
      ["2024-05-01", "2024-01-09"],
    ]) {
      const { papers } = openApp();
      for (const published of dates) papers.merge(record({ published }), "now");
      const { paper, outcome } = papers.merge(record({ published: dates[1] }), "now");
      expect(paper.published).toBe("2024-01-09");
      expect(outcome).toBe("unchanged");
    }
  });

  it("takes the text of a source with an arXiv id over a listing page's, in either order", () => {
    const { papers } = openApp();
    const fromDump = record({ arxivId: "2401.00001", abstract: "The dump's abstract." });
    const fromPage = record({ abstract: "The page's abstract." });
    papers.merge(fromPage, "now");
    expect(papers.merge(fromDump, "now").paper.abstract).toBe("The dump's abstract.");
    const { paper } = papers.merge(fromPage, "now");
    expect(paper).toMatchObject({ arxivId: "2401.00001", abstract: "The dump's abstract." });
  });

  it("never shortens an abstract to a cut copy of itself, but takes a changed one", () => {
    const { papers } = openApp();
    const whole = "A whole abstract that ends where it should, with a full stop.";
    papers.merge(record({ abstract: whole }), "now");
    const cut = papers.merge(record({ abstract: "A whole abstract that ends" }), "now");
    expect(cut).toMatchObject({ outcome: "unchanged", paper: { abstract: whole } });
    const changed = papers.merge(record({ abstract: "A revised abstract." }), "now");
    expect(changed).toMatchObject({
      outcome: "updated",
      paper: { abstract: "A revised abstract." },
    });
  });

  it("keeps same-titled papers with different arXiv ids apart", () => {
    const { papers } = openApp();
    const first = papers.merge(record({ arxivId: "2401.00001" }), "now");
    const second = papers.merge(record({ arxivId: "2401.00002" }), "now");
    expect(second.outcome).toBe("added");
    expect(second.paper.id).not.toBe(first.paper.id);
    expect(papers.lookup("2401.00002")?.id).toBe(second.paper.id);
  });

  it("knows no paper by a title with no letters or digits, as one stored before they were skipped", () => {
    const { papers } = openApp();
    // Title-only, from an archive read before src/archive/read.ts skipped such papers.
    const before = papers.merge(record({ title: "???" }), "now");
    const withId = papers.merge(record({ title: "???", arxivId: "2401.00001" }), "now");
    expect(withId.outcome).toBe("added");
    expect(withId.paper.id).not.toBe(before.paper.id);
  });

  it("offers the newest dated papers first as recent, undated ones after them", () => {
    const { papers } = openApp();
    const seen = "2026-11-20T12:00:00.000Z"; // later than every date: it must not count as one
    const merge = (title: string, fields: Partial<PaperRecord>) =>
      papers.merge(record({ title, ...fields }), seen).paper.id;
    const undated = merge("Undated but Popular", { upvotes: 90 });
    const old = merge("An Old Paper", { published: "2023-01-05" });
    const popular = merge("A Popular Paper of 2024", { published: "2024-06-29", upvotes: 12 });
    const quiet = merge("A Quiet Paper of 2024", { published: "2024-06-29" });
    expect(papers.recent(4).map((p) => p.id)).toEqual([popular, quiet, old, undated]);
    expect(papers.recent(2).map((p) => p.id)).toEqual([popular, quiet]);
  });

  it("reads the recent papers in an index's order, without sorting the whole table", () => {
    const { db } = openApp();
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${recentPapersQuery}`)
      .all(25)
      .map((step) => (step as { detail: string }).detail);
    expect(plan).toEqual(["SCAN papers USING INDEX papers_recent"]);
  });
});
