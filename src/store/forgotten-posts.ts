import type { Db } from "./db.ts";

/** A paper as stored: its id, and what it is (see createPaperStore's find). */
interface StoredPaper {
  id: number;
  arxivId: string | null;
  titleKey: string;
}

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
  // The same paper as createPaperStore's find takes it: same-titled papers with different
  // arXiv ids are different papers.
  const sameAs = `FROM forgotten_posts WHERE arxiv_id = @arxivId
    OR (title_key = @titleKey AND (arxiv_id IS NULL OR @arxivId IS NULL))`;
  const giveBack = db.prepare(
    `INSERT INTO posted_papers (channel_id, paper_id, posted_at)
     SELECT channel_id, @id, posted_at ${sameAs} ON CONFLICT DO NOTHING`,
  );
  const forgetKept = db.prepare(`DELETE ${sameAs}`);

  return {
    /** Before the paper is deleted: the channels it was sent to. In a transaction. */
    keep(paperId: number): void {
      keep.run(paperId);
    },
    /** A paper just added: posted to the channels it was sent to before it was forgotten. */
    giveBack({ id, arxivId, titleKey }: StoredPaper): void {
      if (giveBack.run({ id, arxivId, titleKey }).changes > 0)
        forgetKept.run({ arxivId, titleKey });
    },
  };
}
