/** What the bench hands the cold-start child (as a JSON file) and what it answers (JSON lines). */
export interface ChildWork {
  dbPath: string;
  /** Asked first, straight after opening: the cold answer. */
  first: string;
  warmup: string[];
  search: string[];
  suggest: string[];
}

/** Sent as soon as the first search has answered. Times are from the child's process start. */
export interface ChildAnswer {
  kind: "answer";
  hits: number;
  /** Node + tsx started, before Paperboy's modules are imported. */
  bootedMs: number;
  importedMs: number;
  openedMs: number;
  answeredMs: number;
  rssAfterAnswer: number;
}

/** Sent after the whole query set. */
export interface ChildDone {
  kind: "done";
  searchMs: number[];
  suggestMs: number[];
  rssAfterQueries: number;
}

export type ChildMessage = ChildAnswer | ChildDone;
