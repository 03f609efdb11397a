import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { formatSummary } from "../src/cli/ingest.ts";
import { formatPaper } from "../src/cli/show.ts";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import { type IngestSummary, problemLines } from "../src/store/ingest.ts";
import { unmergedChangesKey } from "../src/store/meta.ts";
import type { Paper } from "../src/store/papers.ts";
import {
  abstractAbout,
  archiveDir,
  archivePages,
  archivePaperCount,
  arxivLine,
  arxivSample,
  at,
  copyOfArchive,
  distinctArchiveTitles,
  hfDailyEntry,
  ingestTime,
  kilobyteRecord,
  listingPage,
  openApp,
  openArchiveApp,
  pagesSharingAPaper,
  pageTitles,
  paperCount,
  paperIdByTitle,
  runCli,
  tempDir,
  writeElsewhere,
  writeLockProbe,
} from "./helpers.ts";

const later = new Date("2026-12-01T08:00:00Z");
const pagePath = (dir: string, page: string) => join(dir, page);
const sourcePaths = (app: Paperboy, id: number) => app.papers.sources(id).map((s) => s.path);
/** The b-trees (segments) of an FTS5 index, each of which a lookup reads. */
const segments = (app: Paperboy, table: string) =>
  app.db.prepare(`SELECT count(DISTINCT segid) FROM ${table}_idx`).pluck().get() as number;
const searchIds = (app: Paperboy, query: string) =>
  app.search(query, { limit: 100 }).hits.map((hit) => hit.id);

/** Every row of the tables ingest writes, to compare before and after. */
function snapshot(app: Paperboy) {
  const all = (sql: string) => app.db.prepare(sql).all();
  return {
    papers: all("SELECT * FROM papers ORDER BY id"),
    sources: all("SELECT * FROM sources ORDER BY id"),
    links: all("SELECT * FROM paper_sources ORDER BY paper_id, source_id"),
  };
}

/** Rewrites the lines of a saved listing page. */
function editPage(path: string, edit: (lines: string[]) => string[]): void {
  writeFileSync(path, edit(readFileSync(path, "utf8").split("\n")).join("\n"));
}

describe("a JSON Lines file too large to read whole (over 4 MiB)", () => {
  const records = 4000;
  const record = kilobyteRecord;
  /** The dump: a quokka paper first and again last, wombats in the last part only. */
  function writeDump(dir: string): string {
    const lines = Array.from({ length: records - 1 }, (_, i) =>
      record(i, i === 0 ? "quokka routing" : i >= records - 3 ? "wombatization" : `topic ${i}`),
    );
    lines.push(record(0, "quokka routing", { upvotes: 9 }));
    const path = join(dir, "dump.jsonl");
    writeFileSync(path, lines.join("\n"));
    return path;
  }

  it("is read and indexed a part at a time, and stored as one file", () => {
    const app = openApp();
    const indexed = app.db.prepare(
      "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'paper'",
    );
    const progress: { done: number; share: number; indexed: unknown }[] = [];
    const summary = app.ingest([writeDump(tempDir())], {
      onProgress: (event) => {
        if (event.kind !== "records") return;
        const { done, share } = event;
        progress.push({ done, share, indexed: indexed.pluck().get() });
      },
    });
    expect(summary).toMatchObject({ added: records - 1, duplicates: 1, warnings: 0 });
    expect(progress.length).toBeGreaterThan(1);
    // Each part's papers are in the index before the next part is read.
    for (const { done, indexed } of progress) expect(indexed).toBe(Math.min(done, records - 1));
    expect(progress.at(-1)).toMatchObject({ done: records, share: 1 });
    expect(progress.map((p) => p.share)).toEqual(progress.map((p) => p.share).sort());
    // The paper of the first part and of the last is one paper, indexed once, updated.
    const [quokka] = searchIds(app, "quokka");
    expect(searchIds(app, "quokka")).toHaveLength(1);
    expect(app.papers.get(quokka as number)?.upvotes).toBe(9);
    // Words of the last part are typo-corrected like any other.
    expect(app.search("wombatizaton").hits).toHaveLength(2);
    app.db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
  });

  it("leaves the index one b-tree after an ingest that changed a tenth of the archive, not a smaller one", () => {
    const app = openApp();
    const dir = tempDir();
    app.ingest([writeDump(dir)]);
    expect([segments(app, "papers_fts"), segments(app, "titles_fts")]).toEqual([1, 1]);
    writeFileSync(join(dir, "more.jsonl"), record(records, "echidna"));
    app.ingest([join(dir, "more.jsonl")]);
    expect([segments(app, "papers_fts"), segments(app, "titles_fts")]).toEqual([2, 2]);
    expect(searchIds(app, "echidna")).toHaveLength(1);
    app.db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')");
  });

  it("merges the index once the papers changed since its last merge add up to a tenth", () => {
    const app = openApp();
    const dir = tempDir();
    app.ingest([writeDump(dir)]);
    const unmerged = app.db.prepare("SELECT value FROM meta WHERE key = 'index:unmerged-changes'");
    expect(unmerged.pluck().get()).toBe("0");
    // Days of 150 new papers each, none of them a tenth of the archive alone.
    const day = (n: number) => {
      const path = join(dir, `day-${n}.jsonl`);
      const first = records + 150 * n;
      writeFileSync(
        path,
        Array.from({ length: 150 }, (_, i) => record(first + i, `day ${n}`)).join("\n"),
      );
      app.ingest([path]);
      return segments(app, "papers_fts");
    };
    expect([day(0), day(1)]).toEqual([2, 3]);
    expect(unmerged.pluck().get()).toBe("300");
    // 450 of 4,449 papers changed since: merged.
    expect(day(2)).toBe(1);
    expect(unmerged.pluck().get()).toBe("0");
  });

  it("keeps what it stored when there is room for the papers but not to merge the index", () => {
    const dir = tempDir();
    const base = join(dir, "base.db");
    const app = openPaperboy(base);
    app.ingest([writeDump(dir)]);
    app.close();
    const more = join(dir, "more.jsonl");
    const added = 500; // a tenth of the archive and more: the index is merged after
    writeFileSync(
      more,
      Array.from({ length: added }, (_, i) => record(records + i, "echidna")).join("\n"),
    );
    /** Ingests `more` into a copy of base.db with room for `pages` more pages at most. */
    const ingestWithRoom = (pages: number | undefined) => {
      const copy = join(dir, "copy.db");
      copyFileSync(base, copy);
      const app = openPaperboy(copy);
      const before = app.db.pragma("page_count", { simple: true }) as number;
      if (pages !== undefined) app.db.pragma(`max_page_count = ${before + pages}`);
      try {
        const summary = app.ingest([more]);
        return {
          added: summary.added,
          stored: paperCount(app) - records + 1,
          grew: (app.db.pragma("page_count", { simple: true }) as number) - before,
          segments: segments(app, "papers_fts"),
        };
      } catch (error) {
        return { threw: String(error), stored: paperCount(app) - records + 1 };
      } finally {
        app.close();
      }
    };
    const unlimited = ingestWithRoom(undefined);
    expect(unlimited).toMatchObject({ added, stored: added, segments: 1 });
    const outcomes = Array.from({ length: 16 }, (_, i) =>
      ingestWithRoom(Math.floor(((unlimited.grew as number) * i) / 16)),
    );
    // The file is stored whole, or fails whole (a full disk stops the run); never both.
    for (const outcome of outcomes) {
      if ("threw" in outcome) expect(outcome).toMatchObject({ threw: /full/, stored: 0 });
      else expect(outcome).toMatchObject({ added, stored: added });
    }
    // Room enough for the papers but not for the merge was among them.
    expect(outcomes.some((outcome) => (outcome.segments ?? 0) > 1)).toBe(true);
  });

  it("merges the index only when the disk has room for twice the index, for the WAL and the checkpoint", () => {
    // On a real disk a merge that fits in the WAL commits, and the checkpoint then cannot grow
    // the file: the index's figures, and every write after them, failed with SQLITE_FULL
    // (max_page_count, above, counts the pages written, not the WAL's).
    const dir = tempDir();
    const disk = { free: 0 };
    const app = openPaperboy(join(dir, "paperboy.db"), { diskFree: () => disk.free });
    try {
      expect(app.ingest([writeDump(dir)])).toMatchObject({ added: records - 1 });
      expect(segments(app, "papers_fts")).toBeGreaterThan(1);
      const index = app.db
        .prepare(
          "SELECT sum(pgsize) FROM dbstat WHERE name IN ('papers_fts_data', 'titles_fts_data')",
        )
        .pluck()
        .get() as number;
      const more = join(dir, "more.jsonl");
      writeFileSync(
        more,
        Array.from({ length: 500 }, (_, i) => record(records + i, "echidna")).join("\n"),
      );
      disk.free = 2 * index; // the index grows with the 500: still short of twice it
      expect(app.ingest([more])).toMatchObject({ added: 500 });
      expect(segments(app, "papers_fts")).toBeGreaterThan(1);
      disk.free = 10 * index;
      writeFileSync(
        more,
        Array.from({ length: 500 }, (_, i) => record(records + 500 + i, "numbat")).join("\n"),
      );
      expect(app.ingest([more])).toMatchObject({ added: 500 });
      expect([segments(app, "papers_fts"), segments(app, "titles_fts")]).toEqual([1, 1]);
      expect(searchIds(app, "echidna")).toHaveLength(100);
    } finally {
      app.close();
    }
  });

  it("keeps what it stored when another connection takes the lock before the merge", () => {
    const dir = tempDir();
    const path = join(dir, "paperboy.db");
    const other = new Database(path);
    onTestFinished(() => {
      other.close();
    });
    // Asked for the disk's room just before the merge, another process takes the write lock.
    const app = openPaperboy(path, {
      diskFree: () => {
        other.exec("BEGIN IMMEDIATE");
        return Number.POSITIVE_INFINITY;
      },
    });
    onTestFinished(() => {
      app.close();
    });
    app.db.pragma("busy_timeout = 10");
    expect(app.ingest([writeDump(dir)])).toMatchObject({ added: records - 1, filesFailed: 0 });
    other.exec("ROLLBACK");
    expect(segments(app, "papers_fts")).toBeGreaterThan(1);
    expect(searchIds(app, "quokka")).toHaveLength(1);
  });

  it("counts the acronyms of a paper changed in a later part once, by its last text", () => {
    const app = openApp();
    const path = writeDump(tempDir());
    // The first line defines one acronym, the line of the same paper in the last part another.
    const lines = readFileSync(path, "utf8").split("\n");
    const defining = (acronym: string) => (line: string) =>
      line.replace("We study quokka routing.", `We study quokka routing (${acronym}).`);
    lines[0] = defining("QR")(lines[0] as string);
    lines[lines.length - 1] = defining("QRT")(lines.at(-1) as string);
    writeFileSync(path, lines.join("\n"));
    app.ingest([path]);
    // As when the file was read whole: no row for the acronym it no longer defines.
    expect(app.db.prepare("SELECT acronym, expansion, count FROM acronyms").all()).toEqual([
      { acronym: "qrt", expansion: "quokka routing", count: 1 },
    ]);
  });

  it("has paperboy ingest say how far it is, in plain lines when not on a terminal", async () => {
    const path = writeDump(tempDir());
    const run = await runCli(["--db", join(tempDir(), "p.db"), "ingest", path]);
    expect(run.code).toBe(0);
    const [file, ...rest] = run.stderr.trimEnd().split("\n");
    expect(file).toBe(`[1/1] ${path}`);
    const summary = rest.pop();
    expect(summary).toMatch(/^files: 1 read/);
    // A line at each tenth reached before the end (the summary says the end).
    expect(rest.length).toBeGreaterThan(0);
    for (const line of rest) expect(line).toMatch(/dump\.jsonl: [\d,]+ records, [1-9]\d? %$/);
  });

  it("stops between parts when asked: the file being read is rolled back whole, those before it kept, and ingesting again goes on", () => {
    const app = openApp();
    const dir = tempDir();
    const page = join(dir, "page.txt");
    writeFileSync(page, listingPage([{ title: "Okapi Gaits", abstract: abstractAbout("okapis") }]));
    const dump = writeDump(dir);
    const next = join(dir, "next.jsonl");
    writeFileSync(next, record(records, "echidna"));
    let dumpParts = 0;
    const summary = app.ingest([page, dump, next], {
      onProgress: (event) => {
        if (event.kind === "records" && event.path === dump) dumpParts++;
      },
      // Asked before each part: the dump's first part is stored (in its transaction) first.
      stopRequested: () => dumpParts > 0,
    });
    expect(dumpParts).toBe(1);
    expect(summary.stopped).toEqual({ path: dump, notRead: 1 });
    expect(summary).toMatchObject({ filesRead: 1, filesFailed: 0, added: 1 });
    expect(summary.files.map((file) => file.path)).toEqual([page]);
    expect(app.db.prepare("SELECT path FROM sources").pluck().all()).toEqual([page]);
    expect(paperCount(app)).toBe(1);
    const matching = app.db.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?");
    expect(matching.pluck().get("quokka OR topic OR echidna")).toBe(0);
    // The page's paper is a tenth of the archive and more, but the index is merged (seconds at
    // 41k papers) by the next ingest, not by the one asked to stop.
    expect(app.meta.get(unmergedChangesKey)).toBe("1");

    const again = app.ingest([page, dump, next]);
    expect(again).toMatchObject({ filesRead: 3, filesUnchanged: 1, added: records });
    expect(again.stopped).toBeUndefined();
    expect(searchIds(app, "quokka")).toHaveLength(1);
    expect(app.meta.get(unmergedChangesKey)).toBe("0");
  });

  it("asked to stop once its last file is read whole, stores it and leaves the merge to the next ingest", () => {
    const app = openApp();
    const dir = tempDir();
    const dump = writeDump(dir);
    let read = false;
    const summary = app.ingest([dump], {
      // Ctrl-C as the last part is being written: nothing is left to stop but the merge.
      onProgress: (event) => {
        if (event.kind === "records" && event.share === 1) read = true;
      },
      stopRequested: () => read,
    });
    expect(summary.stopped).toBeUndefined();
    expect(summary.added).toBeGreaterThan(records / 2);
    // Every paper of the archive changed, but the merge (seconds at 41k papers) waits.
    expect(app.meta.get(unmergedChangesKey)).toBe(String(summary.added));
    expect(searchIds(app, "quokka")).toHaveLength(1);
  });

  it("leaves nothing in the search index when it fails half-way", () => {
    const app = openApp();
    const dir = tempDir();
    // The database fills up a few parts in: the file fails, and the transaction rolls back.
    const pages = app.db.pragma("page_count", { simple: true }) as number;
    app.db.pragma(`max_page_count = ${pages + 1500}`);
    expect(() => app.ingest([writeDump(dir)])).toThrow(/full/);
    app.db.pragma("max_page_count = 1073741823");
    expect(paperCount(app)).toBe(0);
    // The next file's papers take the ids the rolled-back papers had: none is indexed with
    // their text.
    writeFileSync(join(dir, "next.jsonl"), record(0, "echidna"));
    app.ingest([join(dir, "next.jsonl")]);
    const matching = app.db.prepare("SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?");
    expect(matching.pluck().get("quokka OR wombatization OR topic")).toBe(0);
    expect(searchIds(app, "echidna")).toHaveLength(1);
  });
});

describe("ingesting data/archive", () => {
  it("stores 337 distinct papers from the 381 entries of the 5 pages", () => {
    const app = openApp();
    const summary = app.ingest([archiveDir], { now: at(ingestTime) });
    expect(summary).toMatchObject({
      filesRead: 5,
      filesFailed: 0,
      filesUnchanged: 0,
      // Each paper counted once: one added by a page and merged again by another was added.
      added: archivePaperCount,
      updated: 0,
      unchanged: 0,
      duplicates: 381 - archivePaperCount,
      warnings: 0,
    });
    expect(summary.files.map((f) => [f.status, f.papers])).toEqual(
      archivePages.map((page) => ["ingested", pageTitles[page]?.length]),
    );
    expect(paperCount(app)).toBe(archivePaperCount);
    expect(app.stats()).toMatchObject({ papers: 337, sources: 5, pages: 5 });
  });

  it("adds no papers from a README saved beside the pages, and says it is no page", () => {
    const dir = copyOfArchive();
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    writeFileSync(join(dir, "README.txt"), readme);
    const app = openApp();
    const summary = app.ingest([dir], { now: at(ingestTime) });
    expect(summary).toMatchObject({ filesRead: 6, added: archivePaperCount, warnings: 1 });
    expect(problemLines(summary.files)).toEqual([
      expect.stringMatching(/README\.txt:1: not a saved Daily Papers page \(/u),
    ]);
    expect(paperCount(app)).toBe(archivePaperCount);
  });

  describe("what it stores", () => {
    let app: Paperboy;
    beforeAll(() => {
      app = openPaperboy(":memory:");
      app.ingest([archiveDir], { now: at(ingestTime) });
    });
    afterAll(() => app.close());

    it("loses no paper: every title of every page is stored once and cites that page", () => {
      const stored = app.db.prepare("SELECT title FROM papers").pluck().all();
      expect(new Set(stored)).toEqual(new Set(distinctArchiveTitles));
      for (const page of archivePages) {
        for (const title of pageTitles[page] ?? []) {
          expect(sourcePaths(app, paperIdByTitle(app, title)), title).toContain(
            pagePath(archiveDir, page),
          );
        }
      }
    });

    it("gives a paper listed on 4 pages its 4 sources, each with its line", () => {
      const id = paperIdByTitle(app, "Subgraph Permutation Equivariant Networks");
      expect(app.papers.sources(id)).toEqual([
        {
          path: pagePath(archiveDir, archivePages[0] as string),
          line: 143,
          pageDate: "2026-07-04",
        },
        { path: pagePath(archiveDir, archivePages[1] as string), line: 95, pageDate: "2026-03-11" },
        { path: pagePath(archiveDir, archivePages[3] as string), line: 53, pageDate: "2025-12-16" },
        { path: pagePath(archiveDir, archivePages[4] as string), line: 163, pageDate: null },
      ]);
    });

    it("keeps the author count, date and upvotes that one page gives, whatever the others lack", () => {
      const details = (title: string) => app.papers.get(paperIdByTitle(app, title));
      // Each is on pages without details too, some of them read after the detailed one.
      expect(details("Subgraph Permutation Equivariant Networks")).toMatchObject({
        authorsCount: 2,
        published: "2021-11-23",
        upvotes: null,
      });
      expect(
        details("SVDQunat: Absorbing Outliers by Low-Rank Components for 4-Bit Diffusion Models"),
      ).toMatchObject({ authorsCount: 10, published: "2024-11-07", upvotes: 3 });
      expect(
        details("Graph Mamba: Towards Learning on Graphs with State Space Models"),
      ).toMatchObject({ authorsCount: 2, published: "2024-02-13", upvotes: 1 });
    });

    it("records when each paper was first seen", () => {
      const firstSeen = app.db.prepare("SELECT DISTINCT first_seen FROM papers").pluck().all();
      expect(firstSeen).toEqual([ingestTime.toISOString()]);
    });
  });

  describe("dates shown without a year", () => {
    const page = pagePath(archiveDir, archivePages[3] as string); // "Dec 16", then "Dec 10 1", "Aug 25"…
    const datesWhen = (now: string) => {
      const app = openApp();
      app.ingest([page], { now: at(new Date(now)) });
      const published = (title: string) => app.papers.get(paperIdByTitle(app, title))?.published;
      return {
        page: app.papers.sources(1)[0]?.pageDate,
        dec10: published(
          "An Efficient Graph-Transformer Operator for Learning Physical Dynamics with Manifolds Embedding",
        ),
        aug25: published("Training Transformers for Mesh-Based Simulations"),
        withYear: published("Subgraph Permutation Equivariant Networks"),
      };
    };

    it("are the latest such day not after the page's date, itself not after `now`", () => {
      expect(datesWhen("2026-11-20T12:00:00Z")).toEqual({
        page: "2025-12-16",
        dec10: "2025-12-10",
        aug25: "2025-08-25",
        withYear: "2021-11-23",
      });
    });

    it("move with the injected `now`", () => {
      expect(datesWhen("2026-12-20T00:00:00Z")).toEqual({
        page: "2026-12-16",
        dec10: "2026-12-10",
        aug25: "2026-08-25",
        withYear: "2021-11-23",
      });
      // The last second of Dec 15 where the day ends last: "Dec 16" is nowhere yet.
      expect(datesWhen("2025-12-15T09:59:59Z")).toMatchObject({
        page: "2024-12-16",
        dec10: "2024-12-10",
      });
    });
  });
});

describe("first seen, beside another process", () => {
  it("is stamped once the file's transaction holds the write lock, not when reading began", () => {
    const path = join(tempDir(), "paperboy.db");
    const app = openApp(path);
    const lockHeld = writeLockProbe(path);
    const page = join(tempDir(), "page.txt");
    writeFileSync(page, listingPage([{ title: "Okapi Gait", abstract: abstractAbout("okapis") }]));
    const calls: { at: string; locked: boolean }[] = [];
    app.ingest([page], {
      now: () => {
        const at = new Date(Date.UTC(2026, 10, 20, 12, calls.length)).toISOString();
        calls.push({ at, locked: lockHeld() });
        return new Date(at);
      },
    });
    const stamped = app.papers.get(paperIdByTitle(app, "Okapi Gait"))?.firstSeen;
    expect(calls.find((call) => call.at === stamped)?.locked).toBe(true);
  });

  it("fails the file, naming it, when another process keeps the database locked", async () => {
    const path = join(tempDir(), "paperboy.db");
    const app = openApp(path);
    app.db.pragma("busy_timeout = 20"); // 5 s in use
    const page = join(tempDir(), "page.txt");
    writeFileSync(page, listingPage([{ title: "Okapi Gait", abstract: abstractAbout("okapis") }]));
    const other = await writeElsewhere(path, { holdMs: 1000 });
    const summary = app.ingest([page]);
    await other.done;
    expect(summary).toMatchObject({ filesFailed: 1, added: 0 });
    expect(problemLines(summary.files)).toEqual([
      `${page}: not stored: another process kept the database locked; ingest it again`,
    ]);
    expect(app.ingest([page])).toMatchObject({ filesFailed: 0, added: 1 });
  });
});

describe("ingesting again", () => {
  it("skips files whose bytes have not changed, writing nothing", () => {
    const app = openArchiveApp();
    const before = snapshot(app);
    const summary = app.ingest([archiveDir], { now: at(later) });
    expect(summary.files.map((f) => f.status)).toEqual(Array(5).fill("unchanged"));
    expect(summary).toMatchObject({ filesRead: 5, filesUnchanged: 5, added: 0, updated: 0 });
    expect(snapshot(app)).toEqual(before);
  });

  it("reads a file named twice, as spelt differently, once", () => {
    const app = openApp();
    const page = join(relative(process.cwd(), archiveDir), ".", archivePages[1] as string);
    const summary = app.ingest([archiveDir, `.${sep}${page}`, page], { now: at(ingestTime) });
    expect(summary.files.map((f) => f.path)).toEqual(
      archivePages.map((name) => pagePath(archiveDir, name)),
    );
    expect(summary).toMatchObject({ filesRead: 5, filesUnchanged: 0 });
  });

  describe("a changed file", () => {
    const page = archivePages[0] as string;
    const title = "Order-Preserving GFlowNets"; // listed on this page only
    const removedTitle = "NanoFlow: Towards Optimal Large Language Model Serving Throughput";

    it("updates the paper whose abstract changed, for search too, and nothing else", () => {
      const dir = copyOfArchive();
      const app = openApp();
      app.ingest([dir], { now: at(ingestTime) });
      const id = paperIdByTitle(app, title);
      expect(searchIds(app, "sparsifies")).toContain(id);
      const othersBefore = snapshot(app).papers.filter((p) => (p as { id: number }).id !== id);

      editPage(pagePath(dir, page), (lines) => {
        lines[lines.indexOf(title) + 2] = abstractAbout("quokkafication of flow networks");
        return lines;
      });
      const summary = app.ingest([dir], { now: at(later) });

      expect(summary.files.map((f) => f.status)).toEqual([
        "ingested",
        ...Array(4).fill("unchanged"),
      ]);
      expect(summary.files[0]).toMatchObject({ added: 0, updated: 1, unchanged: 51 });
      expect(app.papers.get(id)).toMatchObject({
        abstract: abstractAbout("quokkafication of flow networks"),
        firstSeen: ingestTime.toISOString(),
        updatedAt: later.toISOString(),
      });
      expect(searchIds(app, "quokkafication")).toEqual([id]);
      expect(searchIds(app, "sparsifies")).not.toContain(id);
      const othersAfter = snapshot(app).papers.filter((p) => (p as { id: number }).id !== id);
      expect(othersAfter).toEqual(othersBefore);
    });

    it("keeps a paper that left the file, citing it still when no other file has it, so forget takes it out", () => {
      const dir = copyOfArchive();
      const app = openApp();
      app.ingest([dir], { now: at(ingestTime) });
      const id = paperIdByTitle(app, removedTitle);
      expect(sourcePaths(app, id)).toEqual([pagePath(dir, page)]);

      editPage(pagePath(dir, page), (lines) => {
        const index = lines.indexOf(removedTitle);
        return [...lines.slice(0, index), ...lines.slice(index + 4)]; // title, abstract, blank lines
      });
      const summary = app.ingest([dir], { now: at(later) });

      expect(summary.files[0]).toMatchObject({ status: "ingested", papers: 51 });
      expect(paperCount(app)).toBe(archivePaperCount);
      expect(app.papers.get(id)?.title).toBe(removedTitle);
      expect(sourcePaths(app, id)).toEqual([pagePath(dir, page)]);
      expect(searchIds(app, "NanoFlow")).toContain(id);

      // Cited by no file, no command could take it out.
      expect(app.forget(pagePath(dir, page))).toMatchObject({ removed: expect.any(Number) });
      expect(app.papers.get(id)).toBeUndefined();
    });

    it("cites a paper that moved to another file by that file alone, so forget of it takes it out", () => {
      const dir = tempDir();
      const paper = (animal: string) => ({
        title: `${animal} Gaits`,
        abstract: abstractAbout(animal),
      });
      const [okapi, tapir, numbat] = [paper("Okapi"), paper("Tapir"), paper("Numbat")];
      const [first, second] = [join(dir, "first.txt"), join(dir, "second.txt")];
      const app = openApp();
      writeFileSync(first, listingPage([okapi, tapir]));
      app.ingest([first], { now: at(ingestTime) });
      // Taken out of the only file that has it: the file keeps it, as no longer in it.
      writeFileSync(first, listingPage([tapir]));
      app.ingest([first], { now: at(later) });
      const id = paperIdByTitle(app, okapi.title);
      expect(app.papers.sources(id)).toMatchObject([{ path: first, line: 0 }]);
      expect(formatPaper(app, app.papers.get(id) as Paper)).toContain(`${first} (no longer in it)`);

      writeFileSync(second, listingPage([numbat, okapi]));
      expect(app.ingest([second], { now: at(later) }).duplicates).toBe(0);
      expect(sourcePaths(app, id)).toEqual([second]);
      expect(app.forget(second)).toEqual({ path: second, removed: 2, kept: 0 });
      expect(app.papers.get(id)).toBeUndefined();
    });

    it("counts a paper it has twice, as it was, as unchanged, though its records set it each their way", () => {
      // A dump with a paper's arXiv record and its venue record (no arXiv id), as the 41k corpus
      // has 134 of: read again, the first sets the date its way and the second back.
      const dump = join(tempDir(), "dump.jsonl");
      const limo = { title: "LIMO: Less is More for Reasoning", abstract: abstractAbout("limo") };
      const arxiv = arxivLine({ ...limo, id: "2502.03387", update_date: "2025-02-05" });
      const venue = arxivLine({ ...limo, id: "colm-2025-T2TZ", update_date: "2025-07-07" });
      const other = (topic: string) =>
        arxivLine({ id: "2502.00001", title: "Quokka Gaits", abstract: abstractAbout(topic) });
      const app = openApp();
      writeFileSync(dump, [arxiv, venue, other("quokkas")].join("\n"));
      app.ingest([dump], { now: at(ingestTime) });
      const before = app.papers.lookup("2502.03387");

      writeFileSync(dump, [arxiv, venue, other("quokka gaits")].join("\n"));
      const summary = app.ingest([dump], { now: at(later) });

      expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
      expect(summary.files[0]).toMatchObject({ updated: 1, unchanged: 1, duplicates: 1 });
      expect(app.papers.lookup("2502.03387")).toEqual(before);

      // Changed for real, it is updated, however many records it has.
      const revised = arxivLine({ ...limo, id: "2502.03387", abstract: abstractAbout("limo v2") });
      writeFileSync(dump, [revised, venue, other("quokka gaits")].join("\n"));
      expect(app.ingest([dump], { now: at(later) })).toMatchObject({ updated: 1, unchanged: 1 });
      expect(app.papers.lookup("2502.03387")?.updatedAt).toBe(later.toISOString());
    });

    it("keeps a paper's venue once known, and counts a changed venue as an update", () => {
      const dir = tempDir();
      const [dump, snapshot] = [join(dir, "neurips.jsonl"), join(dir, "snapshot.jsonl")];
      const attention = {
        id: "1706.03762",
        title: "Attention Is All You Need",
        abstract: abstractAbout("attention"),
        update_date: "2017-01-01",
      };
      const app = openApp();
      writeFileSync(dump, arxivLine({ ...attention, venue: "NIPS 2017" }));
      app.ingest([dump], { now: at(ingestTime) });
      expect(app.papers.lookup("1706.03762")?.venue).toBe("NIPS 2017");

      // A source that names no venue keeps the one known: nothing of the paper changed.
      writeFileSync(snapshot, arxivLine(attention));
      expect(app.ingest([snapshot], { now: at(later) })).toMatchObject({
        updated: 0,
        unchanged: 1,
      });
      expect(app.papers.lookup("1706.03762")).toMatchObject({
        venue: "NIPS 2017",
        updatedAt: ingestTime.toISOString(),
      });

      // One that names another updates it.
      writeFileSync(snapshot, arxivLine({ ...attention, "journal-ref": "NeurIPS 2017" }));
      expect(app.ingest([snapshot], { now: at(later) })).toMatchObject({
        updated: 1,
        unchanged: 0,
      });
      expect(app.papers.lookup("1706.03762")).toMatchObject({
        venue: "NeurIPS 2017",
        updatedAt: later.toISOString(),
      });
    });

    it("reads a JSON file stored before papers had venues again, for its venues, and only once", () => {
      const dir = tempDir();
      const dump = join(dir, "neurips.jsonl");
      writeFileSync(
        dump,
        arxivLine({
          title: "Attention Is All You Need",
          abstract: abstractAbout("attention"),
          venue: "NIPS 2017",
        }),
      );
      writeFileSync(
        join(dir, "page.txt"),
        listingPage([{ title: "Quokka Gaits", abstract: abstractAbout("quokkas") }]),
      );
      const path = join(dir, "paperboy.db");
      const before = openApp(path);
      before.ingest([dir], { now: at(ingestTime) });
      before.close();
      // The database as schema version 9 left it: no venue column, the files as read then.
      const old = new Database(path);
      old.exec(
        "DROP TABLE forgotten_posts; ALTER TABLE papers DROP COLUMN venue; PRAGMA user_version = 9",
      );
      old.close();

      const app = openApp(path);
      onTestFinished(() => {
        app.close();
      });
      const summary = app.ingest([dir], { now: at(later) });
      expect(summary.files.map((file) => [relative(dir, file.path), file.status])).toEqual([
        ["neurips.jsonl", "ingested"],
        ["page.txt", "unchanged"], // a listing page names no venue
      ]);
      expect(summary).toMatchObject({ added: 0, updated: 1 });
      expect(app.papers.get(paperIdByTitle(app, "Attention Is All You Need"))?.venue).toBe(
        "NIPS 2017",
      );
      expect(app.ingest([dir], { now: at(later) }).files.map((file) => file.status)).toEqual([
        "unchanged",
        "unchanged",
      ]);
    });

    it("stops citing the file for a paper that left it and another file has", () => {
      const { app, dir, first, second, shared, only } = pagesSharingAPaper();
      writeFileSync(first, listingPage([only]));
      app.ingest([dir], { now: at(later) });
      expect(sourcePaths(app, paperIdByTitle(app, shared.title))).toEqual([second]);
      expect(sourcePaths(app, paperIdByTitle(app, only.title))).toEqual([first]);
    });
  });
});

describe("bulk import", () => {
  const diphoton =
    "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies";

  function expectArxivSample(app: Paperboy, summary: IngestSummary): void {
    expect(summary).toMatchObject({ filesRead: 1, added: 10, warnings: 0 });
    expect(paperCount(app)).toBe(10);
    expect(app.papers.lookup("0704.0001")).toMatchObject({
      title: diphoton, // "…at Tevatron and\n  LHC energies" in the dump
      authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
      authorsCount: 4,
      published: "2008-11-26",
    });
    expect(app.papers.lookup("0704.0001")?.abstract).toMatch(/^A fully differential .* events\.$/);
    expect(app.search("prompt diphoton production", { limit: 1 }).hits[0]?.title).toBe(diphoton);
  }

  it("reads the arXiv metadata snapshot (.jsonl)", () => {
    const app = openApp();
    expectArxivSample(app, app.ingest([arxivSample], { now: at(ingestTime) }));
  });

  it("reads it gzipped (.jsonl.gz)", () => {
    const path = join(tempDir(), "arxiv.jsonl.gz");
    writeFileSync(path, gzipSync(readFileSync(arxivSample)));
    const app = openApp();
    const summary = app.ingest([path], { now: at(ingestTime) });
    expectArxivSample(app, summary);
    expect(app.db.prepare("SELECT format FROM sources").pluck().get()).toBe("jsonl");
  });

  it("reads the Hugging Face daily papers API (.json)", () => {
    const path = join(tempDir(), "daily.json");
    const entry = {
      id: "2502.00094",
      title: "Wombat Scheduling for Burrow Networks",
      summary: abstractAbout("wombat scheduling"),
      authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
      publishedAt: "2025-02-03T17:59:59.000Z",
      upvotes: 42,
    };
    writeFileSync(path, JSON.stringify([hfDailyEntry(entry)], null, 2));
    const app = openApp();
    expect(app.ingest([path], { now: at(ingestTime) })).toMatchObject({ added: 1, warnings: 0 });
    expect(app.papers.lookup("2502.00094")).toMatchObject({
      title: entry.title,
      abstract: entry.summary,
      authors: "Ada Lovelace, Alan Turing, Grace Hopper",
      authorsCount: 3,
      published: "2025-02-03",
      upvotes: 42,
    });
    expect(app.db.prepare("SELECT format FROM sources").pluck().get()).toBe("hf-json");
  });

  describe("the same paper from a page (no id) and from a dump (with its arXiv id)", () => {
    const title = "Benchmarking Graph Neural Networks";
    const dumpAbstract = abstractAbout("benchmarks for graph neural networks, as in the dump");

    // Wrapped as arXiv wraps long titles: the same title once white space is normalised.
    function dump(dumpTitle = "Benchmarking Graph\n  Neural Networks"): string {
      const path = join(tempDir(), "dump.jsonl");
      const line = arxivLine({ id: "2003.00982v5", title: dumpTitle, abstract: dumpAbstract });
      writeFileSync(path, `${line}\n`);
      return path;
    }

    const expectOnePaper = (app: Paperboy) => {
      expect(paperCount(app)).toBe(archivePaperCount);
      const paper = app.papers.lookup("2003.00982");
      expect(paper).toMatchObject({ title, abstract: dumpAbstract });
      const pages = archivePages.filter((page) => pageTitles[page]?.includes(title));
      expect(pages).toHaveLength(3);
      expect(app.papers.sources(paper?.id as number)).toHaveLength(pages.length + 1);
    };

    it("becomes one paper carrying the arXiv id, pages first", () => {
      const app = openArchiveApp();
      const summary = app.ingest([dump()], { now: at(later) });
      expect(summary).toMatchObject({ added: 0, updated: 1, duplicates: 1 });
      expectOnePaper(app);
    });

    it("becomes one paper carrying the arXiv id, dump first", () => {
      const app = openApp();
      app.ingest([dump()], { now: at(ingestTime) });
      app.ingest([archiveDir], { now: at(ingestTime) });
      expectOnePaper(app);
    });

    it("becomes one paper though the dump's title has invisible characters", () => {
      // A soft hyphen and a zero-width space, as text copied from a web page has them.
      const app = openArchiveApp();
      const invisible = "Bench\u00admarking Graph Neural\u200b Networks";
      expect(app.ingest([dump(invisible)], { now: at(later) })).toMatchObject({ added: 0 });
      expectOnePaper(app);
    });
  });

  it("keeps two papers with the same title but different arXiv ids apart", () => {
    const path = join(tempDir(), "namesakes.jsonl");
    const namesake = (id: string, topic: string) =>
      arxivLine({ id, title: "On Learning", abstract: abstractAbout(topic) });
    writeFileSync(
      path,
      `${namesake("2101.00001", "tapirs")}\n${namesake("2101.00002", "okapis")}\n`,
    );
    const app = openApp();
    expect(app.ingest([path], { now: at(ingestTime) })).toMatchObject({ added: 2 });
    expect(app.papers.lookup("2101.00001")?.abstract).toContain("tapirs");
    expect(app.papers.lookup("2101.00002")?.abstract).toContain("okapis");
  });
});

describe("the search index after a file", () => {
  const searchIds = (app: Paperboy, query: string) =>
    app.search(query, { limit: 100 }).hits.map((hit) => hit.id);

  it("holds a paper listed twice in one file, text changed between, as its last text", () => {
    const path = join(tempDir(), "twice.jsonl");
    const twice = (topic: string) =>
      arxivLine({ id: "2501.01234", title: "Tapir Gait Analysis", abstract: abstractAbout(topic) });
    writeFileSync(path, `${twice("tapirbleeps")}\n${twice("tapirhoots")}\n`);
    const app = openApp();
    expect(app.ingest([path], { now: at(ingestTime) })).toMatchObject({
      added: 1,
      updated: 0,
      duplicates: 1,
    });
    const id = app.papers.lookup("2501.01234")?.id;
    expect(searchIds(app, "tapirhoots")).toEqual([id]);
    expect(searchIds(app, "tapirbleeps")).toEqual([]);
    expect(app.suggestTitles("tapir gai").map((s) => s.id)).toEqual([id]);
  });

  it("replaces a stored paper's text changed twice in one file", () => {
    const path = join(tempDir(), "stored.jsonl");
    const line = (topic: string) =>
      arxivLine({ id: "2501.04321", title: "Okapi Stripe Codes", abstract: abstractAbout(topic) });
    writeFileSync(path, `${line("okapifirsts")}\n`);
    const app = openApp();
    app.ingest([path], { now: at(ingestTime) });
    writeFileSync(path, `${line("okapiseconds")}\n${line("okapithirds")}\n`);
    expect(app.ingest([path], { now: at(later) })).toMatchObject({
      updated: 1,
      unchanged: 0,
      duplicates: 1,
    });
    const id = app.papers.lookup("2501.04321")?.id;
    expect(searchIds(app, "okapithirds")).toEqual([id]);
    expect(searchIds(app, "okapifirsts okapiseconds")).toEqual([]);
  });

  it("corrects typos into words that only a later file made common enough", () => {
    const app = openArchiveApp();
    expect(app.search("wombta burrows").corrections).toEqual([]);
    const path = join(tempDir(), "wombats.jsonl");
    const wombat = (id: string, title: string) =>
      arxivLine({ id, title, abstract: abstractAbout(`wombat ${title.toLowerCase()}`) });
    writeFileSync(
      path,
      `${wombat("2502.00001", "Wombat Burrows")}\n${wombat("2502.00002", "Wombat Diets")}\n`,
    );
    app.ingest([path], { now: at(later) });
    expect(app.search("wombta burrows").corrections).toEqual([{ from: "wombta", to: ["wombat"] }]);
    expect(app.suggestTitles("wombta di")[0]?.title).toBe("Wombat Diets");
  });

  it("is seen by another connection to the same database, whatever it had answered", async () => {
    const dbPath = join(tempDir(), "paperboy.db");
    const reader = openApp(dbPath);
    reader.ingest([archiveDir], { now: at(ingestTime) });
    expect(reader.search("numbatic foraging").hits).toEqual([]);
    const writer = openApp(dbPath);
    const path = join(tempDir(), "numbats.jsonl");
    writeFileSync(
      path,
      `${arxivLine({ id: "2503.00001", title: "Numbatic Foraging", abstract: abstractAbout("numbatic foraging") })}\n`,
    );
    writer.ingest([path], { now: at(later) });
    // In its next run: another connection's commits are looked for once per synchronous run
    // of the engine, as a search or a suggestion is (each interaction, each thread request).
    await new Promise(setImmediate);
    expect(reader.search("numbatic foraging").hits[0]?.title).toBe("Numbatic Foraging");
    expect(reader.suggestTitles("numbatic fo")[0]?.title).toBe("Numbatic Foraging");
  });
});

describe("bad input loses nothing", () => {
  const good = {
    windows: "Pangolin Scale Networks from a Windows Save",
    beforeCut: "Quokka Smiles at Scale",
    huge: "Axolotl Regeneration with Ten Megabytes of Abstract",
    jsonFirst: "Narwhal Tusk Sensing",
    jsonLast: "Okapi Stripe Transformers",
  };
  const cutTitle = "A Title Whose Abstract Was Never Saved";

  /** A folder of files that are bad in every way we know, each with its expected warning. */
  function writeBadFolder(dir: string, { unreadable }: { unreadable: boolean }) {
    mkdirSync(dir, { recursive: true });
    const write = (name: string, content: string | Buffer) =>
      writeFileSync(join(dir, name), content);
    if (unreadable) {
      const latin1 = listingPage([{ title: "Café Networks", abstract: abstractAbout("cafés") }]);
      write("latin1.txt", Buffer.from(latin1, "latin1"));
      write(
        "binary.txt",
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      );
    }
    write("empty.txt", "");
    write("no-papers.txt", listingPage([]));
    write(
      "truncated.txt",
      listingPage([{ title: good.beforeCut, abstract: abstractAbout("quokka smiles") }]) + cutTitle,
    );
    write(
      "windows.txt",
      `\uFEFF${listingPage([{ title: good.windows, abstract: abstractAbout("pangolin scales") }], { eol: "\r\n" })}`,
    );
    const filler = " Padding sentence for a very long abstract.".repeat(240_000);
    write(
      "huge.jsonl",
      arxivLine({
        id: "2501.99999",
        title: good.huge,
        abstract: abstractAbout("axolotl regeneration") + filler,
      }),
    );
    write(
      "mixed.jsonl",
      [
        arxivLine({
          id: "2501.00001",
          title: good.jsonFirst,
          abstract: abstractAbout("narwhal tusks"),
        }),
        '{"id": "2501.00002", "title": "A line cut sho',
        arxivLine({ id: "2501.00003", abstract: abstractAbout("nameless things") }),
        arxivLine({ id: "2501.00004", title: "Abstractless" }),
        arxivLine({
          id: "2501.00005",
          title: good.jsonLast,
          abstract: abstractAbout("okapi stripes"),
        }),
      ].join("\n"),
    );
  }

  /** Where each warning should point, in summary order (files by name), and what it should say. */
  const expectedWarnings: [file: string, line: number, says: RegExp][] = [
    ["binary.txt", 3, /binary|NUL/],
    ["empty.txt", 1, /empty/],
    // The one record, loaded: its abstract of 10 MB said to be more than any abstract's.
    ["huge.jsonl", 1, /abstract of 10,\d{3},\d{3} characters.*loaded/],
    ["latin1.txt", 11, /UTF-8/], // "Café Networks"
    ["mixed.jsonl", 2, /JSON/],
    ["mixed.jsonl", 3, /no title/],
    ["mixed.jsonl", 4, /no abstract/],
    ["no-papers.txt", 1, /no papers/],
    ["truncated.txt", 14, /no abstract/],
  ];

  const dir = tempDir();
  let app: Paperboy;
  let before: ReturnType<typeof snapshot>;
  let summary: IngestSummary;
  beforeAll(() => {
    writeBadFolder(dir, { unreadable: true });
    app = openPaperboy(":memory:");
    app.ingest([archiveDir], { now: at(ingestTime) });
    before = snapshot(app);
    summary = app.ingest([dir], { now: at(later) });
  });
  afterAll(() => app.close());

  it("reads every file it can and reports the two it cannot", () => {
    expect(summary.files.map((f) => [f.path.slice(dir.length + 1), f.status])).toEqual([
      ["binary.txt", "failed"],
      ["empty.txt", "ingested"],
      ["huge.jsonl", "ingested"],
      ["latin1.txt", "failed"],
      ["mixed.jsonl", "ingested"],
      ["no-papers.txt", "ingested"],
      ["truncated.txt", "ingested"],
      ["windows.txt", "ingested"],
    ]);
    expect(summary).toMatchObject({ filesRead: 6, filesFailed: 2, added: 5, updated: 0 });
  });

  it("lists every problem as file:line: message, then one summary line", () => {
    const lines = formatSummary(summary).trimEnd().split("\n");
    const problems = lines.slice(0, -1);
    expect(problems).toHaveLength(expectedWarnings.length);
    problems.forEach((line, i) => {
      const [file, number, says] = expectedWarnings[i] as (typeof expectedWarnings)[number];
      expect(line.startsWith(`${join(dir, file)}:${number}: `), line).toBe(true);
      expect(line).toMatch(says);
      expect(line.length, "a warning quotes a few words, not the file").toBeLessThan(300);
    });
    expect(lines.at(-1)).toBe(
      "files: 6 read (0 unchanged), 2 failed · papers: 5 added, 0 updated, 0 unchanged · " +
        "0 duplicates merged · 7 warnings",
    );
    const one = { ...summary, files: [], duplicates: 1, warnings: 1 };
    expect(formatSummary(one)).toMatch(/ · 1 duplicate merged · 1 warning\n$/);
    // The 41k corpus ingested again from another path: one style of number in the line.
    const again = {
      ...summary,
      ...{ files: [], filesRead: 1, filesFailed: 0, added: 0, updated: 0 },
      ...{ unchanged: 41393, duplicates: 41534, warnings: 0 },
    };
    expect(formatSummary(again)).toBe(
      "files: 1 read (0 unchanged), 0 failed · papers: 0 added, 0 updated, 41,393 unchanged · " +
        "41,534 duplicates merged · 0 warnings\n",
    );
  });

  it("counts a page with no papers as no Daily Papers page in the stats", () => {
    // The archive's 5 pages, windows.txt and truncated.txt; not empty.txt nor no-papers.txt.
    expect(app.stats()).toMatchObject({ sources: 5 + 6, pages: 5 + 2 });
  });

  it("loads the good records of the bad files", () => {
    for (const title of Object.values(good)) {
      const id = paperIdByTitle(app, title);
      expect(app.papers.get(id)?.abstract, title).toMatch(/^We study .*Code is public\./);
    }
    expect(app.search("pangolin scales").hits[0]?.title).toBe(good.windows);
    expect(app.search("axolotl regeneration").hits[0]?.title).toBe(good.huge);
    expect(app.papers.lookup("2501.99999")?.abstract.length).toBeGreaterThan(10_000_000);
  });

  it("reads a CRLF page with a byte order mark as cleanly as any other", () => {
    const paper = app.papers.get(paperIdByTitle(app, good.windows));
    expect(paper?.abstract).toBe(abstractAbout("pangolin scales"));
    expect(
      app.db.prepare("SELECT page_date FROM sources WHERE path LIKE '%windows.txt'").pluck().get(),
    ).toBe("2026-03-11");
  });

  it("leaves the 337 papers already stored exactly as they were", () => {
    const after = snapshot(app);
    expect(paperCount(app)).toBe(archivePaperCount + 5);
    expect(after.papers.slice(0, archivePaperCount)).toEqual(before.papers);
    expect(after.sources.slice(0, 5)).toEqual(before.sources);
    expect(after.links.filter((l) => (l as { source_id: number }).source_id <= 5)).toEqual(
      before.links,
    );
  });

  it("fails a file too large to read, naming it, and loads the others", () => {
    const big = join(tempDir(), "huge.jsonl.gz");
    writeFileSync(
      big,
      gzipSync(`${arxivLine({ id: "2501.77777", title: "T", abstract: "A" })}\n`.repeat(500)),
    );
    // The real limit is hundreds of megabytes; the mechanism is the same with a small one.
    const result = openApp().ingest([big, arxivSample], {
      now: at(later),
      maxTextBytes: 64 * 1024,
    });
    expect(result.files.map((f) => [f.path, f.status])).toEqual([
      [big, "failed"],
      [arxivSample, "ingested"],
    ]);
    expect(result).toMatchObject({ filesFailed: 1, added: 10 });
    const [problem, summaryLine] = formatSummary(result).trimEnd().split("\n");
    expect(problem).toMatch(
      new RegExp(`^${big}: too large: more than 64\\.0 KiB of text; split it`),
    );
    expect(summaryLine).toMatch(/^files: 1 read \(0 unchanged\), 1 failed · papers: 10 added/);
  });

  it("names each file in its problems as it was given, failed or not", () => {
    const given = relative(process.cwd(), dir);
    const lines = problemLines(openApp().ingest([given], { now: at(later) }).files);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.startsWith(`${given}${sep}`), line).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/latin1\.txt:11: not UTF-8/));
    expect(lines).toContainEqual(expect.stringMatching(/mixed\.jsonl:2: not valid JSON/));
  });

  it("makes a path that does not exist one failed file, not an error", () => {
    const missing = join(dir, "no-such-folder");
    const result = app.ingest([missing, join(dir, "windows.txt")], { now: at(later) });
    expect(result.files.map((f) => [f.path, f.status])).toEqual([
      [missing, "failed"],
      [join(dir, "windows.txt"), "unchanged"],
    ]);
    expect(formatSummary(result).startsWith(`${missing}: no such file or folder\n`)).toBe(true);
  });

  it("names a folder that holds no archive file, which would load nothing unsaid", () => {
    const empty = join(tempDir(), "notes");
    mkdirSync(join(empty, "older"), { recursive: true });
    writeFileSync(join(empty, "readme.md"), "papers go here");
    writeFileSync(join(empty, "older", "page.txt"), listingPage([]));
    const result = app.ingest([empty, archiveDir], { now: at(later) });
    expect(result.emptyFolders).toEqual([empty]);
    expect(formatSummary(result).split("\n")[0]).toBe(
      `${empty}: no archive files (.txt, .json, .jsonl, or one of them .gz) in this folder (subfolders are not read)`,
    );
    expect(app.ingest([archiveDir], { now: at(later) }).emptyFolders).toEqual([]);
  });

  /** A JSON Lines file of `count` papers, dump.jsonl in `folder`. */
  function writePapers(folder: string, count: number): void {
    const records = Array.from({ length: count }, (_, i) =>
      arxivLine({ title: `Paper ${i}`, abstract: abstractAbout(`topic ${i}`) }),
    );
    writeFileSync(join(folder, "dump.jsonl"), records.join("\n"));
  }

  /**
   * What `paperboy ingest <folder>` shows on a terminal `columns` wide: each update starts by
   * going back to the start of the line; the last is the summary, left out.
   */
  async function progressOnTerminal(folder: string, columns: number): Promise<string[]> {
    const stderr = Object.assign(new PassThrough(), { isTTY: true, columns });
    let written = "";
    stderr.on("data", (chunk) => {
      written += chunk;
    });
    const { main } = await import("../src/cli/main.ts");
    const io = { stdout: new PassThrough(), stderr, stdin: Readable.from([]) };
    expect(await main(["--db", join(tempDir(), "p.db"), "ingest", folder], io)).toBe(0);
    return written.split("\r\x1b[K").slice(1, -1);
  }

  it("keeps its progress line on a terminal within the terminal's width, to overwrite it", async () => {
    // Chinese characters take two columns each: a line measured in UTF-16 units still wrapped.
    const folder = join(
      tempDir(),
      "a-folder-whose-name-is-wider-than-a-narrow-terminal-扩散模型论文",
    );
    mkdirSync(folder);
    writePapers(folder, 2500);
    const updates = await progressOnTerminal(folder, 60);
    expect(updates).toEqual([
      expect.stringMatching(/^…\S*-扩散模型论文\/dump\.jsonl$/u),
      expect.stringMatching(/^…\S*\/dump\.jsonl: 2,500 records, 100 %$/u),
    ]);
    const columns = (text: string) =>
      [...text].reduce((sum, char) => sum + (/\p{Script=Han}/u.test(char) ? 2 : 1), 0);
    for (const update of updates) expect(columns(update)).toBeLessThan(60);
  });

  it("shows its progress line on a terminal of no known size (0 columns) as on one of 80", async () => {
    const folder = tempDir();
    writePapers(folder, 1);
    expect(await progressOnTerminal(folder, 0)).toEqual([
      expect.stringMatching(/dump\.jsonl$/u),
      expect.stringMatching(/dump\.jsonl: 1 record, 100 %$/u),
    ]);
  });

  describe("the ingest command's exit code", () => {
    const ingestInto = async (folder: string) =>
      runCli(["--db", join(tempDir(), "paperboy.db"), "ingest", archiveDir, folder]);

    it("is 1 when a file could not be read at all", async () => {
      const run = await ingestInto(dir);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("2 failed");
    });

    it("is 0 when files only had warnings", async () => {
      const readable = join(tempDir(), "readable");
      writeBadFolder(readable, { unreadable: false });
      const run = await ingestInto(readable);
      expect(run.stderr).toContain("0 failed");
      expect(run.stderr).toMatch(/· 7 warnings\n$/);
      expect(run.code).toBe(0);
    });
  });
});
