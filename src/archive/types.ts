/** One paper as a source file describes it, before it is merged into the store. */
export interface PaperRecord {
  /** 1-based line of the source file where the record starts. */
  line: number;
  /**
   * 1-based place of the entry in a JSON array file, for warnings to name it: the entries of
   * a file on one line share their line.
   */
  entry?: number;
  /** arXiv identifier without version, e.g. "2502.00094", when the source knows it. */
  arxivId?: string;
  /** White space normalised. Never empty. */
  title: string;
  /** White space normalised. Never empty. */
  abstract: string;
  /** Author names, when the source lists them. */
  authors?: string[];
  /** Number of authors, when the source gives it (or the length of `authors`). */
  authorsCount?: number;
  /** ISO date (YYYY-MM-DD). */
  published?: string;
  upvotes?: number;
  /** Where it was published ("NIPS 2017", "Phys.Rev.D76:013009,2007"), white space normalised. */
  venue?: string;
}

/** Something wrong with one place in a file; the rest of the file still loads. */
export interface ParseWarning {
  line: number;
  message: string;
}

type SourceFormat = "page" | "jsonl" | "hf-json";

export interface ParsedSource {
  format: SourceFormat;
  /** The listing's own date (ISO), for Daily Papers pages that show one. */
  pageDate?: string;
  records: PaperRecord[];
  warnings: ParseWarning[];
}

/** Records read from a file, and the share of the file (0 to 1) read once they are. */
export interface RecordBatch {
  records: PaperRecord[];
  share: number;
}

/**
 * An archive file being read: its records come a batch at a time, so that a large JSON Lines
 * file is never in memory as text and records all at once (see readArchiveSource).
 */
export interface ArchiveSource {
  format: SourceFormat;
  pageDate?: string;
  /** What is wrong, as found so far: all of it once every batch has been read. */
  warnings: ParseWarning[];
  /** Read once. */
  batches: Iterable<RecordBatch>;
}
