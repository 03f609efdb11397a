/**
 * Run as a child (`node --import tsx cold-start.ts work.json`): opens an
 * existing database, answers one search, then times the query set, each in a
 * fresh process so archive sizes do not share memory or caches.
 */
import { readFileSync } from "node:fs";
import { latencies } from "./measure.ts";
import type { ChildMessage, ChildWork } from "./protocol.ts";

const bootedMs = performance.now();
const { openPaperboy } = await import("../../src/paperboy.ts");
const importedMs = performance.now();

const send = (message: ChildMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);
const work = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as ChildWork;

const app = openPaperboy(work.dbPath);
const openedMs = performance.now();
const hits = app.search(work.first, { limit: 10 }).hits.length;
const answeredMs = performance.now();
send({
  kind: "answer",
  hits,
  bootedMs,
  importedMs,
  openedMs,
  answeredMs,
  rssAfterAnswer: process.memoryUsage().rss,
});

for (const query of work.warmup) app.search(query, { limit: 10 });
const searchMs = latencies(work.search, (query) => app.search(query, { limit: 10 }));
const suggestMs = latencies(work.suggest, (partial) => app.suggestTitles(partial, 25));
send({ kind: "done", searchMs, suggestMs, rssAfterQueries: process.memoryUsage().rss });
app.close();
