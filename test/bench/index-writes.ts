import { join } from "node:path";
import { openPaperboy } from "../../src/paperboy.ts";
import { createIndexer, type IndexedText } from "../../src/search/indexer.ts";
import { indexedText } from "../../src/text/tokens.ts";
import { timed } from "./measure.ts";

export interface IndexWrites {
  papers: number;
  /** The FTS5 writes of both tables and their merge, committed and checkpointed. */
  seconds: number;
  /** Of `seconds`, preparing the text indexed (JavaScript, which another thread could do). */
  textSeconds: number;
  /** The most papers a second an ingest could store if nothing but SQLite's FTS5 work took time. */
  papersPerSecond: number;
}

/**
 * How long the search index's own FTS5 writes take for the papers of an ingested database,
 * written again into a fresh one by the real indexer: the rows of papers_fts and titles_fts
 * (their text prepared as ingest prepares it, which is timed apart too), the merge ingest runs
 * after a large file, the commit and checkpoint. Nothing else of an ingest (reading, parsing,
 * the papers table, acronyms, the typo index) is in it: less the text preparation, it is the
 * floor under the ingest time on one connection, whatever is done to the rest.
 */
export function measureIndexWrites(ingestedDb: string, dir: string): IndexWrites {
  const source = openPaperboy(ingestedDb, { onlyReads: true });
  const papers = source.db
    .prepare("SELECT id, title, abstract FROM papers ORDER BY id")
    .all() as IndexedText[];
  source.close();
  const fresh = openPaperboy(join(dir, "index-writes.db"));
  try {
    const indexer = createIndexer(fresh.db);
    for (const paper of papers) indexer.add(paper);
    const text = timed(() => {
      for (const paper of papers) indexedText(`${paper.title}\n${paper.abstract}`);
    });
    const { ms } = timed(() => {
      fresh.db.transaction(() => {
        indexer.writePending();
        indexer.merge();
      })();
      fresh.db.pragma("wal_checkpoint(TRUNCATE)");
    });
    return {
      papers: papers.length,
      seconds: ms / 1000,
      textSeconds: text.ms / 1000,
      papersPerSecond: papers.length / ((ms - text.ms) / 1000),
    };
  } finally {
    fresh.close();
  }
}
