import type { Db } from "../store/db.ts";

/** Words worth correcting typos into: letters only, not too short or long, in two papers or more. */
const correctable = "length(term) BETWEEN 4 AND 24 AND term NOT GLOB '*[^a-z]*' AND doc >= 2";

/**
 * The one-deletion variants of the archive's words. Two words within one edit
 * (a letter missing, extra, wrong, or two swapped) share a variant, so a
 * misspelt word's candidates are one index seek away.
 */
export function createTypoIndex(db: Db) {
  const lastId = db.prepare("SELECT coalesce(max(id), 0) FROM terms").pluck();
  const insertNewWords = db.prepare(
    `INSERT INTO terms (term) SELECT term FROM papers_vocab WHERE ${correctable}
     AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.term = papers_vocab.term)`,
  );
  // Variant 0 is the word itself, variant i the word without its i-th letter. Sorted so
  // the B-tree is appended to rather than split all over: several times faster.
  const insertVariants = db.prepare(
    `WITH RECURSIVE position(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM position WHERE i < 24)
     INSERT OR IGNORE INTO term_variants (variant, term_id)
     SELECT CASE i WHEN 0 THEN term ELSE substr(term, 1, i - 1) || substr(term, i + 1) END, id
     FROM terms JOIN position ON i <= length(term) WHERE id > ? ORDER BY 1, 2`,
  );
  const candidates = db
    .prepare(
      `SELECT DISTINCT t.term FROM term_variants v JOIN terms t ON t.id = v.term_id
       WHERE v.variant IN (SELECT value FROM json_each(?))`,
    )
    .pluck();

  return {
    /** Adds the words that became correctable. Run in the transaction that indexed the papers. */
    update(): void {
      const before = lastId.get() as number;
      if (insertNewWords.run().changes > 0) insertVariants.run(before);
    },
    /** Archive words one edit away from `word` (which may itself be one). */
    neighbours: (word: string): string[] =>
      candidates.all(JSON.stringify([...typoVariants(word)])) as string[],
  };
}

export type TypoIndex = ReturnType<typeof createTypoIndex>;

/** A word and every form of it with one letter left out. */
export function typoVariants(word: string): Set<string> {
  const variants = new Set([word]);
  for (let i = 0; i < word.length; i++) variants.add(word.slice(0, i) + word.slice(i + 1));
  return variants;
}
