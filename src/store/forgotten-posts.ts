import type { Db } from "./db.ts";

/**
 * The channels sent a paper `paperboy forget` took out, kept by what the paper is (its arXiv
 * id, else its title): its posted_papers rows go with it, and loaded again (its file left in
 * the archive folder, which the next refresh loads again, or the same paper in the right
 * file) it is a new paper, under a new id, first seen again. Every channel already sent it got
 * it a second time. Given back to the paper loaded again, they are not sent it again; a
 * channel never sent it still gets it, as a paper new to the archive.
 */
export function createForgottenPosts(db: Db) {
  const keep = db.prepare(
    `INSERT INTO forgotten_posts (channel_id, arxiv_id, title_key, posted_at)
     SELECT posted.channel_id, paper.arxiv_id, paper.title_key, posted.posted_at
     FROM posted_papers posted JOIN papers paper ON paper.id = posted.paper_id
     WHERE posted.paper_id = ?`,
  );
  // The paper a kept row is, as createPaperStore's find takes it: same-titled papers with
  // different arXiv ids are different papers.
  const isKept = `paper.arxiv_id = kept.arxiv_id
    OR (paper.title_key = kept.title_key AND (paper.arxiv_id IS NULL OR kept.arxiv_id IS NULL))`;
  const giveBack = db.prepare(
    `INSERT INTO posted_papers (channel_id, paper_id, posted_at)
     SELECT kept.channel_id, paper.id, kept.posted_at
     FROM forgotten_posts kept JOIN papers paper ON ${isKept}
     WHERE true ON CONFLICT DO NOTHING`,
  );
  const forgetGivenBack = db.prepare(
    `DELETE FROM forgotten_posts AS kept WHERE EXISTS (SELECT 1 FROM papers paper WHERE ${isKept})`,
  );

  return {
    /** Before the paper is deleted: the channels it was sent to. In a transaction. */
    keep(paperId: number): void {
      keep.run(paperId);
    },
    /**
     * After papers were added: those forgotten before, loaded again, posted to the channels
     * they were sent to. Once a file, not once a paper: nearly always there is none, and a
     * statement for each of a large file's papers cost its ingest. In a transaction.
     */
    giveBack(): void {
      if (giveBack.run().changes > 0) forgetGivenBack.run();
    },
  };
}
