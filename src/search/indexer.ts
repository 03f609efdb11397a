import type { Db } from "../store/db.ts";
import { indexedText } from "../text/tokens.ts";
import { findAcronymDefinitions } from "./acronyms.ts";
import { createTypoIndex } from "./typo-index.ts";

export interface IndexedText {
  id: number;
  title: string;
  abstract: string;
}

/**
 * Keeps the search index in step with the papers table: the FTS5 rows, the
 * acronyms the texts define, and the typo index. Acronym counts are gathered
 * in memory and written, with the typo index, by `flush()`, which the caller
 * runs inside the same transaction as the paper writes.
 */
export function createIndexer(db: Db) {
  const insertFts = db.prepare("INSERT INTO papers_fts (rowid, title, abstract) VALUES (?, ?, ?)");
  const insertTitle = db.prepare("INSERT INTO titles_fts (rowid, title) VALUES (?, ?)");
  const deleteFts = db.prepare("DELETE FROM papers_fts WHERE rowid = ?");
  const deleteTitle = db.prepare("DELETE FROM titles_fts WHERE rowid = ?");
  const upsertAcronym = db.prepare(
    `INSERT INTO acronyms (acronym, expansion, count) VALUES (?, ?, ?)
     ON CONFLICT (acronym, expansion) DO UPDATE SET count = count + excluded.count`,
  );
  const typoIndex = createTypoIndex(db);
  const acronymDelta = new Map<string, number>();

  function countAcronyms(paper: IndexedText, sign: 1 | -1): void {
    for (const { acronym, expansion } of findAcronymDefinitions(
      `${paper.title}. ${paper.abstract}`,
    )) {
      const key = `${acronym}\t${expansion}`;
      acronymDelta.set(key, (acronymDelta.get(key) ?? 0) + sign);
    }
  }

  return {
    add(paper: IndexedText): void {
      countAcronyms(paper, 1);
      const title = indexedText(paper.title);
      insertFts.run(paper.id, title, indexedText(paper.abstract));
      insertTitle.run(paper.id, title);
    },
    remove(paper: IndexedText): void {
      countAcronyms(paper, -1);
      deleteFts.run(paper.id);
      deleteTitle.run(paper.id);
    },
    /** Writes what was gathered. Call inside the transaction that added the papers. */
    flush(): void {
      for (const [key, delta] of acronymDelta) {
        if (delta === 0) continue;
        const [acronym, expansion] = key.split("\t") as [string, string];
        upsertAcronym.run(acronym, expansion, delta);
      }
      acronymDelta.clear();
      typoIndex.update();
    },
  };
}

export type Indexer = ReturnType<typeof createIndexer>;
