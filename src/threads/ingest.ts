import type { IngestProgress, IngestSummary } from "../store/ingest.ts";
import { startThread } from "./start.ts";
import { rebuilt, type ThrownError } from "./thrown.ts";

/**
 * `paperboy.ingest(paths)` on a thread of its own, with its own connection to the database
 * file, so that the event loop keeps answering while a big dump loads (41k papers take
 * seconds). The others read on meanwhile (WAL) and see the papers once a file commits; the
 * search engine notices through data_version. The thread reads the real clock. It keeps
 * the process alive until it is done, so a file's transaction ends before the process does.
 * What the thread throws (an unusable database, a lock held too long, a full disk) rejects,
 * stack and all, as what it was: an UnusableDatabaseError or a SqliteError, with its code.
 * `onProgress` hears what an ingest in this thread would tell it. `stopping` aborted (Ctrl-C)
 * stops it before the next file or part of one (IngestOptions.stopRequested): the thread, busy
 * storing, hears no message until it is done, so the request is a flag in memory they share.
 */
export function ingestOnThread(
  dbPath: string,
  paths: string[],
  onProgress?: (progress: IngestProgress) => void,
  stopping?: AbortSignal,
): Promise<IngestSummary> {
  const stop = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const requestStop = () => Atomics.store(stop, 0, 1);
  if (stopping?.aborted) requestStop();
  stopping?.addEventListener("abort", requestStop, { once: true });
  return new Promise<IngestSummary>((resolve, reject) => {
    const worker = startThread(new URL("./ingest-worker.ts", import.meta.url), {
      dbPath,
      paths,
      stop,
    });
    let summary: IngestSummary | undefined;
    worker.on("message", (message: IngestThreadMessage) => {
      if ("progress" in message) onProgress?.(message.progress);
      else if ("failed" in message) reject(rebuilt(message.failed));
      else summary = message.summary;
    });
    worker.once("error", reject);
    // The summary once the thread has ended, its connection closed: settled at the summary,
    // `paperboy ingest` closed its own connection first, and the thread's close, the last,
    // was still writing the WAL into the database file (a copy of it taken then was short).
    // After an error, this settles nothing: a promise settles once.
    worker.once("exit", (code) =>
      summary
        ? resolve(summary)
        : reject(new Error(`the ingest thread stopped (exit code ${code})`)),
    );
  }).finally(() => stopping?.removeEventListener("abort", requestStop));
}

/** What the ingest thread posts: its progress as it goes, then the summary or why it failed. */
export type IngestThreadMessage =
  | { progress: IngestProgress }
  | { summary: IngestSummary }
  | { failed: ThrownError };
