import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { openPaperboy } from "../paperboy.ts";
import { UnusableDatabaseError } from "../store/db.ts";
import type { IngestThreadMessage } from "./ingest.ts";
import { thrown } from "./thrown.ts";

/** The thread of ingestOnThread: one ingest, its progress and summary posted back, then it ends. */
const port = parentPort;
if (!port) throw new Error("ingest-worker.ts runs as a thread of ingestOnThread");
const { dbPath, paths, stop } = workerData as {
  dbPath: string;
  paths: string[];
  /** Shared with the thread that asked: 1 once it asks the ingest to stop. */
  stop: Int32Array;
};
const post = (message: IngestThreadMessage) => port.postMessage(message);

try {
  const app = openPaperboy(dbPath, { mustExist: true });
  try {
    const summary = app.ingest(paths, {
      onProgress: (progress) => post({ progress }),
      stopRequested: () => Atomics.load(stop, 0) === 1,
    });
    post({ summary });
  } finally {
    app.close();
  }
} catch (error) {
  // Thrown, a SqliteError reached the other thread as its code alone, no message, no class
  // (a full disk at npm start's first ingest: `{ code: 'SQLITE_FULL' }` and a stack trace),
  // and an UnusableDatabaseError as a plain Error: posted, they are made again there.
  if (error instanceof Database.SqliteError || error instanceof UnusableDatabaseError) {
    post({ failed: thrown(error) });
  } else {
    throw error;
  }
}
