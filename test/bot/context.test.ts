import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createBotContext } from "../../src/bot/context.ts";
import { realClock } from "../../src/bot/types.ts";
import { openPaperboy, type Paperboy } from "../../src/paperboy.ts";
import { abstractAbout, archiveDir, at, ingestTime, openApp, tempDir } from "../helpers.ts";

const port = {
  serves: () => true,
  checkChannel: async () => ({ ok: true }) as const,
  send: async () => "1",
  tellStopped: async () => {},
};
const contextOf = (app: Paperboy) =>
  createBotContext({
    app,
    clock: realClock,
    log: pino({ level: "silent" }),
    port,
    searchThreads: 0,
  });

/** A JSONL file with one paper, newer than every paper of data/archive. */
function newPaper(dir: string, title: string, published: string): string {
  const file = join(dir, `${title.replaceAll(" ", "-")}.jsonl`);
  const paper = { id: "2612.00001", title, abstract: abstractAbout(title.toLowerCase()) };
  writeFileSync(file, `${JSON.stringify({ ...paper, authors: "A. B", update_date: published })}\n`);
  return file;
}

describe("recentPapers", () => {
  it("answers app.papers.recent, and again without asking while nothing changed", () => {
    const app = openApp();
    app.ingest([archiveDir], { now: at(ingestTime) });
    const context = contextOf(app);
    const first = context.recentPapers(25);
    expect(first).toEqual(app.papers.recent(25));
    expect(context.recentPapers(25)).toBe(first);
    expect(context.recentPapers(5)).toEqual(app.papers.recent(5));
  });

  it("sees papers this connection adds", () => {
    const app = openApp();
    app.ingest([archiveDir], { now: at(ingestTime) });
    const context = contextOf(app);
    const before = context.recentPapers(25);
    app.ingest([newPaper(tempDir(), "Zorbling Quaxification", "2026-12-01")], {
      now: at(ingestTime),
    });
    const after = context.recentPapers(25);
    expect(after).not.toEqual(before);
    expect(after).toEqual(app.papers.recent(25));
    expect(after[0]?.title).toBe("Zorbling Quaxification");
  });

  it("sees papers another connection adds", () => {
    const dir = tempDir();
    const path = join(dir, "paperboy.db");
    const app = openApp(path);
    app.ingest([archiveDir], { now: at(ingestTime) });
    const context = contextOf(app);
    const before = context.recentPapers(25);
    const other = openPaperboy(path);
    try {
      other.ingest([newPaper(dir, "Quorbly Flenation", "2026-12-02")], { now: at(ingestTime) });
    } finally {
      other.close();
    }
    const after = context.recentPapers(25);
    expect(after).not.toEqual(before);
    expect(after).toEqual(app.papers.recent(25));
    expect(after[0]?.title).toBe("Quorbly Flenation");
  });
});
