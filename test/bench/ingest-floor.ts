import { join } from "node:path";
import { readArchiveBytes, readArchiveSource } from "../../src/archive/read.ts";
import { openPaperboy } from "../../src/paperboy.ts";
import { createIndexer, type IndexedText } from "../../src/search/indexer.ts";
import { createPaperStore } from "../../src/store/papers.ts";
import { indexedText } from "../../src/text/tokens.ts";
import { ingestTime } from "./data.ts";
import { timed } from "./measure.ts";

/** The writes of an ingest on their own, for what the ingest rate is held under. */
export interface IngestFloor {
  papers: number;
  /**
   * The file's records, read and parsed beforehand, stored by the real paper store: the papers
   * table, the search index, the typo index and acronyms, merged, committed and checkpointed.
   */
  storeSeconds: number;
  /** Of an ingest, the search index's FTS5 writes alone: both tables, merged, committed. */
  ftsSeconds: number;
  /** Of `ftsSeconds`, preparing the text indexed (JavaScript, which another thread could do). */
  textSeconds: number;
}

/**
 * What an ingest of `file` (already ingested into `ingestedDb`) takes when reading and parsing
 * are left out, each into a fresh database of `dir`: storing its records, and of that the search
 * index's FTS5 writes alone. One connection writes a database, so the second core can take only
 * the reading and parsing off it; less the text preparation, the FTS5 writes are the floor
 * under any ingest, whatever is done to the rest.
 */
export function measureIngestFloor(file: string, ingestedDb: string, dir: string): IngestFloor {
  const { ms: storeMs, papers } = timeStore(file, join(dir, "store-writes.db"));
  const fts = timeFtsWrites(ingestedDb, join(dir, "fts-writes.db"));
  return {
    papers,
    storeSeconds: storeMs / 1000,
    ftsSeconds: fts.ms / 1000,
    textSeconds: fts.textMs / 1000,
  };
}

function timeStore(file: string, dbPath: string) {
  const source = readArchiveSource(file, readArchiveBytes(file), ingestTime);
  const records = [...source.batches].flatMap((batch) => batch.records);
  const app = openPaperboy(dbPath);
  try {
    const indexer = createIndexer(app.db);
    const store = createPaperStore(app.db, indexer);
    const now = ingestTime.toISOString();
    const { ms } = timed(() => {
      app.db.transaction(() => {
        for (const record of records) store.merge(record, now);
        indexer.flush();
        indexer.merge();
      })();
      app.db.pragma("wal_checkpoint(TRUNCATE)");
    });
    return { ms, papers: app.db.prepare("SELECT count(*) FROM papers").pluck().get() as number };
  } finally {
    app.close();
  }
}

function timeFtsWrites(ingestedDb: string, dbPath: string) {
  const source = openPaperboy(ingestedDb, { onlyReads: true });
  const papers = source.db
    .prepare("SELECT id, title, abstract FROM papers ORDER BY id")
    .all() as IndexedText[];
  source.close();
  const fresh = openPaperboy(dbPath);
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
    return { ms, textMs: text.ms };
  } finally {
    fresh.close();
  }
}
