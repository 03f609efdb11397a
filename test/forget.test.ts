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
  pagesSharingAPaper,
  paperCount,
  paperIdByTitle,
  runCli,
  tempDir,
  thrownBy,
  writeElsewhere,
} from "./helpers.ts";

/**
 * A page saved into the archive by mistake: laid out as a Daily Papers page, so it is read as
 * one (notes without a page's lines are not), but of papers no one wants.
 */
const notes = listingPage([
  {
    title: "Meeting Notes on Quokka Logistics",
    abstract:
      "We discussed quokka logistics (QL) at length. Quokka logistics needs more trucks. Everyone agreed.",
  },
  {
    title: "Wombat Catering Plans",
    abstract: "Wombat catering plans were postponed. A quokka ate the menu. Nobody had cash.",
  },
]);

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
    expect(app.search("quokka logistics").hits[0]?.title).toBe("Meeting Notes on Quokka Logistics");
    expect(app.vocabulary.expansions("ql")).toEqual(["quokka logistics"]);

    const unmerged = app.db.prepare("SELECT value FROM meta WHERE key = 'index:unmerged-changes'");
    expect(unmerged.pluck().get()).toBe("0"); // merged after the first load
    expect(app.forget(path)).toEqual({ path, removed: 2, kept: 0 });
    // Their index rows are deleted marks until the next merge, which they count towards.
    expect(unmerged.pluck().get()).toBe("2");
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
    const { app, first, second } = pagesSharingAPaper();

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

  it("offers the path a file was ingested under when given its name alone, as /paper shows it", () => {
    const app = openApp();
    app.ingest([archiveDir], { now: () => ingestTime });
    const name = "001_d8c382fad536c030.txt";
    expect(thrownBy(() => app.forget(name)).message).toBe(
      `${name}: not a file of the archive; did you mean \`${join(archiveDir, name)}\`?`,
    );
    expect(paperCount(app)).toBe(archivePaperCount);
  });

  it("names a folder's files when given the folder `paperboy ingest` was given, taking none out", () => {
    const dir = tempDir();
    const names = ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "f.txt"];
    for (const name of names) {
      writeFileSync(
        join(dir, name),
        listingPage([
          { title: `Okapi Study ${name[0]}`, abstract: abstractAbout(`okapi ${name[0]}`) },
        ]),
      );
    }
    const app = openApp();
    app.ingest([dir], { now: () => ingestTime });
    const shown = names.slice(0, 5).map((name) => `\`${join(dir, name)}\``);
    expect(thrownBy(() => app.forget(`${dir}/`)).message).toBe(
      `${dir}/: a folder, not a file; name the files to take out (6 archive files in it): ${shown.join(", ")} and 1 more`,
    );
    expect(paperCount(app)).toBe(6);
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

  it("takes a file named twice, or spelt two ways, out once and succeeds", async () => {
    const { dir, path } = archiveWithNotes();
    const db = join(tempDir(), "paperboy.db");
    expect((await runCli(["ingest", "--db", db, dir])).code).toBe(0);
    const spelt = `${dir}/./notes.txt`; // join() would tidy it into the same spelling
    const run = await runCli(["forget", "--db", db, path, spelt, path]);
    expect(run).toEqual({
      code: 0,
      stdout: `${path}: 2 papers removed, 0 papers kept (other files have them too)\n`,
      stderr: "",
    });
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

  it("never gives a removed paper's id to another: roundups, menus and posted papers name ids", () => {
    const dir = tempDir();
    const page = (name: string, title: string) => {
      const path = join(dir, name);
      writeFileSync(path, listingPage([{ title, abstract: abstractAbout(title.toLowerCase()) }]));
      return path;
    };
    const app = openApp();
    app.ingest([page("a.txt", "Okapi Gait")], { now: () => ingestTime });
    const b = page("b.txt", "Tapir Snout Mechanics");
    app.ingest([b], { now: () => ingestTime });
    const removed = paperIdByTitle(app, "Tapir Snout Mechanics");
    app.forget(b);
    app.ingest([page("c.txt", "Pangolin Scale Armour")], { now: () => ingestTime });
    expect(paperIdByTitle(app, "Pangolin Scale Armour")).toBe(removed + 1);
  });

  it("leaves nothing of the file's words behind: no correction into a word no paper has", () => {
    const { app, path } = archiveWithNotes();
    // "quota" is a word of a paper of data/archive, as one slip from "quoka" as "quokka" is.
    const quoka = (to: string[]) => [{ from: "quoka", to }];
    expect(app.search("quoka logistics").corrections).toEqual(quoka(["quokka", "quota"]));
    app.forget(path);
    expect(app.search("quoka logistics").corrections).toEqual(quoka(["quota"]));
  });

  it("drops the roundup selection's shared searches, which held the papers it took out", () => {
    const dir = tempDir();
    const notesPath = join(dir, "notes.txt");
    writeFileSync(notesPath, notes);
    const app = openApp();
    app.ingest([notesPath], { now: () => ingestTime });
    // Newer papers after it: the highest id does not change when the notes go.
    app.ingest([archiveDir], { now: () => ingestTime });
    const window = { start: "2026-01-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" };
    const wanted = { topics: ["quokka logistics"], maxPapers: 5 };
    expect(app.selectRoundupPapers(wanted, window).papers.map((p) => p.title)).toEqual([
      "Meeting Notes on Quokka Logistics",
    ]);
    app.forget(notesPath);
    expect(app.selectRoundupPapers(wanted, window).papers).toEqual([]);
  });
});

describe("stats", () => {
  it("never write, so /stats never waits for another process's write lock", async () => {
    const path = join(tempDir(), "paperboy.db");
    const app = openApp(path);
    app.ingest([archiveDir], { now: () => ingestTime });
    app.db.prepare("DELETE FROM meta WHERE key = 'stats:index-size'").run(); // an older database
    app.db.pragma("busy_timeout = 20");
    const other = await writeElsewhere(path, { holdMs: 500 });
    expect(app.stats()).toMatchObject({ papers: archivePaperCount, vocabulary: 8782 });
    await other.done;
    // The next ingest measures it, even with nothing new.
    app.db.pragma("busy_timeout = 5000");
    app.ingest([archiveDir], { now: () => ingestTime });
    expect(app.db.prepare("SELECT 1 FROM meta WHERE key = 'stats:index-size'").get()).toBeTruthy();
  });
});

describe("a forgotten paper loaded again", () => {
  /** A JSON Lines file of papers given as [arXiv id or undefined, title]. */
  function jsonl(dir: string, name: string, papers: [string | undefined, string][]): string {
    const path = join(dir, name);
    const lines = papers.map(([id, title]) =>
      JSON.stringify({ ...(id && { id }), title, abstract: `All about ${title}.` }),
    );
    writeFileSync(path, `${lines.join("\n")}\n`);
    return path;
  }

  it("is known as sent to the channels it was sent to, if it is the same paper", () => {
    const dir = tempDir();
    const app = openApp();
    const first = jsonl(dir, "first.jsonl", [
      ["2401.00001", "Quokka Logistics at Scale"],
      [undefined, "Wombat Catering Plans"],
    ]);
    app.ingest([first], { now: () => ingestTime });
    const postedTo = app.db.prepare(
      `SELECT p.title FROM posted_papers pp JOIN papers p ON p.id = pp.paper_id
       WHERE pp.channel_id = ? ORDER BY p.title`,
    );
    app.db.exec(`INSERT INTO posted_papers (channel_id, paper_id, posted_at)
      SELECT 'c1', id, 'then' FROM papers`);
    app.forget(first);
    expect(postedTo.pluck().all("c1")).toEqual([]);

    // Same titles, another arXiv id: other papers, not yet sent. The title-only paper with an
    // id now, and the one with an id under its title alone, are the same papers as before.
    const second = jsonl(dir, "second.jsonl", [
      ["2401.00002", "Quokka Logistics at Scale"],
      ["2401.00003", "Wombat Catering Plans"],
    ]);
    app.ingest([second], { now: () => ingestTime });
    expect(postedTo.pluck().all("c1")).toEqual(["Wombat Catering Plans"]);

    const third = jsonl(dir, "third.jsonl", [["2401.00001", "Quokka Logistics at Scale"]]);
    app.ingest([third], { now: () => ingestTime });
    expect(postedTo.pluck().all("c1")).toEqual([
      "Quokka Logistics at Scale",
      "Wombat Catering Plans",
    ]);
    // Given back once: nothing is kept of them any more.
    expect(app.db.prepare("SELECT count(*) FROM forgotten_posts").pluck().get()).toBe(0);
  });
});
