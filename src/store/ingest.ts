import { createHash } from "node:crypto";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import {
  ArchiveReadError,
  listArchiveFiles,
  readArchiveBytes,
  readArchiveSource,
} from "../archive/read.ts";
import type { ParseWarning } from "../archive/types.ts";
import type { Indexer } from "../search/indexer.ts";
import type { Db } from "./db.ts";
import { createMeta, papersChangedKey, unmergedChangesKey } from "./meta.ts";
import { fieldsDigest, leftLine, type MergeOutcome, type PaperStore } from "./papers.ts";

export interface FileReport {
  path: string;
  status: "ingested" | "unchanged" | "failed";
  papers: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Records that turned out to be a paper already seen: on another page, or earlier in this file. */
  duplicates: number;
  warnings: ParseWarning[];
  /** Why the file could not be read at all (status "failed"). */
  error?: string;
}

export interface IngestSummary {
  files: FileReport[];
  filesRead: number;
  filesFailed: number;
  filesUnchanged: number;
  added: number;
  updated: number;
  unchanged: number;
  duplicates: number;
  warnings: number;
  /** Folders named that hold no archive file (a wrong folder, or files of another kind). */
  emptyFolders: string[];
  /**
   * The run was stopped (`stopRequested`) at the file `path`: nothing of it is stored, nor of
   * the `notRead` files after it; those in `files` are.
   */
  stopped?: { path: string; notRead: number };
}

/** What went wrong, one `file:line: what is wrong` (or `path: why`) line each. */
export function problemLines(files: readonly FileReport[]): string[] {
  return files.flatMap((file) => [
    ...(file.error ? [file.error] : []),
    ...file.warnings.map((w) => `${file.path}:${w.line}: ${w.message}`),
  ]);
}

export type IngestProgress =
  | { kind: "file"; path: string; index: number; total: number }
  /** `share`: of the file's text, read so far (0 to 1). */
  | { kind: "records"; path: string; done: number; share: number };

/**
 * For a log or a stream that is not a terminal: `say` once at each tenth of a file read in
 * parts, so that a long one is seen to move. Not at its end: the summary says that.
 */
export function atEachTenth(
  say: (progress: Extract<IngestProgress, { kind: "records" }>) => void,
): (progress: IngestProgress) => void {
  let tenthsSaid = 0;
  return (progress) => {
    if (progress.kind === "file") tenthsSaid = 0;
    else if (progress.share < 1 && Math.floor(progress.share * 10) > tenthsSaid) {
      tenthsSaid = Math.floor(progress.share * 10);
      say(progress);
    }
  };
}

export interface IngestOptions {
  now?: () => Date;
  onProgress?: (progress: IngestProgress) => void;
  /** The most text one file may hold (default: maxArchiveTextBytes, 500 MiB). */
  maxTextBytes?: number;
  /**
   * Asked before each file and each part of a file read in parts; true stops the run there
   * (Ctrl-C). The file being read is rolled back whole, as one that fails half-way is.
   */
  stopRequested?: () => boolean;
}

/** Thrown where a stop was asked for, to roll back the file's transaction. */
class IngestStopped extends Error {
  override name = "IngestStopped";
}

function stopIfRequested(options: IngestOptions): void {
  if (options.stopRequested?.()) throw new IngestStopped("ingest stopped when asked to");
}

/**
 * Loads archive files into the store. Each file is one transaction: a file
 * that cannot be read changes nothing, and a file whose bytes have not changed
 * since its last ingest is skipped after hashing.
 */
export function createIngester(
  db: Db,
  papers: PaperStore,
  searchIndex: Pick<Indexer, "writePending" | "flush" | "discard">,
) {
  const sourceByPath = db.prepare("SELECT id, sha256, size FROM sources WHERE path = ?");
  const meta = createMeta(db);
  const upsertSource = db.prepare(
    `INSERT INTO sources (path, format, size, sha256, page_date, ingested_at, papers, added, updated, unchanged, warnings)
     VALUES (@path, @format, @size, @sha256, @pageDate, @ingestedAt, @papers, @added, @updated, @unchanged, @warnings)
     ON CONFLICT (path) DO UPDATE SET format = excluded.format, size = excluded.size, sha256 = excluded.sha256,
       page_date = excluded.page_date, ingested_at = excluded.ingested_at, papers = excluded.papers,
       added = excluded.added, updated = excluded.updated, unchanged = excluded.unchanged, warnings = excluded.warnings
     RETURNING id`,
  );
  /**
   * Unlinks a changed file's papers before it is linked again, except those no other file has:
   * one that left the file stays in the archive (a file caught half copied must not take
   * papers out), and keeps citing it as a leftover (`leftLine`), so that `paperboy forget` of
   * the file still takes it out. Unlinked, it was cited by no file, and no command could
   * remove it. Those still in the file get their lines back from `linkAll`.
   */
  const unlinkSource = db.prepare(
    `DELETE FROM paper_sources WHERE source_id = @source AND EXISTS (
       SELECT 1 FROM paper_sources other
       WHERE other.paper_id = paper_sources.paper_id AND other.source_id <> @source)`,
  );
  const markLeftovers = db.prepare(
    `UPDATE paper_sources SET line = ${leftLine} WHERE source_id = ?`,
  );
  /**
   * A file's papers are no leftovers of other files: a paper that moved from one file to
   * another is the other's alone, and `forget` of it takes the paper out.
   */
  const dropLeftoversOf = db.prepare(
    `DELETE FROM paper_sources WHERE line = ${leftLine} AND source_id <> ?
     AND paper_id IN (SELECT value ->> 0 FROM json_each(?))`,
  );
  /** Links a source to its papers, given as JSON [[paper id, line], …]. */
  const linkAll = db.prepare(
    `INSERT OR REPLACE INTO paper_sources (paper_id, source_id, line)
     SELECT value ->> 0, ?, value ->> 1 FROM json_each(?)`,
  );
  const linkedElsewhere = db.prepare(
    `SELECT 1 FROM paper_sources WHERE paper_id = ? AND source_id <> ? AND line <> ${leftLine} LIMIT 1`,
  );

  function ingestFile(
    path: string,
    options: IngestOptions,
    total: number,
    index: number,
    runOutcomes: Outcomes,
  ): FileReport {
    stopIfRequested(options);
    const report = emptyReport(path, "ingested");
    options.onProgress?.({ kind: "file", path, index, total });
    const absolute = resolve(path);
    // Read once, by the path as given, so that its problems name it as the user does.
    const bytes = readArchiveBytes(path, options.maxTextBytes);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const known = sourceByPath.get(absolute) as { sha256: string; size: number } | undefined;
    if (known?.sha256 === sha256 && known.size === bytes.length) {
      return { ...report, status: "unchanged" };
    }
    const clock = options.now ?? (() => new Date());
    const parsed = readArchiveSource(path, bytes, clock(), options.maxTextBytes);
    report.warnings = parsed.warnings;

    const outcomes: Outcomes = new Map();
    // IMMEDIATE, and the clock read once the write lock is held: a roundup planned meanwhile
    // (in its own write transaction, src/roundup/runner.ts) either sees these papers or ends
    // its window before their first-seen time.
    const writeFile = db.transaction(() => {
      const nowIso = clock().toISOString();
      const source = {
        path: absolute,
        format: parsed.format,
        size: bytes.length,
        sha256,
        pageDate: parsed.pageDate ?? null,
        ingestedAt: nowIso,
        papers: 0,
        added: 0,
        updated: 0,
        unchanged: 0,
        warnings: 0,
      };
      const { id: sourceId } = upsertSource.get(source) as { id: number };
      unlinkSource.run({ source: sourceId }); // re-linked below
      markLeftovers.run(sourceId);
      /** Each paper of the file and the line that names it (the last, when it is there twice). */
      const lines = new Map<number, number>();
      const changes = changesOfFile();
      for (const { records, share } of parsed.batches) {
        stopIfRequested(options);
        for (const record of records) {
          const merged = papers.merge(record, nowIso);
          const { paper, outcome } = merged;
          noteOutcome(outcomes, paper.id, outcome);
          changes.note(merged, lines.has(paper.id));
          if (
            lines.has(paper.id) ||
            (outcome !== "added" && linkedElsewhere.get(paper.id, sourceId))
          ) {
            report.duplicates++;
          }
          lines.set(paper.id, record.line);
        }
        report.papers += records.length;
        // The batch's papers indexed now, so that only one batch is in memory at a time.
        searchIndex.writePending();
        options.onProgress?.({ kind: "records", path, done: report.papers, share });
      }
      searchIndex.flush();
      changes.undone(outcomes);
      // After the index, in one statement: a statement that checks foreign keys opens a
      // statement journal, which makes FTS5 write out the rows it holds in memory.
      const linked = JSON.stringify([...lines]);
      dropLeftoversOf.run(sourceId, linked);
      linkAll.run(sourceId, linked);
      const counts = tally(outcomes);
      if (counts.added > 0) papers.givePostsBack();
      Object.assign(report, counts);
      const changed = counts.added + counts.updated;
      if (changed > 0) {
        meta.increment(papersChangedKey);
        meta.increment(unmergedChangesKey, changed);
      }
      upsertSource.get({
        ...source,
        papers: lines.size,
        ...counts,
        warnings: parsed.warnings.length,
      });
    });
    try {
      writeFile.immediate();
    } catch (error) {
      searchIndex.discard(); // what was gathered for the index went with the rollback
      throw error;
    }
    // Once committed: a file that failed half-way changed no paper.
    for (const [id, outcome] of outcomes) noteOutcome(runOutcomes, id, outcome);
    return report;
  }

  /**
   * The papers a file has more than once that it left as they were: the records of a paper set
   * its fields each their way (the last one's date, say), so that read again, the first set them
   * its way and the next back. Each was counted as updated, and its update time moved, at every
   * change of the file: editing one paper of the 41k corpus updated 132.
   */
  function changesOfFile() {
    /** The papers the file updated, as they were before it, in digest. */
    const updatedFrom = new Map<number, { digest: string; updatedAt: string }>();
    const repeated = new Set<number>();
    return {
      note({ paper, outcome, before }: ReturnType<PaperStore["merge"]>, seen: boolean): void {
        // Its first update: the file left it as it was until then.
        if (outcome === "updated" && before && !updatedFrom.has(paper.id)) {
          updatedFrom.set(paper.id, { digest: fieldsDigest(before), updatedAt: before.updatedAt });
        }
        if (seen) repeated.add(paper.id);
      },
      /** Those of `outcomes` it updated and updated back are unchanged, with their update time. */
      undone(outcomes: Outcomes): void {
        for (const id of repeated) {
          const was = updatedFrom.get(id);
          const paper = papers.get(id);
          if (outcomes.get(id) !== "updated" || !was || !paper) continue;
          if (fieldsDigest(paper) !== was.digest) continue;
          papers.keepUpdatedAt(id, was.updatedAt);
          outcomes.set(id, "unchanged");
        }
      },
    };
  }

  return {
    /** Ingests files and folders (default: the shipped archive). Never throws for a bad file. */
    ingest(paths: string[], options: IngestOptions = {}): IngestSummary {
      const { files, emptyFolders } = listEach(paths);
      const outcomes: Outcomes = new Map();
      const reports: FileReport[] = [];
      for (const [index, { path, error }] of files.entries()) {
        const report =
          error === undefined
            ? fileReport(() => ingestFile(path, options, files.length, index, outcomes), path)
            : failedReport(path, error);
        if (report === "stopped") {
          const stopped = { path, notRead: files.length - index - 1 };
          return { ...summarize(reports, outcomes, emptyFolders), stopped };
        }
        reports.push(report);
      }
      return summarize(reports, outcomes, emptyFolders);
    },
  };
}

/** What became of one file: its report, failed when it could not be read or stored, or "stopped". */
function fileReport(ingestFile: () => FileReport, path: string): FileReport | "stopped" {
  try {
    return ingestFile();
  } catch (error) {
    if (error instanceof IngestStopped) return "stopped";
    if (isReadError(error)) return failedReport(path, error.message);
    if (isBusy(error)) {
      return failedReport(
        path,
        `${path}: not stored: another process kept the database locked; ingest it again`,
      );
    }
    throw error;
  }
}

/** The summary of a run that read no file. */
export const nothingIngested = (): IngestSummary => summarize([], new Map(), []);

/**
 * The summary of a run when none of `paths` can be listed (none is there, say), made without a
 * database: `paperboy ingest` tells it before opening one, which would make an empty file.
 * Undefined when there is a file or folder to read.
 */
export function nothingListed(paths: string[]): IngestSummary | undefined {
  const { files, emptyFolders } = listEach(paths);
  const failed = files.flatMap(({ path, error }) =>
    error === undefined ? [] : [failedReport(path, error)],
  );
  if (emptyFolders.length || failed.length < files.length) return undefined;
  return summarize(failed, new Map(), []);
}

/**
 * The files each path names, each file once, by the first name given to it. A path that
 * cannot be listed (a typo, a missing folder) is kept with its error, to be reported as a
 * failed file like an unreadable one; listing all paths in one go let it throw and lose
 * every other path.
 * A folder with no archive file in it is named too: it would otherwise load nothing unsaid.
 */
function listEach(paths: string[]): {
  files: { path: string; error?: string }[];
  emptyFolders: string[];
} {
  const seen = new Set<string>();
  const emptyFolders: string[] = [];
  const files = paths.flatMap((path) => {
    try {
      const listed = listArchiveFiles([path]);
      // A file is listed as itself, so only a folder lists nothing.
      if (listed.length === 0) emptyFolders.push(path);
      // By the file it is, not as spelt: `data/archive` and `./data/archive/a.txt` name one file.
      return listed
        .filter((file) => {
          const resolved = resolve(file);
          return !seen.has(resolved) && seen.add(resolved);
        })
        .map((file) => ({ path: file }));
    } catch (error) {
      if (!isReadError(error)) throw error;
      return [{ path, error: error.message }];
    }
  });
  return { files, emptyFolders };
}

function isReadError(error: unknown): error is Error {
  return error instanceof ArchiveReadError || isFileSystemError(error);
}

/** What happened to each paper touched, by id. */
type Outcomes = Map<number, MergeOutcome>;
const strength: Record<MergeOutcome, number> = { unchanged: 0, updated: 1, added: 2 };

/**
 * A paper that several records merge into counts once, by the most that happened to it:
 * one added by a page and merged again by the next page was added, not also updated.
 */
function noteOutcome(outcomes: Outcomes, id: number, outcome: MergeOutcome): void {
  const before = outcomes.get(id);
  if (before === undefined || strength[outcome] > strength[before]) outcomes.set(id, outcome);
}

function tally(outcomes: Outcomes): Record<MergeOutcome, number> {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const outcome of outcomes.values()) counts[outcome]++;
  return counts;
}

/**
 * ENOENT, EACCES…: a folder that cannot be listed. Not SQLite's codes (SQLITE_BUSY), which its
 * errors carry too, nor Node's own ERR_… (ERR_STRING_TOO_LONG was a file too large, which
 * readArchiveBytes now refuses by name).
 */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" && /^E[A-Z]+$/.test(code);
}

/** The database file (or its folder) may not be written. */
export function isReadOnly(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith("SQLITE_READONLY");
}

/**
 * SQLite could not write the database's file, or read it: its disk full (SQLITE_FULL), or a
 * write or read failed (SQLITE_IOERR_…: a file size limit, a failing disk). What was being
 * written was rolled back.
 */
export function isStorageError(error: unknown): error is InstanceType<typeof Database.SqliteError> {
  return error instanceof Database.SqliteError && /^SQLITE_(FULL|IOERR)/.test(error.code);
}

/** The write lock stayed taken past the busy timeout (for ingest: that file, not the run, failed). */
export function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY");
}

function emptyReport(path: string, status: FileReport["status"]): FileReport {
  return {
    path,
    status,
    papers: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    warnings: [],
  };
}

function failedReport(path: string, error: string): FileReport {
  return { ...emptyReport(path, "failed"), error };
}

function summarize(files: FileReport[], outcomes: Outcomes, emptyFolders: string[]): IngestSummary {
  const sum = (pick: (file: FileReport) => number) => files.reduce((n, f) => n + pick(f), 0);
  return {
    files,
    filesRead: files.filter((f) => f.status !== "failed").length,
    filesFailed: files.filter((f) => f.status === "failed").length,
    filesUnchanged: files.filter((f) => f.status === "unchanged").length,
    ...tally(outcomes),
    duplicates: sum((f) => f.duplicates),
    warnings: sum((f) => f.warnings.length),
    emptyFolders,
  };
}
