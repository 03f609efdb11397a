import { dirname } from "node:path";
import { createRoundupSelector } from "./roundup/select.ts";
import { acronymFinder } from "./search/acronyms.ts";
import { createSearchEngine } from "./search/engine.ts";
import { createIndexer, type Indexer } from "./search/indexer.ts";
import { bytesFree, type Db, openDatabase } from "./store/db.ts";
import { createForgetter, type Forgotten } from "./store/forget.ts";
import {
  createIngester,
  type IngestSummary,
  isBusy,
  isReadOnly,
  isStorageError,
} from "./store/ingest.ts";
import { createMeta, type Meta, papersChangedKey, unmergedChangesKey } from "./store/meta.ts";
import { createPaperStore, type PaperStore } from "./store/papers.ts";
import { createStats, tableBytes } from "./store/stats.ts";

/**
 * The core, wired together: the store, ingest, search and stats over one
 * database. Everything at the edges (CLI, console, Discord) goes through this.
 */
export function openPaperboy(
  dbPath: string,
  options: {
    mustExist?: boolean;
    onlyReads?: boolean;
    /** Bytes free on the database's disk (default: what statfs says of its folder); for tests. */
    diskFree?: () => number;
  } = {},
) {
  const db = openDatabase(dbPath, options);
  // Not known: no merge, rather than an ingest that fails once stored.
  const diskFree = options.diskFree ?? (() => bytesFree(dirname(db.name)) ?? 0);
  const indexer = createIndexer(db);
  const papers = createPaperStore(db, indexer);
  const ingester = createIngester(db, papers, indexer);
  const search = createSearchEngine(db);
  const meta = createMeta(db);
  const stats = createStats(db, meta);
  const forget = createForgetter(db, papers, indexer);
  refreshStaleIndex(db, meta, indexer, papers);
  // Topic searches are shared by the subscriptions of one scheduler tick, until the papers
  // change (in any process: the count is kept in the database).
  const roundups = createRoundupSelector(search, () => meta.get(papersChangedKey));
  /** After papers were added, changed or removed: the index's figures measured again. */
  const papersChanged = () => stats.measureIndex();
  const paperCount = db.prepare("SELECT count(*) FROM papers").pluck();
  const mergeIndex = db.transaction(() => {
    indexer.merge();
    meta.set(unmergedChangesKey, "0");
  });
  const bytesOf = tableBytes(db);
  /**
   * Whether the disk has room for the merge. It writes the index anew into the WAL (up to its
   * size again) and, at the checkpoint, into the database file before the old pages are free:
   * up to twice the index (which is 36 MB at 41k papers). SQLITE_FULL tells of a lack of
   * room only while the WAL grows; once the merge commits, it is the checkpoint that cannot
   * grow the file, and every later write (the index's figures, a /subscribe, a roundup)
   * fails with it.
   * An in-memory database has no disk.
   */
  function roomToMerge(): boolean {
    if (db.memory) return true;
    // 35 ms at 41k papers, the pages in cache.
    return diskFree() >= 2 * bytesOf(["papers_fts_data", "titles_fts_data"]);
  }
  /**
   * After an ingest that changed papers: the index merged (see `merge`) once the papers added,
   * changed or taken out since its last merge are a tenth of the archive or more: at a first
   * load or a big dump, or after many days' files, each of them small.
   */
  function mergeAfter(changed: number): void {
    if (changed === 0) return;
    const unmerged = Number(meta.get(unmergedChangesKey) ?? 0);
    if (unmerged * 10 < (paperCount.get() as number) || !roomToMerge()) return;
    try {
      mergeIndex.immediate();
    } catch (error) {
      // The merge writes the index anew before it frees the old one. Without room for that
      // (a max_page_count, a disk that filled meanwhile, or a write refused: a file size
      // limit or a quota, which SQLite calls SQLITE_IOERR, and statfs does not see), or with
      // the lock taken, the index stays as it is: only slower to search. The papers stored
      // are, and the next ingest that changes papers tries again.
      if (!isStorageError(error) && !isBusy(error)) throw error;
    }
  }
  return {
    db,
    papers,
    ingest(...args: Parameters<typeof ingester.ingest>): IngestSummary {
      const summary = ingester.ingest(...args);
      const changed = summary.added + summary.updated;
      // Asked to stop (Ctrl-C), it does not go on to merge the index, seconds at 41k papers,
      // even when asked once its last file was read whole, too late to stop that: the changes
      // stay counted, and the next ingest that changes papers merges them.
      if (!summary.stopped && !args[1]?.stopRequested?.()) mergeAfter(changed);
      if (changed > 0 || !stats.measured()) {
        try {
          db.transaction(papersChanged).immediate();
        } catch (error) {
          // The papers are committed; the figures stay as they were until the next change.
          if (!isBusy(error)) throw error;
        }
      }
      return summary;
    },
    /** Takes a source back out: the papers only it had go (see src/store/forget.ts). */
    forget: db.transaction((path: string): Forgotten => {
      const forgotten = forget(path);
      papersChanged();
      return forgotten;
    }).immediate,
    ...search,
    /**
     * A subscription's roundup papers for a window, none of `posted` (see src/roundup/select.ts);
     * the subscriptions of one scheduler tick share their topic searches.
     */
    selectRoundupPapers: roundups.select,
    stats: stats.get,
    meta,
    close: () => db.close(),
  };
}

/**
 * What an upgrade does once to a database an older Paperboy made, as meta keys and the value
 * each holds once done: acronyms are counted at ingest, by the finder of the day, and a
 * database counted by an older one is counted afresh (a fifth of a second at 41k papers), so
 * that an upgrade finds "variational autoencoder (VAE)" in the papers already stored, not only
 * in those to come; papers stored with ligatures, invisible characters, PDF glyph codes or words
 * broken across lines get their text as it is read now ("classiﬁcation", "classi(cid:12)cation"
 * and "classi- fication" as "classification", "Graph\u200bMamba" as "GraphMamba"). The key the ligatures alone were done under goes.
 */
function staleParts(meta: Meta, indexer: Indexer, papers: PaperStore) {
  return [
    { key: "acronyms:finder", done: String(acronymFinder), refresh: indexer.recountAcronyms },
    {
      key: "papers:text",
      done: "PDF glyph codes and ligatures as letters, no invisible characters, broken words whole",
      refresh: () => {
        papers.tidyStoredText();
        indexer.flush();
        meta.delete("papers:ligatures");
      },
    },
  ];
}

function refreshStaleIndex(db: Db, meta: Meta, indexer: Indexer, papers: PaperStore): void {
  for (const { key, done, refresh } of staleParts(meta, indexer, papers)) {
    if (meta.get(key) === done) continue;
    try {
      db.transaction(() => {
        refresh();
        meta.set(key, done);
      }).immediate();
    } catch (error) {
      // Another process holds the write lock, the file is read-only, or its disk is full: the
      // old index serves until a later open can write (a search on a full disk still answers).
      if (!isBusy(error) && !isReadOnly(error) && !isStorageError(error)) throw error;
    }
  }
}

export type Paperboy = ReturnType<typeof openPaperboy>;
