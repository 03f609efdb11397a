import { basename, dirname, resolve } from "node:path";
import { UserError } from "../errors.ts";
import type { Indexer } from "../search/indexer.ts";
import { count } from "../text/format.ts";
import type { Db } from "./db.ts";
import { createMeta, papersChangedKey, unmergedChangesKey } from "./meta.ts";
import type { PaperStore } from "./papers.ts";

export interface Forgotten {
  /** The source's path as stored (absolute). */
  path: string;
  /** Papers that only this source had, now gone with their index rows. */
  removed: number;
  /** Papers other sources have too: kept, no longer citing it. */
  kept: number;
}

/**
 * Takes a source back out of the archive, for an operator who loaded the wrong file (a
 * README saved as .txt became 135 "papers"): the papers only it had are deleted with
 * their search index rows, those other files have too are kept. One transaction.
 */
export function createForgetter(db: Db, papers: PaperStore, indexer: Indexer) {
  const sourceByPath = db.prepare("SELECT id, path FROM sources WHERE path = ?");
  const sourcePaths = db.prepare("SELECT path FROM sources ORDER BY path").pluck();
  const onlyHere = db
    .prepare(
      `SELECT paper_id FROM paper_sources mine WHERE source_id = ?
       AND NOT EXISTS (SELECT 1 FROM paper_sources other
                       WHERE other.paper_id = mine.paper_id AND other.source_id <> mine.source_id)`,
    )
    .pluck();
  const linked = db.prepare("SELECT count(*) FROM paper_sources WHERE source_id = ?").pluck();
  const deleteSource = db.prepare("DELETE FROM sources WHERE id = ?");
  const meta = createMeta(db);

  return db.transaction((path: string): Forgotten => {
    const source = sourceByPath.get(resolve(path)) as { id: number; path: string } | undefined;
    if (!source) throw new UserError(notInArchive(path, sourcePaths.all() as string[]));
    const ids = onlyHere.all(source.id) as number[];
    const kept = (linked.get(source.id) as number) - ids.length;
    for (const id of ids) {
      const paper = papers.get(id);
      if (paper) papers.remove(paper);
    }
    indexer.flush();
    if (ids.length) {
      meta.increment(papersChangedKey);
      // Their index rows are deleted marks until a merge: they count towards the next one.
      meta.increment(unmergedChangesKey, ids.length);
    }
    deleteSource.run(source.id);
    return { path: source.path, removed: ids.length, kept };
  }).immediate;
}

/**
 * Why `path` cannot be forgotten. /paper names a paper's files by their names alone
 * ("Found on: 001_d8c382fad536c030.txt"), so an operator types that name: the archive's
 * files of that name are offered by the path they were ingested under.
 */
function notInArchive(path: string, stored: readonly string[]): string {
  // `paperboy ingest` takes a folder, so the folder is what an operator undoing it names.
  const inFolder = stored.filter((p) => dirname(p) === resolve(path));
  if (inFolder.length) return folderNamed(path, inFolder);
  const named = stored.filter((p) => basename(p) === basename(path));
  const hint = named.length
    ? `did you mean ${named.map((p) => `\`${p}\``).join(" or ")}?`
    : "`paperboy show <id>` of one of its papers names the files it came from";
  return `${path}: not a file of the archive; ${hint}`;
}

/** How many of a folder's files are named: the command to copy stays one readable line. */
const filesShown = 5;

/**
 * A folder is not taken out whole: `paperboy forget data/archive` would empty the archive.
 * Its files in the archive are named instead, for the operator to pick from.
 */
function folderNamed(path: string, files: readonly string[]): string {
  const shown = files.slice(0, filesShown).map((p) => `\`${p}\``);
  const more = files.length > filesShown ? ` and ${files.length - filesShown} more` : "";
  return `${path}: a folder, not a file; name the files to take out (${count(files.length, "archive file")} in it): ${shown.join(", ")}${more}`;
}
