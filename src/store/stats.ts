import type { Db } from "./db.ts";

export interface ArchiveStats {
  papers: number;
  sources: number;
  /** Daily Papers listing pages among the sources. */
  pages: number;
  lastIngest: string | null;
  vocabulary: number;
  /** Bytes of the search index (FTS5, vocabulary and typo variants). */
  indexBytes: number;
  /** Bytes of the whole database file. */
  databaseBytes: number;
}

export function createStats(db: Db) {
  const counts = db.prepare(
    `SELECT (SELECT count(*) FROM papers) AS papers,
            (SELECT count(*) FROM sources) AS sources,
            (SELECT count(*) FROM sources WHERE format = 'page') AS pages,
            (SELECT max(ingested_at) FROM sources) AS lastIngest,
            (SELECT count(*) FROM papers_vocab) AS vocabulary`,
  );
  const indexBytes = db
    .prepare(
      `SELECT coalesce(sum(pgsize), 0) FROM dbstat
       WHERE name LIKE 'papers_fts%' OR name LIKE 'titles_fts%' OR name LIKE 'term%' OR name LIKE 'acronyms%'`,
    )
    .pluck();
  const pageBytes = db
    .prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
    .pluck();
  return (): ArchiveStats => ({
    ...(counts.get() as Omit<ArchiveStats, "indexBytes" | "databaseBytes">),
    indexBytes: indexBytes.get() as number,
    databaseBytes: pageBytes.get() as number,
  });
}
