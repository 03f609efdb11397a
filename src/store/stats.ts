import type { Db } from "./db.ts";
import type { Meta } from "./meta.ts";

export interface ArchiveStats {
  papers: number;
  sources: number;
  /** Daily Papers listing pages among the sources: those with papers (an empty .txt is no listing). */
  pages: number;
  lastIngest: string | null;
  vocabulary: number;
  /** Bytes of the search index (FTS5, vocabulary and typo variants). */
  indexBytes: number;
  /** Bytes of the whole database file. */
  databaseBytes: number;
}

/** What measuring the index costs, kept in meta by whatever changed it. */
interface IndexSize {
  vocabulary: number;
  indexBytes: number;
}

const indexSizeKey = "stats:index-size";

/**
 * The bytes the named tables and indexes take in the file. By name, one b-tree at a time:
 * dbstat walks only the b-tree a `name =` asks for, while a LIKE made it walk the whole file
 * (80 ms at 41k papers instead of 20).
 */
export function tableBytes(db: Db): (names: readonly string[]) => number {
  const bytesOf = db.prepare("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?").pluck();
  return (names) => names.reduce((sum, name) => sum + (bytesOf.get(name) as number), 0);
}

/**
 * The archive's figures for /stats and `paperboy stats`. The search index's size and
 * vocabulary are measured when the archive changes (`measureIndex`, run by ingest and
 * forget), not when asked: dbstat reads every page of the index, 0.2 s at 41k papers with
 * the file in the OS cache and 8 s without, which held the bot's event loop.
 */
export function createStats(db: Db, meta: Meta) {
  const counts = db.prepare(
    `SELECT (SELECT count(*) FROM papers) AS papers,
            (SELECT count(*) FROM sources) AS sources,
            (SELECT count(*) FROM sources WHERE format = 'page' AND papers > 0) AS pages,
            (SELECT max(ingested_at) FROM sources) AS lastIngest`,
  );
  const vocabulary = db.prepare("SELECT count(*) FROM papers_vocab").pluck();
  const indexTables = db
    .prepare(
      `SELECT name FROM sqlite_schema WHERE rootpage > 0 -- b-trees: not the virtual tables
       AND (name LIKE 'papers_fts%' OR name LIKE 'titles_fts%' OR name LIKE '%terms%' OR name LIKE '%acronyms%')`,
    )
    .pluck();
  const bytesOf = tableBytes(db);
  const indexBytes = () => bytesOf(indexTables.all() as string[]);
  const pageBytes = db
    .prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
    .pluck();

  const measure = (): IndexSize => ({
    vocabulary: vocabulary.get() as number,
    indexBytes: indexBytes(),
  });

  return {
    /** Measures the search index again and keeps the figures: after it changed. Writes. */
    measureIndex(): void {
      meta.set(indexSizeKey, JSON.stringify(measure()));
    },
    /** Whether the index was ever measured (not in a database older than this). */
    measured: (): boolean => meta.get(indexSizeKey) !== undefined,
    /**
     * The figures; the index's as last measured. Never writes: it runs on the bot's event
     * loop, where waiting for another writer's lock would hold everything up.
     */
    get(): ArchiveStats {
      const kept = meta.get(indexSizeKey);
      return {
        ...(counts.get() as Omit<ArchiveStats, keyof IndexSize | "databaseBytes">),
        ...(kept ? (JSON.parse(kept) as IndexSize) : measure()),
        databaseBytes: pageBytes.get() as number,
      };
    },
  };
}
