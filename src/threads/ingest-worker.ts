import { parentPort, workerData } from "node:worker_threads";
import { openPaperboy } from "../paperboy.ts";
import type { IngestThreadMessage } from "./ingest.ts";

/** The thread of ingestOnThread: one ingest, its progress and summary posted back, then it ends. */
const port = parentPort;
if (!port) throw new Error("ingest-worker.ts runs as a thread of ingestOnThread");
const { dbPath, paths } = workerData as { dbPath: string; paths: string[] };
const post = (message: IngestThreadMessage) => port.postMessage(message);

const app = openPaperboy(dbPath, { mustExist: true });
try {
  post({ summary: app.ingest(paths, { onProgress: (progress) => post({ progress }) }) });
} finally {
  app.close();
}
