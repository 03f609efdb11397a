import { createHash } from "node:crypto";
import { arxivId, isPaperLink } from "../archive/fields.ts";
import type { PaperRecord } from "../archive/types.ts";
import type { Indexer } from "../search/indexer.ts";
import { invisibles, latinLigatures, tidyText, titleKey } from "../text/normalize.ts";
import type { Db } from "./db.ts";
import { createForgottenPosts } from "./forgotten-posts.ts";

export interface Paper {
  id: number;
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: string | null;
  authorsCount: number | null;
  published: string | null;
  upvotes: number | null;
  /** Where it was published ("NIPS 2017"), when a source says. */
  venue: string | null;
  firstSeen: string;
  updatedAt: string;
}

export interface PaperSource {
  path: string;
  /** Where the file has the paper; `leftLine` when it no longer does. */
  line: number;
  pageDate: string | null;
}

/**
 * The line of a paper a changed file no longer has, which no other file has either: the file
 * still cites it, so that `paperboy forget` of the file takes it out (see src/store/ingest.ts).
 */
export const leftLine = 0;

/** The paper an arXiv id or link among a query's words names (papers.namedIn). */
export interface NamedPaper {
  /** The first id or link named, for saying that the archive has none of them. */
  ref: string;
  paper: Paper | undefined;
}

export type MergeOutcome = "added" | "updated" | "unchanged";

const paperColumns = `id, arxiv_id AS arxivId, title, abstract, authors, authors_count AS authorsCount,
  published, upvotes, venue, first_seen AS firstSeen, updated_at AS updatedAt`;

/** Whether `text` names an arXiv paper: its id, or a link to it (see src/archive/fields.ts). */
export function namesArxivPaper(text: string): boolean {
  const value = text.trim();
  return arxivId(value) !== undefined || isPaperLink(value);
}

/**
 * The words of `text` that name an arXiv paper (namesArxivPaper), in order. Other links stay
 * words: a paper's abstract may have its code's GitHub link. Punctuation around one is the
 * sentence's: "(see 2401.00001)", "what is …/abs/2401.00001?"
 */
function arxivRefsIn(text: string): string[] {
  return text
    .split(/\s+/)
    .map((word) => word.replace(/^[(["“‘«]+|[)\]"”’».,;:!?]+$/gu, ""))
    .filter(namesArxivPaper);
}

/**
 * Whether `text` is an arXiv id or a link: never words of a title. One that names no stored
 * paper is not searched for as words: "https://arxiv.org/pdf/…" found titles with "PDF" in them.
 */
export function isArxivIdOrLink(text: string): boolean {
  const value = text.trim();
  return (
    namesArxivPaper(value) ||
    /^[a-z][\w+.-]*:\/\//i.test(value) ||
    /^(?:www\.)?[\w-]+(?:\.[\w-]+)+\/\S*$/i.test(value)
  );
}

/** papers.recent: read in the order of the papers_recent index (migration 4), no sort. */
export const recentPapersQuery = `SELECT ${paperColumns} FROM papers
  ORDER BY published IS NULL, published DESC, upvotes DESC, id DESC LIMIT ?`;

/** The meta key of the highest paper id ever removed. */
const removedUpToKey = "papers:removed-up-to";

/**
 * Reads and writes papers; every write keeps the search index in step through
 * `indexer`, whose `flush()` writes it, in the same transaction.
 */
export function createPaperStore(db: Db, indexer: Indexer) {
  const byId = db.prepare(`SELECT ${paperColumns} FROM papers WHERE id = ?`);
  const byArxivId = db.prepare(`SELECT ${paperColumns} FROM papers WHERE arxiv_id = ?`);
  // A paper known only by title can later gain an arXiv id from a dump; one that has an id
  // already is a different paper when the ids differ (same-titled papers do exist).
  const byTitleKey = db.prepare(
    `SELECT ${paperColumns} FROM papers WHERE title_key = ? AND (arxiv_id IS NULL OR ? IS NULL)
     ORDER BY id LIMIT 1`,
  );
  // Ids are never given twice: past the highest stored, and past the highest ever removed.
  // A planned roundup, a search's menu and a channel's posted papers name papers by id.
  const insert = db.prepare(
    `INSERT INTO papers (id, arxiv_id, title_key, title, abstract, authors, authors_count, published, upvotes, venue, first_seen, updated_at)
     VALUES (max(coalesce((SELECT max(id) FROM papers), 0),
                 coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = '${removedUpToKey}'), 0)) + 1,
             @arxivId, @titleKey, @title, @abstract, @authors, @authorsCount, @published, @upvotes, @venue, @now, @now)`,
  );
  const keepRemovedUpTo = db.prepare(
    `INSERT INTO meta (key, value) VALUES ('${removedUpToKey}', ?)
     ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
  );
  const deletePaper = db.prepare("DELETE FROM papers WHERE id = ?");
  const update = db.prepare(
    `UPDATE papers SET arxiv_id = @arxivId, title_key = @titleKey, title = @title, abstract = @abstract,
       authors = @authors, authors_count = @authorsCount, published = @published, upvotes = @upvotes,
       venue = @venue, updated_at = @now
     WHERE id = @id`,
  );
  const untidy = db.prepare(
    `SELECT ${paperColumns} FROM papers WHERE title GLOB :text OR abstract GLOB :text
     OR title GLOB '*(cid:*' OR abstract GLOB '*(cid:*' OR title GLOB '*- *' OR abstract GLOB '*- *'`,
  );
  const updateText = db.prepare(
    "UPDATE papers SET title = ?, title_key = ?, abstract = ? WHERE id = ?",
  );
  const setUpdatedAt = db.prepare("UPDATE papers SET updated_at = ? WHERE id = ?");
  const sourcesOf = db.prepare(
    `SELECT s.path, ps.line, s.page_date AS pageDate FROM paper_sources ps
     JOIN sources s ON s.id = ps.source_id WHERE ps.paper_id = ? ORDER BY s.path`,
  );
  const recent = db.prepare(recentPapersQuery);
  const forgottenPosts = createForgottenPosts(db);

  function find(record: PaperRecord, key: string): Paper | undefined {
    const arxivId = record.arxivId ?? null;
    return (
      ((arxivId && byArxivId.get(arxivId)) as Paper | undefined) ??
      // An empty key ("???") is no title to know a paper by (src/archive/read.ts skips those
      // without an arXiv id): one with an id merged into a title-only one stored before that.
      (key === "" ? undefined : (byTitleKey.get(key, arxivId) as Paper | undefined))
    );
  }

  /**
   * The paper a person names: its Paperboy id (as a number, or as `paperRef` writes it), its
   * arXiv id ("2401.00001", with or without "arXiv:" and a version) or a link to it (see
   * arxivId).
   */
  function lookup(ref: string): Paper | undefined {
    const text = ref.trim();
    const ownId = /^\d+$/.test(text) ? text : paperRefId(text);
    if (ownId !== undefined) return byId.get(Number(ownId)) as Paper | undefined;
    const id = arxivId(text);
    return id === undefined ? undefined : (byArxivId.get(id) as Paper | undefined);
  }

  return {
    get: (id: number) => byId.get(id) as Paper | undefined,
    lookup,
    /**
     * The paper a pasted arXiv id or link names, alone or among other words ("is
     * https://arxiv.org/abs/… any good?"): the first the archive has, and the first named, for
     * saying that none is. Undefined when the text names none. Searched as words, the id's
     * digits matched nothing, and were said to be in no paper of one the archive has.
     */
    namedIn(text: string): NamedPaper | undefined {
      const refs = arxivRefsIn(text);
      if (refs.length === 0) return undefined;
      const paper = refs.map(lookup).find((found) => found);
      return { ref: refs[0] as string, paper };
    },
    sources: (id: number) => sourcesOf.all(id) as PaperSource[],
    /**
     * Tidies the text of papers an older Paperboy stored with ligatures, invisible characters,
     * PDF glyph codes or words broken across lines in it, as text is read now (`tidyText`), and
     * indexes those papers afresh. In a transaction, with the indexer's flush.
     */
    tidyStoredText(): void {
      const text = `*[${latinLigatures}${invisibles}]*`;
      for (const paper of untidy.all({ text }) as Paper[]) {
        // Text of nothing else (a title of a zero-width space) is kept: a paper needs some.
        const title = tidyText(paper.title) || paper.title;
        const abstract = tidyText(paper.abstract) || paper.abstract;
        // A hyphen and a space are often meant ("pre- and post-training"): most are tidy already.
        if (title === paper.title && abstract === paper.abstract) continue;
        updateText.run(title, titleKey(title), abstract, paper.id);
        indexer.remove(paper);
        indexer.add({ id: paper.id, title, abstract });
      }
    },
    /**
     * After a file added papers: those `paperboy forget` took out, loaded again, are known as
     * sent to the channels they were sent to (see src/store/forgotten-posts.ts). In a transaction.
     */
    givePostsBack: forgottenPosts.giveBack,
    /**
     * Deletes a paper with its index rows; its id is never given to another, and the channels
     * it was sent to are kept for it, should it be loaded again. In a transaction.
     */
    remove(paper: Paper): void {
      indexer.remove(paper);
      keepRemovedUpTo.run(paper.id);
      forgottenPosts.keep(paper.id);
      deletePaper.run(paper.id);
    },
    /**
     * Newest papers first: what to offer before anyone has typed anything. Undated papers
     * come last: the day they were ingested says nothing of how new they are.
     */
    recent: (limit: number) => recent.all(limit) as Paper[],

    /**
     * Stores one record: a new paper, or merged into the one it is — same arXiv id, or same
     * normalised title. Text from a source with an arXiv id wins over a listing page; otherwise
     * the newest source wins. The date is the earliest seen, upvotes the highest count; a
     * venue, once known, stays until a source names another. `before`: an updated paper as it
     * was.
     */
    merge(
      record: PaperRecord,
      now: string,
    ): { paper: Paper; outcome: MergeOutcome; before?: Paper } {
      const key = titleKey(record.title);
      const existing = find(record, key);
      if (!existing) {
        const fields = fieldsOf(record, key);
        const id = Number(insert.run({ ...fields, now }).lastInsertRowid);
        indexer.add({ id, title: fields.title, abstract: fields.abstract });
        const { titleKey: _key, ...paper } = fields;
        return { paper: { id, ...paper, firstSeen: now, updatedAt: now }, outcome: "added" };
      }
      const merged = mergeFields(existing, fieldsOf(record, key));
      if (sameFields(existing, merged)) return { paper: existing, outcome: "unchanged" };
      update.run({ ...merged, titleKey: titleKey(merged.title), id: existing.id, now });
      if (merged.title !== existing.title || merged.abstract !== existing.abstract) {
        indexer.remove(existing);
        indexer.add({ id: existing.id, title: merged.title, abstract: merged.abstract });
      }
      return {
        paper: { id: existing.id, ...merged, firstSeen: existing.firstSeen, updatedAt: now },
        outcome: "updated",
        before: existing,
      };
    },
    /**
     * Puts back the update time of a paper that the records of one file changed and changed
     * back (see src/store/ingest.ts). In a transaction.
     */
    keepUpdatedAt(id: number, updatedAt: string): void {
      setUpdatedAt.run(updatedAt, id);
    },
  };
}

export type PaperStore = ReturnType<typeof createPaperStore>;

type PaperFields = Pick<
  Paper,
  "arxivId" | "title" | "abstract" | "authors" | "authorsCount" | "published" | "upvotes" | "venue"
>;

function fieldsOf(record: PaperRecord, key: string): PaperFields & { titleKey: string } {
  return {
    arxivId: record.arxivId ?? null,
    titleKey: key,
    title: record.title,
    abstract: record.abstract,
    authors: record.authors?.join(", ") ?? null,
    authorsCount: record.authorsCount ?? record.authors?.length ?? null,
    published: record.published ?? null,
    upvotes: record.upvotes ?? null,
    venue: record.venue ?? null,
  };
}

function mergeFields(existing: Paper, incoming: PaperFields): PaperFields {
  const textWins = incoming.arxivId !== null || existing.arxivId === null;
  const highest = Math.max(existing.upvotes ?? -1, incoming.upvotes ?? -1);
  return {
    arxivId: existing.arxivId ?? incoming.arxivId,
    title: textWins ? incoming.title : existing.title,
    abstract:
      textWins && !isCutCopy(incoming.abstract, existing.abstract)
        ? incoming.abstract
        : existing.abstract,
    authors: incoming.authors ?? existing.authors,
    authorsCount: incoming.authorsCount ?? existing.authorsCount,
    published: earliest(existing.published, incoming.published),
    upvotes: highest < 0 ? null : highest,
    venue: incoming.venue ?? existing.venue,
  };
}

/**
 * The earlier of two ISO dates, either possibly unknown. A listing shows the day a paper came
 * out, the arXiv snapshot's `update_date` its last revision's: taking the last file's date made
 * it depend on the order files were read, and editing one file flipped it.
 */
function earliest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return a < b ? a : b;
}

/**
 * Whether `text` is the start of `whole` and no more: a page saved before it finished
 * loading, a file cut short. The whole one stays; a newer page never shortens an abstract.
 */
function isCutCopy(text: string, whole: string): boolean {
  return text.length < whole.length && whole.startsWith(text);
}

/** The fields a merge sets. */
const fieldNames: (keyof PaperFields)[] = [
  "arxivId",
  "title",
  "abstract",
  "authors",
  "authorsCount",
  "published",
  "upvotes",
  "venue",
];

function sameFields(existing: Paper, merged: PaperFields): boolean {
  return fieldNames.every((key) => existing[key] === merged[key]);
}

/**
 * A paper's fields in a few bytes, to tell later whether they are as they were without holding
 * its text: a changed file may update every one of 100k papers.
 */
export function fieldsDigest(paper: PaperFields): string {
  const fields = JSON.stringify(fieldNames.map((key) => paper[key]));
  return createHash("sha1").update(fields).digest("base64");
}

/**
 * A paper's Paperboy id as a reference, "id:53": what /paper's choices carry, and what its
 * answers tell members to send; `paperboy show` takes it too, copied from Discord. A form no
 * one types by chance: Discord sends the typed text when nothing was picked, and a choice's
 * value of "1706" made a typed "1706" (the start of arXiv id 1706.03762) open Paperboy's paper
 * 1706, and a picked paper removed since read as a number the member never typed.
 */
export const paperRef = (id: number): string => `id:${id}`;
/**
 * The Paperboy id a reference written by `paperRef` holds, as members type it too: "ID:3" and
 * "id: 3" were words of a title, and opened "Identifying…".
 */
export const paperRefId = (ref: string): string | undefined => /^id:\s*(\d+)$/i.exec(ref)?.[1];
