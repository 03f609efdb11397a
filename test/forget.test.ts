import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { UserError } from "../src/errors.ts";
import {
  abstractAbout,
  archiveDir,
  archivePaperCount,
  copyOfArchive,
  ingestTime,
  listingPage,
  openApp,
  paperCount,
  paperIdByTitle,
  runCli,
  tempDir,
  thrownBy,
} from "./helpers.ts";

/** A text file that is not a Daily Papers page, saved into the archive by mistake. */
const notes = [
  "Meeting Notes on Quokka Logistics",
  "We discussed quokka logistics (QL) at length. Quokka logistics needs more trucks. Everyone agreed.",
  "Wombat Catering Plans",
  "Wombat catering plans were postponed. The caterers want payment first. Nobody had cash.",
].join("\n\n");

function archiveWithNotes() {
  const dir = copyOfArchive();
  const path = join(dir, "notes.txt");
  writeFileSync(path, notes);
  const app = openApp();
  expect(app.ingest([dir], { now: () => ingestTime }).added).toBe(archivePaperCount + 2);
  return { app, dir, path };
}

describe("forget", () => {
  it("takes a wrong file back out: its papers, their search rows and acronyms go", () => {
    const { app, path } = archiveWithNotes();
    expect(app.search("quokka logistics").hits).toHaveLength(1);
    expect(app.vocabulary.expansions("ql")).toEqual(["quokka logistics"]);

    expect(app.forget(path)).toEqual({ path, removed: 2, kept: 0 });
    expect(paperCount(app)).toBe(archivePaperCount);
    expect(app.search("quokka logistics").hits).toEqual([]);
    expect(app.search("wombat catering").hits.map((hit) => hit.title)).not.toContain(
      "Wombat Catering Plans",
    );
    expect(app.vocabulary.expansions("ql")).toEqual([]);
    expect(app.stats().sources).toBe(5);
    // Taken out, it can be loaded again like any new file.
    expect(app.ingest([path], { now: () => ingestTime }).added).toBe(2);
  });

  it("keeps the papers other files have too, which no longer cite it", () => {
    const dir = tempDir();
    const shared = { title: "Okapi Gait Analysis", abstract: abstractAbout("okapi gaits") };
    const only = { title: "Tapir Snout Mechanics", abstract: abstractAbout("tapir snouts") };
    const first = join(dir, "first.txt");
    const second = join(dir, "second.txt");
    writeFileSync(first, listingPage([shared, only]));
    writeFileSync(second, listingPage([shared]));
    const app = openApp();
    app.ingest([dir], { now: () => ingestTime });

    expect(app.forget(first)).toEqual({ path: first, removed: 1, kept: 1 });
    const okapi = paperIdByTitle(app, "Okapi Gait Analysis");
    expect(app.papers.sources(okapi).map((source) => source.path)).toEqual([second]);
    expect(app.search("okapi gait").hits.map((hit) => hit.id)).toEqual([okapi]);
    expect(app.search("tapir snout").hits).toEqual([]);
  });

  it("refuses a file that is not in the archive, changing nothing", () => {
    const app = openApp();
    app.ingest([archiveDir], { now: () => ingestTime });
    const error = thrownBy(() => app.forget(join(tempDir(), "never.txt")));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/never\.txt: not a file of the archive; `paperboy show <id>`/);
    expect(paperCount(app)).toBe(archivePaperCount);
  });

  it("is `paperboy forget`, which says when the file would come back at the next refresh", async () => {
    const { dir, path } = archiveWithNotes();
    const db = join(tempDir(), "paperboy.db");
    expect((await runCli(["ingest", "--db", db, dir])).code).toBe(0);
    vi.stubEnv("PAPERBOY_ARCHIVE", dir);
    try {
      const run = await runCli(["forget", "--db", db, path]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(run.stdout).toBe(
        `${path}: 2 papers removed, 0 papers kept (other files have them too)\n` +
          `  it is still in ${dir}: move or delete it, or the next refresh loads it again\n`,
      );
      expect(await runCli(["forget", "--db", db, path])).toMatchObject({ code: 2 });
      expect(await runCli(["forget", "--db", db])).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(/^paperboy: forget: name a file as it was ingested/),
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("keeps /stats's index figures current, measured when the archive changes, not when asked", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "a.txt"),
      listingPage([{ title: "Okapi Gait", abstract: abstractAbout("okapi gaits") }]),
    );
    const app = openApp();
    app.ingest([dir], { now: () => ingestTime });
    const measured = app.db
      .prepare("SELECT value FROM meta WHERE key = 'stats:index-size'")
      .pluck();
    const first = app.stats();
    expect(JSON.parse(measured.get() as string)).toEqual({
      vocabulary: first.vocabulary,
      indexBytes: first.indexBytes,
    });
    writeFileSync(join(dir, "b.txt"), notes);
    app.ingest([dir], { now: () => ingestTime });
    const more = app.stats();
    expect(more.vocabulary).toBeGreaterThan(first.vocabulary);
    app.forget(join(dir, "b.txt"));
    expect(app.stats().vocabulary).toBe(first.vocabulary);
  });
});
