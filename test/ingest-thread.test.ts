import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UnusableDatabaseError } from "../src/store/db.ts";
import type { IngestProgress } from "../src/store/ingest.ts";
import { ingestOnThread } from "../src/threads/ingest.ts";
import { listingPage, lockedElsewhere, openApp, tempDir, writeLargeDump } from "./helpers.ts";

/** A database file opened by the test's own Paperboy, and an archive folder with one page. */
function setup() {
  const dbPath = join(tempDir(), "paperboy.db");
  const app = openApp(dbPath);
  const archive = tempDir();
  writeFileSync(
    join(archive, "page.txt"),
    listingPage([
      { title: "Packet Spraying at Scale", abstract: "We spray packets across many paths." },
    ]),
  );
  return { dbPath, app, archive };
}

describe("ingest on a thread of its own", () => {
  it("leaves the event loop free while it works, and its papers are searchable once it ends", async () => {
    const { dbPath, app, archive } = setup();
    // The thread cannot commit before the lock is released: whatever runs meanwhile runs
    // while it is still ingesting. In-process, the ingest would hold this thread until then.
    const otherProcess = lockedElsewhere(dbPath);
    let ended = false;
    const ingesting = ingestOnThread(dbPath, [archive]).finally(() => {
      ended = true;
    });
    await new Promise(setImmediate);
    expect(ended).toBe(false);
    expect(app.search("packet spraying").hits).toEqual([]);
    otherProcess.exec("ROLLBACK");

    const summary = await ingesting;
    expect(summary).toMatchObject({ filesRead: 1, added: 1, warnings: 0 });
    // This connection's search sees the new words too: "sprayng" is corrected into one.
    const found = app.search("packet sprayng");
    expect(found.hits.map((hit) => hit.title)).toEqual(["Packet Spraying at Scale"]);
    expect(app.papers.get(found.hits[0]?.id as number)?.firstSeen).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("answers the summary an in-process ingest would, bad lines and all", async () => {
    const { dbPath, archive } = setup();
    writeFileSync(
      join(archive, "dump.jsonl"),
      '{"id":"2401.00001","title":"Fine Paper","abstract":"Fine words."}\n{broken\n',
    );
    const summary = await ingestOnThread(dbPath, [archive]);
    expect(summary).toMatchObject({ filesRead: 2, filesFailed: 0, added: 2, warnings: 1 });
    const dump = summary.files.find((file) => file.path.endsWith("dump.jsonl"));
    expect(dump?.warnings).toEqual([{ line: 2, message: expect.any(String) }]);
    expect((await ingestOnThread(dbPath, [archive])).filesUnchanged).toBe(2);
  });

  it("tells the progress of a file read in parts as it goes", async () => {
    const { dbPath, archive } = setup();
    const dump = writeLargeDump(join(archive, "dump.jsonl"));
    const progress: IngestProgress[] = [];
    await ingestOnThread(dbPath, [archive], (event) => progress.push(event));
    expect(progress.filter((event) => event.kind === "file").map((event) => event.path)).toEqual([
      dump,
      join(archive, "page.txt"),
    ]);
    const parts = progress.filter((event) => event.kind === "records" && event.path === dump);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.at(-1)).toEqual({ kind: "records", path: dump, done: 4500, share: 1 });
  });

  it("settles once the thread has closed its connection, the database file whole", async () => {
    const { dbPath, app, archive } = setup();
    app.close();
    await ingestOnThread(dbPath, [archive]);
    // The last connection to close writes the WAL into the database file and deletes it: a
    // caller that copies the file (a backup, a test's disk) finds all of it there.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  });

  it("stops when asked while it works, storing nothing of the file it was reading", async () => {
    const { dbPath, app, archive } = setup();
    // Held until the stop is asked for: the thread cannot have stored anything of the file yet.
    const otherProcess = lockedElsewhere(dbPath);
    const stopping = new AbortController();
    const ingesting = ingestOnThread(dbPath, [archive], undefined, stopping.signal);
    await new Promise(setImmediate);
    stopping.abort();
    otherProcess.exec("ROLLBACK");
    const summary = await ingesting;
    expect(summary.stopped).toEqual({ path: join(archive, "page.txt"), notRead: 0 });
    expect(summary).toMatchObject({ filesRead: 0, added: 0 });
    expect(app.search("packet spraying").hits).toEqual([]);
    expect(app.stats().sources).toBe(0);
  });

  it("rejects with what the thread threw: a database that is not one, or none at all", async () => {
    const { archive } = setup();
    const notADatabase = join(tempDir(), "notes.db");
    writeFileSync(notADatabase, "not a database, only words ".repeat(200));
    const notOne = ingestOnThread(notADatabase, [archive]);
    await expect(notOne).rejects.toThrow(/notes\.db: not a SQLite database/);
    // As what it was: `npm start` prints an UnusableDatabaseError in one line, a plain Error
    // with its stack trace.
    await expect(notOne).rejects.toBeInstanceOf(UnusableDatabaseError);
    await expect(ingestOnThread(join(tempDir(), "missing.db"), [archive])).rejects.toThrow(
      /missing\.db: no database here/,
    );
  });
});
